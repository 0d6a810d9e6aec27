"""Issue: the SQLite export refuses what the Table Schemas refuse, by itself (no REGEXP), row by row."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

import morocco_migration_2017 as mm
from morocco_migration_2017.cli import main
from morocco_migration_2017.export.sqlite import _column, _pattern_sql

SCHEMAS = {p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in Path("schemas").glob("*.json")}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sqlite")
    assert main(["export", "--format=sqlite", "--out", str(out)]) == 0
    return out / "morocco-migration-2017.db"


def fields(table: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in SCHEMAS[table]["fields"]}


def rules(table: str, column: str) -> dict[str, Any]:
    return fields(table)[column].get("constraints", {})


def field_patterns(table: str, column: str) -> list[str]:
    field = fields(table)[column]
    return [p for p in (rules(table, column).get("pattern"), field.get("x-pattern")) if p]


def fresh(db: sqlite3.Connection, table: str) -> dict[str, Any]:
    """A real row of the table, with a new value in each primary-key or unique column (foreign keys kept)."""
    db.row_factory = sqlite3.Row
    row = dict(db.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchone())
    keys = set(SCHEMAS[table]["primaryKey"]) | {n for n in fields(table) if rules(table, n).get("unique")}
    referencing = {f for key in SCHEMAS[table].get("foreignKeys", []) for f in key["fields"]}
    if set(SCHEMAS[table]["primaryKey"]) <= referencing:  # a key of foreign keys only: fresh, it dangles
        referencing = set()
    for name in keys - referencing:
        row[name] = 10**9 if isinstance(row[name], int) else "zzfresh"
    return row


def insert(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(f'"{n}"' for n in row)
    db.execute(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in row)})', tuple(row.values()))


def connect(database: Path, foreign_keys: bool = False) -> sqlite3.Connection:
    db = sqlite3.connect(database)  # never committed: each test's inserts roll back on close
    db.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
    return db


BROKEN = [  # (table, column, value): a real row, copied with a fresh key, with exactly this one thing broken
    ("statistics", "value", -5),  # minimum
    ("statistics", "value", "fifty thousand"),  # type
    ("statistics", "value", 1.5),  # type: a REAL in an INTEGER column
    ("statistics", "value_bound", "roughly"),  # enum
    ("statistics", "period_start", "not-a-date"),  # date syntax
    ("statistics", "period_start", "2017-02-30"),  # no such day
    ("statistics", "period_start", "2017-13-01"),  # no such month
    ("statistics", "period_start", "2017-04-31"),  # no such day
    ("statistics", "period_start", "0000-01-01"),  # no year 0
    ("statistics", "area", ""),  # required string, empty
    ("statistics", "area", None),  # required
    ("statements", "claim_date", None),  # required date
    ("statistics", "quote", " leading space"),  # pattern
    ("statistics", "notes", "ends with a space "),  # pattern
    ("statistics", "country_code", "usa"),  # x-pattern of an optional field
    ("statistics", "inferred_fields", "a  b"),  # x-pattern
    ("statistics", "indicator_id", "Not_Lower"),  # pattern (foreign keys off here)
    ("sources", "url", "ftp://example.org"),  # pattern
    ("sources", "url", "https://exa mple.org"),  # pattern: \S+
    ("sources", "language", "eng"),  # pattern with {n}
    ("sources", "snapshot_path", "data/sources/a--b.txt"),  # x-pattern with literal prefix and suffix
    ("sources", "published", "2017-1-1"),  # date syntax, optional date
    ("mentions", "mention_end", 0),  # minimum 1
    ("mentions", "role", "Value"),  # enum is case-sensitive
    ("mentions", "notes", "=SUM(A1)"),  # x-pattern refuses a formula
    ("cross_checks", "reported_value", -1),  # minimum of an optional integer
    ("cross_checks", "agreement", "maybe"),  # enum
    ("indicators", "unit", "people"),  # enum
    ("statements", "claim_date", "2017/11/20"),  # date syntax
]


def test_fresh_copies_insert(database: Path) -> None:
    db = connect(database, foreign_keys=True)
    for table in SCHEMAS:
        if table != "cross_checks":  # its key is two foreign keys: a fresh one would dangle
            insert(db, table, fresh(db, table))
    db.close()
    db = connect(database)
    insert(db, "cross_checks", fresh(db, "cross_checks"))
    db.close()


@pytest.mark.parametrize(("table", "column", "value"), BROKEN)
def test_one_broken_fact_is_refused(database: Path, table: str, column: str, value: Any) -> None:
    if isinstance(value, str) and value and field_patterns(table, column):  # the test itself: not the rule
        assert not all(re.fullmatch(p, value) for p in field_patterns(table, column)) or "enum" in rules(table, column)
    with closing(connect(database)) as db:
        row = fresh(db, table)
        insert(db, table, row)  # the unbroken copy inserts
        db.rollback()
        with pytest.raises(sqlite3.IntegrityError):
            insert(db, table, {**row, column: value})


def test_lengths_from_the_schemas_are_refused(database: Path) -> None:
    """Every maxLength and minLength: a value of 'a's just outside, which passes the field's patterns."""
    tried = 0
    for table in SCHEMAS:
        db = connect(database)
        for name in fields(table):
            limits = {"maxLength": 1, "minLength": -1}
            for rule, step in limits.items():
                if rule not in rules(table, name) or rules(table, name)[rule] + step < 1:
                    continue
                value = "a" * (rules(table, name)[rule] + step)
                if not all(re.fullmatch(p, value) for p in field_patterns(table, name)):
                    continue
                row = fresh(db, table)
                with pytest.raises(sqlite3.IntegrityError):
                    insert(db, table, {**row, name: value})
                tried += 1
        db.close()
    assert tried >= 10


def test_unique_field_is_refused(database: Path) -> None:
    db = connect(database)
    labels = [r[0] for r in db.execute('SELECT label FROM "indicators"')]
    row = fresh(db, "indicators")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        insert(db, "indicators", {**row, "label": labels[-1]})
    db.close()


def test_duplicate_primary_key_is_refused(database: Path) -> None:
    db = connect(database)
    for table in SCHEMAS:
        db.row_factory = sqlite3.Row
        row = dict(db.execute(f'SELECT * FROM "{table}" LIMIT 1').fetchone())
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            insert(db, table, row)
    db.close()


def test_dangling_foreign_key_is_refused_when_enforced(database: Path) -> None:
    db = connect(database, foreign_keys=True)
    row = fresh(db, "statistics")
    insert(db, "statistics", row)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        insert(db, "statistics", {**row, "statistic_id": "zzother", "indicator_id": "no_such_indicator"})
    db.close()


def test_metadata_table(database: Path) -> None:
    with sqlite3.connect(database) as db:
        meta = dict(db.execute("SELECT key, value FROM _metadata"))
    assert meta["name"] == "morocco-migration-2017" and meta["version"] == mm.__version__
    assert "PRAGMA foreign_keys=ON" in meta["foreign_keys"]
    assert "not enforced" in meta["patterns"]
    assert "rounded through a float" in meta["types"] and "Insert numbers" in meta["types"]


@pytest.mark.parametrize(
    ("text", "stored"), [("5e4", 50000), (" 7", 7), ("5.0", 5), ("+5", 5), ("49999.99999999999999", 50000)]
)
def test_strict_converts_text_it_reads_losslessly_and_stores_the_type(
    database: Path, tmp_path: Path, text: str, stored: int
) -> None:
    """What the _metadata note says: SQLite's STRICT conversion, then the checks; never text in an INTEGER."""
    copy = shutil.copy(database, tmp_path / "copy.db")
    with closing(sqlite3.connect(copy)) as db:
        row = {**fresh(db, "statistics"), "value": text}
        insert(db, "statistics", row)
        found = db.execute("SELECT value, typeof(value) FROM statistics WHERE statistic_id = 'zzfresh'").fetchone()
    assert tuple(found) == (stored, "integer")


def test_tables_are_strict_and_need_no_regexp(database: Path) -> None:
    with sqlite3.connect(database) as db:
        sql = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    assert set(SCHEMAS) | {"_metadata"} == set(sql)
    assert all(text.rstrip().endswith("STRICT") for text in sql.values())
    assert not any("REGEXP" in text.upper() for text in sql.values())


def test_each_pattern_is_enforced_or_named(database: Path) -> None:
    with sqlite3.connect(database) as db:
        sql = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    for table in SCHEMAS:
        for name in fields(table):
            for pattern in field_patterns(table, name):
                named = f'-- pattern not enforced here: "{name}" {json.dumps(pattern, ensure_ascii=False)}'
                assert (_pattern_sql("x", pattern) is not None) != (named in sql[table]), (table, name)


def test_a_pattern_glob_cannot_say_is_named_not_approximated() -> None:
    for pattern in [r"\d+", "a|b", "(ab)+", r"[a-z]+\w"]:
        definition, comments = _column({"name": "x", "type": "string", "x-pattern": pattern})
        assert comments == [f'-- pattern not enforced here: "x" {json.dumps(pattern)}'], pattern
        assert "GLOB" not in definition


# fmt: off
SAMPLES = [  # awkward strings for the patterns: edges, doubled separators, spaces Python calls \s, GLOB's own
    "", "a", "ab", "a_b", "a__b", "a_", "_a", "A", "AB", "a-b", "a--b", "a-", "1a", "a b", "a  b", " a", "a ",
    "=a", "+1", "-1", "@a", "a\nb", "a\u00a0", "\u3000a", "é", "a*b", "a?", "[a]",
    "https://x", "http://x", "https://", "http:// x",
    "data/sources/a.txt", "data/sources/a-b.txt", "data/sources/-a.txt", "data/sources/.txt",
]
# fmt: on


def test_pattern_translations_agree_with_python() -> None:
    """The SQL says exactly what re.fullmatch says, on awkward strings and the real values."""
    db = sqlite3.connect(":memory:")
    real = [str(v) for frame in mm.load_all().values() for column in frame for v in frame[column].dropna()]
    for table in SCHEMAS:
        for name in fields(table):
            for pattern in field_patterns(table, name):
                sql = _pattern_sql("?1", pattern)
                for sample in [*SAMPLES, *real]:
                    assert bool(db.execute(f"SELECT {sql}", (sample,)).fetchone()[0]) == bool(
                        re.fullmatch(pattern, sample)
                    ), (pattern, sample)


def test_sqlite3_cli_refuses_a_bad_row_without_regexp(database: Path, tmp_path: Path) -> None:
    cli = shutil.which("sqlite3")
    if cli is None:
        pytest.skip("no sqlite3 command-line shell on PATH")
    copy = tmp_path / "copy.db"
    shutil.copyfile(database, copy)
    with sqlite3.connect(copy) as db:
        columns = [r[1] for r in db.execute("SELECT * FROM pragma_table_info('statistics')")]
    chosen = {"statistic_id": "'zzfresh'"}
    good = ", ".join(chosen.get(c, f'"{c}"') for c in columns)
    bad = ", ".join({**chosen, "value": "-5"}.get(c, f'"{c}"') for c in columns)
    statement = "PRAGMA foreign_keys=ON; INSERT INTO statistics SELECT {} FROM statistics LIMIT 1;"
    refused = subprocess.run([cli, str(copy), statement.format(bad)], capture_output=True, text=True)
    assert refused.returncode != 0 and "CHECK constraint failed" in refused.stderr
    assert "REGEXP" not in refused.stderr and "unknown \\ escape" not in refused.stderr
    taken = subprocess.run([cli, str(copy), statement.format(good)], capture_output=True, text=True)
    assert taken.returncode == 0, taken.stderr
