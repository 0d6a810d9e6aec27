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
from verdicts import assert_caught, says

STATS, STMT, IND, SRC, MEN, XC = (
    f"data/{t}.csv" for t in ("statistics", "statements", "indicators", "sources", "mentions", "cross_checks")
)
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


def snapshot_pin(key: str, value: object) -> Callable[[Path], None]:
    return lambda root: edit_descriptor(root, lambda d: d["sources"][1].update({key: value}))


# fmt: off
CASES: list[tuple[str, Callable[[Path], None], str, str, int | None, str | None, str]] = [
    ("wrong-type", cell("statistics", 2, "value", "fifty"), "frictionless", STATS, 2, "value", "type"),
    ("fractional-value", cell("statistics", 2, "value", "50000.5"), "frictionless", STATS, 2, "value", "type"),
    ("out-of-range", cell("mentions", 3, "mention_end", "0"), "frictionless", MEN, 3, "mention_end", "constraint"),
    ("not-in-enum", cell("statistics", 3, "value_bound", "approximately"), "frictionless", STATS, 3, "value_bound", "enum"),
    ("empty-required", cell("statistics", 4, "area", ""), "frictionless", STATS, 4, "area", "constraint"),
    ("bad-pattern", cell("indicators", 2, "indicator_id", "Migration"), "frictionless", IND, 2, "indicator_id", "pattern"),
    ("bad-optional-pattern", cell("statistics", 2, "country_code", "Morocco"), "pandera", STATS, 2, "country_code", "pattern"),
    ("bad-date", cell("statements", 2, "claim_date", "14/11/2017"), "frictionless", STMT, 2, "claim_date", "type"),
    ("duplicate-primary-key", cell("statistics", 3, "statistic_id", "migration_attempts_foiled_2017_ytd"), "frictionless", STATS, 3, None, "primary key"),
    ("dangling-fk-indicator", cell("statistics", 2, "indicator_id", "no_such_indicator"), "frictionless", STATS, 2, None, "foreign key"),
    ("dangling-fk-statement", cell("statistics", 2, "statement_id", "no-such-statement"), "frictionless", STATS, 2, None, "foreign key"),
    ("dangling-fk-source", cell("statistics", 2, "source_id", "no-such-source"), "frictionless", STATS, 2, None, "foreign key"),
    ("dangling-fk-mention", cell("mentions", 2, "statistic_id", "no_such_statistic"), "frictionless", MEN, 2, None, "foreign key"),
    ("dangling-fk-cross-check", cell("cross_checks", 2, "source_id", "no-such-report"), "frictionless", XC, 2, None, "foreign key"),
    ("extra-column", rows("indicators", lambda t: [[*r, "x"] for r in t]), "frictionless", IND, None, None, "extra"),
    ("missing-column", rows("statistics", drop_column("notes")), "frictionless", STATS, None, None, "missing"),
    ("renamed-column", rows("indicators", lambda t: [["name", *t[0][1:]], *t[1:]]), "frictionless", IND, None, "indicator_id", "does not match the field name"),
    ("duplicated-column", rows("indicators", lambda t: [[*t[0][:2], "label", t[0][3]], *t[1:]]), "frictionless", IND, None, None, "is duplicated"),
    ("short-row", rows("indicators", lambda t: [*t[:2], t[2][:-1], *t[3:]]), "frictionless", IND, 3, None, "missing"),
    ("blank-row", raw(IND, b"\nmigration", b"\n\nmigration"), "frictionless", IND, 2, None, "blank"),
    ("tab-separated", tab_separated, "files", IND, 1, None, "header is not comma-separated; the package's CSVs use commas"),
    ("latin-1", latin1, "files", STATS, 5, "encoding", "UTF-8"),
    ("bom", lambda r: (r / SRC).write_bytes(b"\xef\xbb\xbf" + (r / SRC).read_bytes()), "files", SRC, 1, None, "byte-order mark"),
    ("crlf", raw(MEN, b"\n", b"\r\n", -1), "files", MEN, 1, None, "carriage return"),
    ("no-final-newline", lambda r: (r / XC).write_bytes((r / XC).read_bytes().rstrip(b"\n")), "files", XC, 13, None, "newline"),
    ("blank-line-at-end", raw(IND, b"migrants\n", b"migrants\n\n", -1), "files", IND, None, None, "blank line"),
    ("formula-equals", cell("statistics", 3, "area", '=HYPERLINK("http://x.test","y")'), "frictionless", STATS, 3, "area", "pattern"),
    ("formula-plus", cell("indicators", 2, "label", "+SUM(A1:A9)"), "frictionless", IND, 2, "label", "pattern"),
    ("formula-minus-optional", cell("mentions", 4, "notes", "-2+3*cmd|' /C calc'!A0"), "pandera", MEN, 4, "notes", "pattern"),
    ("formula-at", cell("sources", 2, "publisher", "@SUM(1+1)"), "frictionless", SRC, 2, "publisher", "pattern"),
    ("formula-in-last-row", cell("cross_checks", 13, "difference", "=1+1"), "frictionless", XC, 13, "difference", "pattern"),
    ("quote-offset-shifted", shift_quote, "provenance", STATS, 2, "quote", "not the quote; the quote occurs at 373"),
    ("quote-edited", cell("statistics", 2, "quote", "foiling 50,000 illegal immigration attempts so far in 2018"), "provenance", STATS, 2, "quote", "the quote is not in the snapshot"),
    ("quote-from-a-source-without-snapshot", cell("statistics", 2, "source_id", "mapnews-2017-11-14"), "provenance", STATS, 2, "source_id", "no snapshot to quote from"),
    ("value-no-longer-matches", cell("statistics", 2, "value", "5000"), "provenance", STATS, 2, "value", "no mention"),
    ("period-ends-before-start", cell("statistics", 2, "period_end", "2016-12-31"), "pandera", STATS, 2, "period_end", "period_start <= period_end"),
    ("claim-before-period-end", cell("statements", 2, "claim_date", "2017-11-01"), "provenance", STATS, 2, "period_end", "a period given up to the statement ends on its claim_date (2017-11-01)"),
    ("quote-end-before-start", cell("statistics", 2, "quote_end", "300"), "pandera", STATS, 2, "quote_end", "quote_start < quote_end"),
    ("mention-removed", rows("mentions", lambda t: [r for r in t if r[3] != "3000"]), "provenance", MEN, None, "mention_start", "in no mention"),
    ("mention-offset-moved", cell("mentions", 9, "mention_start", "380"), "provenance", MEN, 9, "mention_text", "is ' 50,000', not the mention_text"),
    ("mentions-overlap", rows("mentions", lambda t: [*t, ["northafricapost-20703", "384", "387", "000", "ordinal", "", ""]]), "provenance", MEN, 17, "mention_text", "a mention must hold a whole number as written"),
    ("mention-text-wrong", cell("mentions", 12, "mention_text", "2005"), "provenance", MEN, 12, "mention_text", "not the mention"),
    ("headline-linked-to-wrong-statistic", cell("mentions", 2, "statistic_id", "trafficking_networks_dismantled_2017_ytd"), "provenance", MEN, 2, "mention_text", "reads as 50000"),
    ("period-bound-wrong-statistic", cell("mentions", 12, "statistic_id", "migration_attempts_foiled_2017_ytd"), "provenance", MEN, 12, "mention_text", "start or end year"),
    ("ordinal-linked", cell("mentions", 13, "statistic_id", "migration_attempts_foiled_2017_ytd"), "provenance", MEN, 13, "statistic_id", "an ordinal names no statistic; leave it empty"),
    ("inferred-field-unknown", cell("statistics", 2, "inferred_fields", "claim_day"), "provenance", STATS, 2, "inferred_fields", "not a field"),
    ("cross-check-agrees-wrongly", cell("cross_checks", 2, "reported_value", "40000"), "provenance", XC, 2, "agreement", "agrees"),
    ("snapshot-byte-changed", raw(SNAP, b"Rabat", b"Rabbt"), "files", SNAP, None, "hash", "hash"),
    ("snapshot-missing", lambda r: (r / SNAP).unlink(), "files", "datapackage.json", None, "sources", "no such file"),
    ("snapshot-hash-wrong", snapshot_pin("hash", "sha256:" + "0" * 64), "files", SNAP, None, "hash", "hash"),
    ("snapshot-bytes-wrong", snapshot_pin("bytes", 2641), "files", SNAP, None, "hash", "bytes"),
    ("snapshot-not-pinned", cell("sources", 3, "snapshot_path", "data/sources/mapnews-2017-11-14.txt"), "provenance", SRC, 3, "snapshot_path", "not pinned"),
    ("path-outside-package", descriptor_path("../indicators.csv"), "files", "datapackage.json", None, None, "resources[indicators].path changed"),
    ("path-absolute", descriptor_path("/etc/passwd"), "files", "datapackage.json", None, None, "resources[indicators].path changed"),
    ("path-url", descriptor_path("https://example.org/x.csv"), "files", "datapackage.json", None, None, "resources[indicators].path changed"),
    ("descriptor-not-json", lambda r: (r / "datapackage.json").write_text('{"name": "x",', encoding="utf-8"), None, "datapackage.json", None, None, "not valid UTF-8 JSON"),
    ("descriptor-no-resources", lambda r: (r / "datapackage.json").write_text("{}", encoding="utf-8"), None, "datapackage.json", None, None, "not a data package"),
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


@pytest.mark.parametrize(("name", "corrupt", "stage", "file", "row", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_corruption_is_caught_where_it_is(
    name: str,
    corrupt: Callable[[Path], None],
    stage: str | None,
    file: str,
    row: int | None,
    field: str | None,
    words: str,
    package_copy: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corrupt(package_copy)
    code, report, err = run_validate(package_copy, capsys)
    if stage is None:
        assert code == 2 and report is None and file in err and says(err, words) and "Traceback" not in err
        return
    assert code == 1
    assert_caught(report, stage, file, row, field, words)


def test_a_provenance_problem_carries_the_bad_value(package_copy: Path) -> None:
    from morocco_migration_2017.validation import validate_package

    set_cell(package_copy, "statistics", 2, "value", "5000")
    found = {(p.check, p.file, p.row, p.field): p.value for p in validate_package(package_copy).problems}
    assert found[("provenance", STATS, 2, "value")] == 5000
    assert found[("provenance", MEN, 9, "mention_text")] == "50,000"
