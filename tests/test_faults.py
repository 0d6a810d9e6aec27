"""Issue: bad data never passes. One corruption per case on a scratch copy; validate must name the place.

A case is one line: (id, corruption, file, row, field, words the message must contain). row and field
are None where the fault has no single row or field.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from edits import edit_descriptor, edit_rows, get_cell, read_table, replace_bytes, resource, set_cell
from morocco_migration_2017.cli import main

STATS, IND, SRC, MEN, XC = (f"data/{t}.csv" for t in ("statistics", "indicators", "sources", "mentions", "cross_checks"))
SNAP = "data/sources/northafricapost-20703.txt"


def cell(table: str, row: int, field: str, value: str) -> Callable[[Path], None]:
    return lambda root: set_cell(root, table, row, field, value)


def rows(table: str, change: Callable[[list[list[str]]], list[list[str]]]) -> Callable[[Path], None]:
    return lambda root: edit_rows(root, table, change)


def raw(path: str, old: bytes, new: bytes, count: int = 1) -> Callable[[Path], None]:
    return lambda root: replace_bytes(root / path, old, new, count)


def shift_quote(root: Path) -> None:
    for field in ("quote_start", "quote_end"):
        set_cell(root, "statistics", 2, field, str(int(get_cell(root, "statistics", 2, field)) + 1))


def latin1(root: Path) -> None:
    text = (root / STATS).read_text(encoding="utf-8").replace("Sahel", "Sahél")
    (root / STATS).write_bytes(text.encode("latin-1", errors="replace"))


def tab_separated(root: Path) -> None:
    table = read_table(root / IND)
    (root / IND).write_text("".join("\t".join(r) + "\n" for r in table), encoding="utf-8")


def descriptor_path(path: str) -> Callable[[Path], None]:
    return lambda root: edit_descriptor(root, lambda d: resource(d, "indicators").update(path=path))


def drop_column(name: str) -> Callable[[list[list[str]]], list[list[str]]]:
    return lambda t: [[c for c, h in zip(r, t[0], strict=True) if h != name] for r in t]


def snapshot_hash_in_descriptor(root: Path) -> None:
    edit_descriptor(root, lambda d: resource(d, "northafricapost-20703").update(hash="sha256:" + "0" * 64))


# fmt: off
CASES: list[tuple[str, Callable[[Path], None], str, int | None, str | None, str]] = [
    ("wrong-type", cell("statistics", 2, "value", "fifty"), STATS, 2, "value", "type"),
    ("out-of-range", cell("mentions", 3, "mention_end", "0"), MEN, 3, "mention_end", "constraint"),
    ("not-in-enum", cell("statistics", 3, "value_bound", "approximately"), STATS, 3, "value_bound", "enum"),
    ("empty-required", cell("statistics", 4, "area", ""), STATS, 4, "area", "constraint"),
    ("bad-pattern", cell("statistics", 2, "country_code", "Morocco"), STATS, 2, "country_code", "pattern"),
    ("bad-date", cell("statistics", 2, "claim_date", "14/11/2017"), STATS, 2, "claim_date", "type"),
    ("duplicate-primary-key", cell("statistics", 3, "statistic_id", "migration_attempts_foiled_2017_ytd"), STATS, 3, None, "primary key"),
    ("dangling-fk-indicator", cell("statistics", 2, "indicator_id", "no_such_indicator"), STATS, 2, None, "foreign key"),
    ("dangling-fk-source", cell("statistics", 2, "source_id", "no-such-source"), STATS, 2, None, "foreign key"),
    ("dangling-fk-mention", cell("mentions", 2, "statistic_id", "no_such_statistic"), MEN, 2, None, "foreign key"),
    ("dangling-fk-cross-check", cell("cross_checks", 2, "source_id", "no-such-report"), XC, 2, None, "foreign key"),
    ("extra-column", rows("indicators", lambda t: [[*r, "x"] for r in t]), IND, None, None, "extra"),
    ("missing-column", rows("statistics", drop_column("notes")), STATS, None, None, "missing"),
    ("renamed-column", rows("indicators", lambda t: [["name", *t[0][1:]], *t[1:]]), IND, None, "indicator_id", "label"),
    ("duplicated-column", rows("indicators", lambda t: [[*t[0][:2], "label", t[0][3]], *t[1:]]), IND, None, None, "duplicate"),
    ("short-row", rows("indicators", lambda t: [*t[:2], t[2][:-1], *t[3:]]), IND, 3, None, "short"),
    ("blank-row", raw(IND, b"\nmigration", b"\n\nmigration"), IND, 2, None, "blank"),
    ("tab-separated", tab_separated, IND, 1, None, "comma-separated"),
    ("latin-1", latin1, STATS, 5, None, "UTF-8"),
    ("bom", lambda r: (r / SRC).write_bytes(b"\xef\xbb\xbf" + (r / SRC).read_bytes()), SRC, 1, None, "byte-order mark"),
    ("crlf", raw(MEN, b"\n", b"\r\n", -1), MEN, 1, None, "carriage return"),
    ("formula-equals", cell("statistics", 3, "area", '=HYPERLINK("http://x.test","y")'), STATS, 3, "area", "formula"),
    ("formula-plus", cell("indicators", 2, "label", "+SUM(A1:A9)"), IND, 2, "label", "formula"),
    ("formula-minus", cell("statistics", 4, "notes", "-2+3*cmd|' /C calc'!A0"), STATS, 4, "notes", "formula"),
    ("formula-at", cell("sources", 2, "publisher", "@SUM(1+1)"), SRC, 2, "publisher", "formula"),
    ("quote-offset-shifted", shift_quote, STATS, 2, "quote", "snapshot[quote_start:quote_end]"),
    ("quote-edited", cell("statistics", 2, "quote", "foiling 50,000 illegal immigration attempts so far in 2018"), STATS, 2, "quote", "not the quote"),
    ("value-no-longer-matches", cell("statistics", 2, "value", "5000"), STATS, 2, "value", "no mention"),
    ("unit-differs-from-indicator", cell("statistics", 2, "unit", "persons"), STATS, 2, "unit", "unit differs"),
    ("period-ends-before-start", cell("statistics", 2, "period_end", "2016-12-31"), STATS, 2, "period_end", "period_start <= period_end"),
    ("claim-before-period-end", cell("statistics", 3, "claim_date", "2017-11-01"), STATS, 3, "claim_date", "claim_date >= period_end"),
    ("quote-end-before-start", cell("statistics", 2, "quote_end", "300"), STATS, 2, "quote_end", "quote_start < quote_end"),
    ("mention-removed", rows("mentions", lambda t: [r for r in t if r[3] != "3000"]), MEN, None, "mention_start", "in no mention"),
    ("mentions-overlap", cell("mentions", 9, "mention_start", "380"), MEN, None, None, "mention"),
    ("mention-text-wrong", cell("mentions", 12, "mention_text", "2005"), MEN, 12, "mention_text", "not the mention"),
    ("headline-linked-to-wrong-statistic", cell("mentions", 2, "statistic_id", "trafficking_networks_dismantled_2017_ytd"), MEN, 2, "mention_text", "reads as 50000"),
    ("period-bound-wrong-statistic", cell("mentions", 12, "statistic_id", "migration_attempts_foiled_2017_ytd"), MEN, 12, "mention_text", "start or end year"),
    ("ordinal-linked", cell("mentions", 13, "statistic_id", "migration_attempts_foiled_2017_ytd"), MEN, 13, "statistic_id", "ordinal"),
    ("inferred-field-unknown", cell("statistics", 2, "inferred_fields", "claim_day"), STATS, 2, "inferred_fields", "not a field"),
    ("cross-check-agrees-wrongly", cell("cross_checks", 2, "reported_value", "40000"), XC, 2, "agreement", "agrees"),
    ("difference-missing-from-notes", lambda r: set_cell(r, "statistics", 4, "notes", get_cell(r, "statistics", 4, "notes").replace("MAP", "the agency")), XC, 6, "agreement", "MAP"),
    ("snapshot-byte-changed", raw(SNAP, b"Rabat", b"Rabbt"), SNAP, None, None, "hash"),
    ("snapshot-missing", lambda r: (r / SNAP).unlink(), SNAP, None, None, "no such file"),
    ("sources-hash-stale", cell("sources", 2, "snapshot_sha256", "0" * 64), SRC, 2, "snapshot_sha256", "sha256"),
    ("descriptor-hash-wrong", snapshot_hash_in_descriptor, SNAP, None, None, "hash"),
    ("path-outside-package", descriptor_path("../indicators.csv"), "datapackage.json", None, "path", "leave"),
    ("path-absolute", descriptor_path("/etc/passwd"), "datapackage.json", None, "path", "absolute"),
    ("path-url", descriptor_path("https://example.org/x.csv"), "datapackage.json", None, "path", "URL"),
    ("descriptor-not-json", lambda r: (r / "datapackage.json").write_text('{"name": "x",', encoding="utf-8"), "datapackage.json", None, None, "not valid UTF-8 JSON"),
    ("descriptor-no-resources", lambda r: (r / "datapackage.json").write_text("{}", encoding="utf-8"), "datapackage.json", None, None, "not a data package"),
]
# fmt: on


def run_validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any] | None, str]:
    code = main(["validate", str(root), "--json"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code != 2 else None), err


def test_clean_copy_passes(package_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = run_validate(package_copy, capsys)
    assert (code, report["problems"]) == (0, [])


def test_there_are_enough_distinct_cases() -> None:
    assert len({case[0] for case in CASES}) == len(CASES) >= 25


@pytest.mark.parametrize(("name", "corrupt", "file", "row", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_corruption_is_caught_where_it_is(
    name: str,
    corrupt: Callable[[Path], None],
    file: str,
    row: int | None,
    field: str | None,
    words: str,
    package_copy: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corrupt(package_copy)
    code, report, err = run_validate(package_copy, capsys)
    if report is None:
        assert code == 2 and file in err and words.lower() in err.lower() and "Traceback" not in err
        return
    assert code == 1
    hits = [
        p
        for p in report["problems"]
        if p["file"] == file
        and (row is None or p["row"] == row)
        and (field is None or p["field"] == field)
        and words.lower() in p["message"].lower()
    ]
    assert hits, f"{name}: no problem at {file} row {row} field {field} saying {words!r}:\n" + "\n".join(
        json.dumps(p) for p in report["problems"]
    )
