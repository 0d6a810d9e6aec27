"""Issue: an untrusted package cannot fool, hang, crash, leak or phone out.

Each case corrupts a scratch copy in one way a hostile contributor or a careless editor would, runs
`validate --json` in-process, and asserts the exit status, the file, row and field of the problem, and that
nothing else went wrong: every problem comes from one stage, and any traceback would fail the test.
"""

from __future__ import annotations

import json
import os
import signal
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from edits import ROOT, edit_descriptor, edit_rows, get_cell, replace_bytes, resource, set_cell
from morocco_migration_2017.cli import main
from verdicts import assert_caught, says

STATS, STMT, IND, SRC, MEN, XC = (
    f"data/{t}.csv" for t in ("statistics", "statements", "indicators", "sources", "mentions", "cross_checks")
)
SNAP = "data/sources/northafricapost-20703.txt"
DP = "datapackage.json"
VERSION = json.loads((ROOT / DP).read_text(encoding="utf-8"))["version"]  # the release these rules are
Corrupt = Callable[[Path], None]


def cell(table: str, row: int, field: str, value: str) -> Corrupt:
    return lambda root: set_cell(root, table, row, field, value)


def descriptor(change: Callable[[dict[str, Any]], Any]) -> Corrupt:
    return lambda root: edit_descriptor(root, change)


def res(name: str, **values: Any) -> Corrupt:
    return descriptor(lambda d: resource(d, name).update(values))


def schema_edit(table: str, change: Callable[[dict[str, Any]], Any]) -> Corrupt:
    def run(root: Path) -> None:
        path = root / "schemas" / f"{table}.schema.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")

    return run


def field_of(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in schema["fields"] if f["name"] == name)


def replace_file(relpath: str, make: Callable[[Path], None]) -> Corrupt:
    def run(root: Path) -> None:
        (root / relpath).unlink()
        make(root / relpath)

    return run


def link_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def write(relpath: str, data: bytes) -> Corrupt:
    return lambda root: (root / relpath).write_bytes(data)


def in_text(relpath: str, old: str, new: str) -> Corrupt:
    return lambda root: replace_bytes(root / relpath, old.encode("utf-8"), new.encode("utf-8"))


def sparse(relpath: str, size: int) -> Corrupt:
    def run(root: Path) -> None:
        with (root / relpath).open("r+b") as handle:
            handle.truncate(size)

    return run


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def rewrite_snapshot(old: str, new: str, stat_row: int) -> Corrupt:
    """Edit the snapshot and re-pin it, and fix the one quote that holds the words: only the wording changes."""

    def run(root: Path) -> None:
        import hashlib

        replace_bytes(root / SNAP, old.encode(), new.encode())
        data = (root / SNAP).read_bytes()
        edit_descriptor(
            root, lambda d: d["sources"][1].update(hash=f"sha256:{hashlib.sha256(data).hexdigest()}", bytes=len(data))
        )
        set_cell(root, "statistics", stat_row, "quote", get_cell(root, "statistics", stat_row, "quote").replace(old, new))

    return run


def both(*corruptions: Corrupt) -> Corrupt:
    def run(root: Path) -> None:
        for corrupt in corruptions:
            corrupt(root)

    return run


def fifo(path: Path) -> None:
    os.mkfifo(path)


# (id, corruption, exit status, stage, file, row, field, words in the message)
# fmt: off
CASES: list[tuple[str, Corrupt, int, str | None, str, int | None, str | None, str]] = [
    # untrusted paths and file kinds
    ("csv-symlink-to-passwd", replace_file(IND, link_to("/etc/passwd")), 1, "files", IND, None, None, "outside"),
    ("csv-symlink-up-and-out", replace_file(IND, link_to("../../../../../../etc/hostname")), 1, "files", IND, None, None, "outside"),
    ("csv-fifo", replace_file(IND, fifo), 1, "files", IND, None, None, "not a regular file"),
    ("snapshot-fifo", replace_file(SNAP, fifo), 1, "files", DP, None, "sources", "not a regular file"),
    ("csv-symlink-dev-zero", replace_file(STATS, link_to("/dev/zero")), 1, "files", STATS, None, None, "outside"),
    ("snapshot-symlink-dev-zero", replace_file(SNAP, link_to("/dev/zero")), 1, "files", DP, None, "sources", "outside"),
    ("csv-is-a-folder", replace_file(XC, lambda p: p.mkdir()), 1, "files", XC, None, None, "not a regular file"),
    ("schema-symlink-outside", replace_file("schemas/indicators.schema.json", link_to("/etc/passwd")), 1, "files", "schemas/indicators.schema.json", None, None, "outside"),
    ("schema-fifo", replace_file("schemas/indicators.schema.json", fifo), 1, "files", "schemas/indicators.schema.json", None, None, "not a regular file"),
    ("descriptor-fifo", replace_file(DP, fifo), 2, None, DP, None, None, "not a regular file"),
    ("descriptor-symlink-outside", replace_file(DP, link_to("/etc/passwd")), 2, None, DP, None, None, "outside"),
    ("path-backslash-up", res("indicators", path="data\\..\\..\\x.csv"), 1, "files", DP, None, None, "resources[indicators].path changed"),
    ("path-home", res("indicators", path="~/x.csv"), 1, "files", DP, None, None, "resources[indicators].path changed"),
    ("path-file-url", res("indicators", path="file:///etc/passwd"), 1, "files", DP, None, None, "resources[indicators].path changed"),
    ("path-windows-drive", res("indicators", path="C:\\x.csv"), 1, "files", DP, None, None, "resources[indicators].path changed"),
    ("path-list", res("indicators", path=["data/indicators.csv"]), 1, "files", DP, None, None, "resources[indicators].path changed"),
    ("path-leading-backslash", res("indicators", path="\\etc\\passwd"), 1, "files", DP, None, None, "resources[indicators].path changed"),
    ("path-bare-drive", res("indicators", path="C:"), 1, "files", DP, None, None, "resources[indicators].path changed"),
    ("path-empty", res("indicators", path=""), 1, "files", DP, None, None, "resources[indicators].path changed"),
    ("schema-path-up", res("indicators", schema="../indicators.schema.json"), 1, "files", DP, None, None, "resources[indicators].schema changed"),
    ("schema-inline-object", res("indicators", schema={"fields": []}), 1, "files", DP, None, None, "resources[indicators].schema changed"),
    ("snapshot-path-up", descriptor(lambda d: d["sources"][1].update(path="../x.txt")), 1, "files", DP, None, "sources", "leave"),
    ("snapshot-path-absolute", descriptor(lambda d: d["sources"][1].update(path="/etc/passwd")), 1, "files", DP, None, "sources", "absolute"),
    ("csv-missing", lambda r: (r / MEN).unlink(), 1, "files", MEN, None, None, "no such file"),
    ("data-folder-symlink-outside", lambda r: [os.rename(r / "data", r / "d2"), (r / "data").symlink_to(Path("/tmp"))], 1, "files", STATS, None, None, "outside"),
    # sizes and nesting
    ("csv-over-the-size-limit", sparse(MEN, 64 * 2**20 + 1), 1, "files", MEN, None, None, "limit"),
    ("snapshot-over-the-size-limit", sparse(SNAP, 64 * 2**20 + 1), 1, "files", DP, None, "sources", "limit"),
    ("descriptor-over-the-size-limit", sparse(DP, 4 * 2**20 + 1), 2, None, DP, None, None, "limit"),
    ("descriptor-nested-100000", write(DP, nested(100_000).encode()), 2, None, DP, None, None, "nested"),
    ("descriptor-nested-in-a-value", descriptor(lambda d: d.update(keywords=json.loads(nested(40)))), 2, None, DP, None, None, "nested"),
    ("schema-nested-100000", write("schemas/sources.schema.json", nested(100_000).encode()), 1, "files", "schemas/sources.schema.json", None, None, "nested"),
    ("descriptor-duplicate-key", in_text(DP, f'"version": "{VERSION}",', f'"version": "{VERSION}", "version": "9.9.9",'), 2, None, DP, None, None, "duplicate key"),
    ("schema-duplicate-key", in_text("schemas/indicators.schema.json", '"title": "Indicators",', '"title": "Indicators", "title": "x",'), 1, "files", "schemas/indicators.schema.json", None, None, "duplicate key"),
    ("schema-is-an-array", write("schemas/indicators.schema.json", b"[1, 2]"), 1, "files", "schemas/indicators.schema.json", None, "fields", "fields"),
    ("schema-not-json", write("schemas/indicators.schema.json", b"{"), 1, "files", "schemas/indicators.schema.json", None, None, "JSON"),
    ("schema-not-utf8", write("schemas/indicators.schema.json", b'{"fields": "\xff"}'), 1, "files", "schemas/indicators.schema.json", None, None, "UTF-8"),
    ("resources-a-string", descriptor(lambda d: d.update(resources="statistics")), 2, None, DP, None, None, "resources"),
    ("resources-null", descriptor(lambda d: d.update(resources=None)), 2, None, DP, None, None, "resources"),
    ("resources-of-strings", descriptor(lambda d: d.update(resources=["statistics"])), 2, None, DP, None, None, "resources"),
    ("descriptor-an-array", write(DP, b"[]"), 2, None, DP, None, None, "not a data package"),
    ("descriptor-empty", write(DP, b""), 2, None, DP, None, None, "JSON"),
    # Read whole (no csv-module limit, no crash), then refused by the field's maxLength, where the rule is stated.
    ("one-megabyte-cell-is-read-and-refused", cell("statements", 2, "notes", "a" * 2**20), 1, "frictionless", "data/statements.csv", 2, "notes", "maxLength"),
    ("cell-beyond-the-csv-module-limit", cell("indicators", 3, "definition", "b" * 200_000), 1, "frictionless", IND, 3, "definition", "maxLength"),
    # network
    ("dialect-url", res("statistics", dialect="https://example.test/dialect.json"), 1, "files", DP, None, None, "resources[statistics].dialect changed"),
    ("profile-url", descriptor(lambda d: d.update(profile="https://example.test/profile.json")), 1, "files", DP, None, None, "profile added"),
    ("package-schema-url", descriptor(lambda d: d.update({"$schema": "https://example.test/p.json"})), 1, "files", DP, None, None, "$schema changed"),
    ("resource-profile-url", res("statistics", profile="https://example.test/r.json"), 1, "files", DP, None, None, "resources[statistics].profile added"),
    ("resource-schema-url", res("statistics", schema="https://example.test/s.json"), 1, "files", DP, None, None, "resources[statistics].schema changed"),
    ("table-schema-profile-url", schema_edit("indicators", lambda s: s.update({"$schema": "http://example.test/t.json"})), 1, "files", "schemas/indicators.schema.json", None, "$schema", "fetched"),
    ("source-url-is-only-a-reference", descriptor(lambda d: d["sources"][0].update(path="https://example.test/other.html")), 0, None, "", None, None, ""),
    # encodings and invisible text
    ("declared-latin-1", res("indicators", encoding="latin-1"), 1, "files", DP, None, None, "resources[indicators].encoding changed"),
    ("declared-utf-16", res("statements", encoding="utf-16"), 1, "files", DP, None, None, "resources[statements].encoding changed"),
    ("bytes-utf-16", lambda r: (r / IND).write_bytes((r / IND).read_text().encode("utf-16")), 1, "files", IND, 1, "encoding", "UTF-8"),
    ("invalid-utf8-byte", lambda r: (r / STMT).write_bytes((r / STMT).read_bytes().replace(b"Rabat", b"Rab\xe0t")), 1, "files", STMT, 2, "encoding", "UTF-8"),
    ("nul-in-a-label", cell("indicators", 3, "label", "Human-trafficking net\x00works dismantled"), 1, "provenance", IND, 3, "label", "control"),
    ("zero-width-space-in-area", cell("statistics", 5, "area", "Sa\u200bhel"), 1, "provenance", STATS, 5, "area", "invisible"),
    ("cyrillic-a-in-area", cell("statistics", 2, "area", "Moro\u0441co"), 1, "provenance", STATS, 2, "area", "the letter '\u0441' (U+0441) is not in the Latin script"),
    ("greek-omicron-in-label", cell("indicators", 2, "label", "Irregular-migration attempts f\u03bfiled"), 1, "provenance", IND, 2, "label", "is not in the Latin script"),
    ("bidi-override-in-notes", cell("statistics", 3, "notes", "The headline \u202erepeats this figure too."), 1, "provenance", STATS, 3, "notes", "invisible"),
    ("not-nfc", cell("statements", 2, "notes", "Cite\u0301 as inferred."), 1, "provenance", STMT, 2, "notes", "not in Unicode normal form NFKC"),
    ("c1-control-in-rights", cell("sources", 3, "rights", "Copyright\u0085 MAP."), 1, "provenance", SRC, 3, "rights", "control"),
    ("bom-inside-a-cell", cell("indicators", 4, "definition", "Money\ufeff said to be gained."), 1, "provenance", IND, 4, "definition", "invisible"),
    ("terminal-escape-in-cell", cell("cross_checks", 3, "difference", "Same\x1b[2J figure."), 1, "provenance", XC, 3, "difference", "control"),
    ("newline-in-area", cell("statistics", 2, "area", "Mor\nocco"), 1, "frictionless", STATS, 2, "area", "pattern"),
    ("newline-in-optional-notes", cell("mentions", 4, "notes", "Two\nlines"), 1, "pandera", MEN, 4, "notes", "pattern"),
    ("tab-inside-text", cell("sources", 2, "publisher", "The North\tAfrica Post"), 1, "provenance", SRC, 2, "publisher", "control"),
    ("line-separator-in-text", cell("statements", 2, "event_location", "Ra\u2028bat"), 1, "provenance", STMT, 2, "event_location", "invisible"),
    ("paragraph-separator-in-text", cell("indicators", 5, "label", "Migrants granted\u2029legal stay"), 1, "provenance", IND, 5, "label", "invisible or control character U+2029"),
    ("a-start-on-a-so-far-figure", cell("statistics", 6, "period_start", "2014-01-01"), 1, "provenance", STATS, 6, "period_start", "makes it empty"),
    ("private-use-character", cell("indicators", 5, "label", "Migrants granted legal \ue000stay"), 1, "provenance", IND, 5, "label", "invisible or control character U+E000"),
    ("soft-hyphen-in-text", cell("indicators", 5, "label", "Mi\u00adgrants granted legal stay"), 1, "provenance", IND, 5, "label", "invisible"),
    ("cell-too-long", cell("statements", 2, "notes", "A note. " * 2000), 1, "frictionless", "data/statements.csv", 2, "notes", "maxLength"),
    ("trailing-space", cell("indicators", 2, "label", "Irregular-migration attempts foiled "), 1, "frictionless", IND, 2, "label", "pattern"),
    # numbers
    ("full-width-digits", cell("statistics", 2, "value", "\uff15\uff10\uff10\uff10\uff10"), 1, "pandera", STATS, 2, "value", "ASCII"),
    ("arabic-indic-digits", cell("statistics", 3, "value", "\u0668\u0660"), 1, "pandera", STATS, 3, "value", "ASCII"),
    ("leading-zero", cell("statistics", 2, "value", "050000"), 1, "pandera", STATS, 2, "value", "leading zero"),
    ("inf-reported", cell("cross_checks", 2, "reported_value", "INF"), 1, "frictionless", XC, 2, "reported_value", "type"),
    ("nan-reported", cell("cross_checks", 2, "reported_value", "NaN"), 1, "frictionless", XC, 2, "reported_value", "type"),
    ("exponent-value", cell("statistics", 2, "value", "5e4"), 1, "frictionless", STATS, 2, "value", "type"),
    ("separator-in-value", cell("statistics", 2, "value", "50,000"), 1, "frictionless", STATS, 2, "value", "type"),
    ("decimal-value", cell("statistics", 2, "value", "50000.0"), 1, "frictionless", STATS, 2, "value", "type"),
    ("negative-value", cell("statistics", 2, "value", "-50000"), 1, "frictionless", STATS, 2, "value", "constraint"),
    ("twenty-digit-value", cell("statistics", 2, "value", "9" * 20), 1, "pandera", STATS, 2, "value", "whole number"),
    ("zero-value", cell("statistics", 3, "value", "0"), 1, "provenance", STATS, 3, "value", "no mention"),
    ("offset-beyond-snapshot", both(cell("statistics", 2, "quote_start", "9000"), cell("statistics", 2, "quote_end", "9058")), 1, "provenance", STATS, 2, "quote", "not the quote"),
    ("negative-offset", cell("mentions", 2, "mention_start", "-1"), 1, "frictionless", MEN, 2, "mention_start", "constraint"),
    ("plus-sign-value", cell("statistics", 2, "value", "+50000"), 1, "pandera", STATS, 2, "value", "whole number"),
    # dates
    ("claim-in-9999", cell("statements", 2, "claim_date", "9999-12-31"), 1, "provenance", STMT, 2, "claim_date", "between"),
    ("claim-in-1900", cell("statements", 2, "claim_date", "1900-01-01"), 1, "provenance", STMT, 2, "claim_date", "between"),
    ("date-that-does-not-exist", cell("statistics", 2, "period_start", "2017-02-30"), 1, "frictionless", STATS, 2, "period_start", "type"),
    ("ytd-starting-1-march", cell("statistics", 2, "period_start", "2017-03-01"), 1, "provenance", STATS, 2, "period_start", "2017-01-01"),
    ("cross-check-report-before-the-speech", cell("sources", 3, "published", "2017-11-13"), 1, "provenance", XC, 2, "source_id", "before the statement"),
    ("primary-published-before-the-speech", cell("sources", 2, "published_not_before", "2017-11-01"), 1, "provenance", STATS, 2, "source_id", "before the statement"),
    ("period-ends-after-the-claim", cell("statistics", 6, "period_end", "2017-11-20"), 1, "provenance", STATS, 6, "period_end", "ends on its claim_date (2017-11-14)"),
    ("created-not-a-date", descriptor(lambda d: d.update(created="yesterday")), 1, "files", DP, None, "created", "ISO 8601"),
    ("report-published-in-the-future", cell("sources", 4, "published", "2030-01-01"), 1, "provenance", SRC, 4, "published", "between"),
    ("no-period-but-an-end", cell("statistics", 5, "period_end", "2017-11-14"), 1, "provenance", STATS, 5, "period_end", "empty exactly"),
    # wording-derived fields
    ("lower-bound-on-as-much-as", cell("statistics", 5, "value_bound", "lower_bound"), 1, "provenance", STATS, 5, "value_bound", "upper_bound"),
    ("point-on-more-than", cell("statistics", 6, "value_bound", "point"), 1, "provenance", STATS, 6, "value_bound", "lower_bound"),
    ("upper-bound-on-a-plain-figure", cell("statistics", 7, "value_bound", "upper_bound"), 1, "provenance", STATS, 7, "value_bound", "the words before the number (no qualifier) make it point"),
    ("ytd-on-since-2004", cell("statistics", 4, "period_type", "year_to_date"), 1, "provenance", STATS, 4, "period_type", "cumulative_since_date"),
    ("to-date-on-so-far-in-2017", cell("statistics", 2, "period_type", "cumulative_to_date"), 1, "provenance", STATS, 2, "period_type", "year_to_date"),
    ("unspecified-on-so-far", cell("statistics", 6, "period_type", "unspecified"), 1, "provenance", STATS, 6, "period_type", "cumulative_to_date"),
    ("period-text-not-in-the-quote", cell("statistics", 4, "period_text", "since 2005"), 1, "provenance", STATS, 4, "period_text", "words of the quote"),
    ("period-text-with-a-new-wording", cell("statistics", 6, "period_text", "has so far"), 1, "provenance", STATS, 6, "period_text", "no rule"),
    ("qualifier-without-a-rule", rewrite_snapshot("gain as much as $175", "gain around     $175", 5), 1, "provenance", STATS, 5, "value_bound", "decide"),
    ("qualifier-up-to", rewrite_snapshot("gain as much as $175", "gain up to      $175", 5), 0, None, "", None, None, ""),
    ("mention-of-the-word-rabat", lambda r: edit_rows(r, "mentions", lambda t: [*t, ["northafricapost-20703", "736", "741", "Rabat", "ordinal", "", ""]]), 1, "provenance", MEN, 17, "mention_text", "a mention must hold a whole number"),
    ("mention-covers-part-of-a-number", both(cell("mentions", 9, "mention_end", "384"), cell("mentions", 9, "mention_text", "50,")), 1, "provenance", MEN, 9, "mention_text", "a mention must hold a whole number"),
    ("mention-in-a-report-without-snapshot", lambda r: edit_rows(r, "mentions", lambda t: [*t, ["mapnews-2017-11-14", "5", "7", "80", "ordinal", "", ""]]), 1, "provenance", MEN, 17, "source_id", "the source has no snapshot"),
    ("a-moved-mention-and-a-cut-number", both(cell("mentions", 3, "mention_start", "58"), cell("mentions", 11, "mention_end", "578"), cell("mentions", 11, "mention_text", "300")), 1, "provenance", MEN, 11, "mention_text", "a mention must hold a whole number"),
    ("no-mentions-at-all", lambda r: edit_rows(r, "mentions", lambda t: t[:1]), 1, "provenance", STATS, 2, "value", "no mention with role 'value' inside the quote reads as this value"),
    ("value-mention-outside-the-quote", both(cell("mentions", 3, "role", "value"), cell("mentions", 8, "role", "headline_value")), 1, "provenance", STATS, 3, "value", "no mention with role 'value' inside the quote reads as this value"),
    ("empty-quote-span", cell("statistics", 2, "quote_end", "373"), 1, "pandera", STATS, 2, "quote_end", "row rule broken: quote_start < quote_end"),
    ("empty-mention-span", cell("mentions", 9, "mention_end", "381"), 1, "pandera", MEN, 9, "mention_end", "row rule broken: mention_start < mention_end"),
    ("headline-mention-with-body-role", cell("mentions", 2, "role", "value"), 1, "provenance", MEN, 2, "role", "headline"),
    ("body-mention-with-headline-role", cell("mentions", 8, "role", "headline_value"), 1, "provenance", MEN, 8, "role", "body"),
    ("two-primary-sources", cell("sources", 3, "source_role", "primary"), 1, "provenance", SRC, None, "source_role", "exactly one source must be primary, not 2"),
    ("no-primary-source", cell("sources", 2, "source_role", "cross_check"), 1, "provenance", SRC, None, "source_role", "exactly one"),
    ("claimant-spelt-otherwise", cell("statements", 2, "claimant", "Khalid Zerouali"), 1, "provenance", STMT, 2, "claimant", "worded"),
    # every fact tied to the words that state it
    ("quote-cut-after-as-much-as", both(cell("statistics", 5, "quote", "$175 million from human trafficking activities"), cell("statistics", 5, "quote_start", "1365"), cell("statistics", 5, "value_bound", "point")), 1, "provenance", STATS, 5, "value_bound", "the words before the number (as much as) make it upper_bound"),
    ("unlisted-word-before-a-number", both(rewrite_snapshot("gain as much as $175", "gain a whopping $175", 5), cell("statistics", 5, "value_bound", "point")), 1, "provenance", STATS, 5, "value_bound", "the words before the number end in 'a whopping', which no rule reads yet: decide"),
    ("scale-word-left-out", both(cell("mentions", 14, "mention_end", "1369"), cell("mentions", 14, "mention_text", "$175"), cell("statistics", 5, "value", "175")), 1, "provenance", MEN, 14, "mention_text", "a mention must hold a whole number as written"),
    ("ordinal-as-a-value", both(cell("mentions", 13, "role", "value"), cell("mentions", 13, "statistic_id", "trafficking_networks_dismantled_since_2004")), 1, "provenance", MEN, 13, "mention_text", "does not read as a value (an ordinal never does)"),
    ("plain-number-as-an-ordinal", both(cell("mentions", 12, "role", "ordinal"), cell("mentions", 12, "statistic_id", "")), 1, "provenance", MEN, 12, "role", "the role is 'ordinal' exactly for a number written as one"),
    ("indicator-of-another-unit", cell("statistics", 2, "indicator_id", "trafficking_networks_dismantled"), 1, "provenance", STATS, 2, "indicator_id", "the quote names the word 'attempts' for its unit, not one of trafficking_networks_dismantled's unit_words (networks cells)"),
    ("unit-another-than-its-words", cell("indicators", 5, "unit", "networks"), 1, "provenance", "data/indicators.csv", 5, "unit", "the words 'migrants' do not name this unit"),
    ("unit-words-not-the-source-s", cell("indicators", 3, "unit_words", "networks"), 1, "provenance", STATS, 4, "indicator_id", "the quote names no word for its unit, not one of trafficking_networks_dismantled's unit_words (networks)"),
    ("period-text-cut-with-its-quote", both(cell("statistics", 2, "quote", "foiling 50,000 illegal immigration attempts so far"), cell("statistics", 2, "quote_end", "424"), cell("statistics", 2, "period_text", "so far"), cell("statistics", 2, "period_type", "cumulative_to_date"), cell("statistics", 2, "period_start", "")), 1, "provenance", STATS, 2, "period_text", "must be the whole period phrase of the source: 'so far in 2017'"),
    ("so-far-ends-a-day-early", cell("statistics", 6, "period_end", "2017-11-13"), 1, "provenance", STATS, 6, "period_end", "ends on its claim_date (2017-11-14)"),
    ("location-another-word-of-the-article", cell("statements", 2, "event_location", "Sahel"), 1, "provenance", STMT, 2, "event_location", "must be worded as the primary snapshot prints it at event_location_start:event_location_end ('Rabat')"),
    ("fact-span-cuts-a-word", both(cell("statements", 2, "event_location", "abat"), cell("statements", 2, "event_location_start", "737")), 1, "provenance", STMT, 2, "event_location", "as whole words"),
    ("fact-without-evidence", both(cell("statements", 2, "claimant_role_start", ""), cell("statements", 2, "claimant_role_end", "")), 1, "provenance", STMT, 2, "claimant_role", "give claimant_role_start:claimant_role_end, or list claimant_role in inferred_fields"),
    ("printed-fact-marked-inferred", cell("statements", 2, "inferred_fields", "claim_date event"), 1, "provenance", STMT, 2, "event", "is not inferred"),
    ("inferred-area-not-marked", cell("statistics", 5, "inferred_fields", ""), 1, "provenance", STATS, 5, "inferred_fields", "area is not printed with the figure: list it"),
    ("country-code-of-another-country", cell("statistics", 2, "country_code", "DZ"), 1, "provenance", STATS, 2, "country_code", "ISO 3166-1 names 'DZ' 'Algeria'"),
    ("country-code-not-iso", cell("statistics", 3, "country_code", "ZZ"), 1, "provenance", STATS, 3, "country_code", "'ZZ' is no ISO 3166-1 code"),
    ("country-without-its-code", cell("statistics", 5, "area", "Algeria"), 1, "provenance", STATS, 5, "country_code", "'Algeria' is a country: give its code DZ"),
    ("differs-but-the-same", cell("cross_checks", 6, "reported_bound", "point"), 1, "provenance", XC, 6, "agreement", "'differs' needs a value, bound or period other than the statistic's"),
    ("agrees-on-another-period", cell("cross_checks", 2, "reported_period_text", "in 2016"), 1, "provenance", XC, 2, "agreement", "'agrees' needs the statistic's value, bound and period"),
    ("published-before-its-floor", cell("sources", 3, "published_not_before", "2017-11-15"), 1, "provenance", SRC, 3, "published", "is before published_not_before"),
    ("arabic-letters-in-notes", cell("statements", 2, "notes", "Rabat (\u0627\u0644\u0631\u0628\u0627\u0637) is inferred."), 1, "provenance", STMT, 2, "notes", "is not in the Latin script"),
    ("variation-selector-in-label", cell("indicators", 4, "label", "Terrorist\ufe0f revenue"), 1, "provenance", IND, 4, "label", "invisible or control character U+FE0F"),
    ("hangul-filler-in-label", cell("indicators", 4, "label", "Terrorist\u3164revenue"), 1, "provenance", IND, 4, "label", "invisible or control character U+3164"),
    ("mathematical-letter-in-label", cell("indicators", 3, "label", "Human-trafficking \U0001d427etworks dismantled"), 1, "provenance", IND, 3, "label", "compatibility form"),
    ("full-width-letter-in-area", cell("statistics", 5, "area", "\uff33ahel"), 1, "provenance", STATS, 5, "area", "compatibility form"),
    ("inferred-end-not-marked", cell("statistics", 2, "inferred_fields", ""), 1, "provenance", STATS, 2, "inferred_fields", "period_end is not printed"),
    ("inferred-start-not-marked", cell("statistics", 4, "inferred_fields", "period_end"), 1, "provenance", STATS, 4, "inferred_fields", "period_start is not printed"),
    ("inferred-claim-date-not-marked", cell("statements", 2, "inferred_fields", ""), 1, "provenance", STMT, 2, "inferred_fields", "claim_date"),
    ("inferred-fields-double-space", cell("statistics", 4, "inferred_fields", "period_start  period_end"), 1, "pandera", STATS, 4, "inferred_fields", "pattern"),
    ("not-reported-with-a-value", cell("cross_checks", 11, "reported_value", "23000"), 1, "provenance", XC, 11, "reported_value", "not_reported"),
    ("differs-without-a-value", cell("cross_checks", 4, "reported_value", ""), 1, "provenance", XC, 4, "reported_value", "only a not_reported"),
    ("cross-check-with-the-primary", cell("cross_checks", 2, "source_id", "northafricapost-20703"), 1, "provenance", XC, 2, "source_id", "compare only with cross_check sources"),
    # structure and descriptor
    ("table-left-out", descriptor(lambda d: d["resources"].pop(1)), 1, "files", DP, None, None, "resources[statements] removed"),
    ("duplicate-resource-name", descriptor(lambda d: d["resources"].append(dict(d["resources"][2]))), 1, "files", DP, None, None, "resources order changed"),
    ("text-resource", descriptor(lambda d: d["resources"].append({"name": "x", "path": SNAP, "type": "text", "schema": "schemas/statistics.schema.json"})), 1, "files", DP, None, None, "resources[x] added"),
    ("unknown-field-type", schema_edit("indicators", lambda s: field_of(s, "label").update(type="geopoint")), 1, "files", "schemas/indicators.schema.json", None, "label", "type"),
    ("unknown-constraint", schema_edit("indicators", lambda s: field_of(s, "label")["constraints"].update(exclusiveMinimum=0)), 1, "files", "schemas/indicators.schema.json", None, "label", "constraints"),
    ("catastrophic-pattern", schema_edit("indicators", lambda s: field_of(s, "label")["constraints"].update(pattern="(a+)+$")), 1, "files", "schemas/indicators.schema.json", None, "label", "backtrack"),
    ("alternation-in-repeat", schema_edit("indicators", lambda s: field_of(s, "label").update({"x-pattern": "(a|aa)*"})), 1, "files", "schemas/indicators.schema.json", None, "label", "backtrack"),
    ("two-unbounded-repeats", schema_edit("indicators", lambda s: field_of(s, "label")["constraints"].update(pattern=".*a.*b")), 1, "files", "schemas/indicators.schema.json", None, "label", "unbounded"),
    ("back-reference", schema_edit("indicators", lambda s: field_of(s, "label")["constraints"].update(pattern="(a)\\1")), 1, "files", "schemas/indicators.schema.json", None, "label", "back-references and look-arounds are not allowed"),
    ("pattern-not-a-regex", schema_edit("indicators", lambda s: field_of(s, "label")["constraints"].update(pattern="(")), 1, "files", "schemas/indicators.schema.json", None, "label", "regular expression"),
    ("fields-not-a-list", schema_edit("indicators", lambda s: s.update(fields={"a": 1})), 1, "files", "schemas/indicators.schema.json", None, "fields", "list"),
    ("field-without-a-name", schema_edit("indicators", lambda s: s["fields"][0].pop("name")), 1, "files", "schemas/indicators.schema.json", None, "fields", "name"),
    ("sources-a-number", descriptor(lambda d: d.update(sources=5)), 1, "files", DP, None, "sources", "list of objects"),
    ("encoding-left-out-means-utf-8", descriptor(lambda d: resource(d, "indicators").pop("encoding")), 0, None, "", None, None, ""),
    ("type-left-out-means-string", schema_edit("indicators", lambda s: field_of(s, "label").pop("type")), 0, None, "", None, None, ""),
    ("constraints-left-out", schema_edit("indicators", lambda s: field_of(s, "definition").pop("constraints")), 0, None, "", None, None, ""),
    ("sources-not-a-list", descriptor(lambda d: d.update(sources="x")), 1, "files", DP, None, "sources", "list of objects"),
    ("snapshot-pin-without-hash", descriptor(lambda d: d["sources"][1].pop("hash")), 1, "files", SNAP, None, "hash", "hash and bytes must be"),
    ("columns-reordered", lambda r: edit_rows(r, "indicators", lambda t: [[row[1], row[0], *row[2:]] for row in t]), 1, "frictionless", IND, None, None, "label"),
    ("primary-key-on-a-missing-field", schema_edit("indicators", lambda s: s.update(primaryKey=["nope"])), 1, "files", "schemas/indicators.schema.json", None, "primaryKey", "must name fields"),
    ("foreign-key-to-a-missing-table", schema_edit("statistics", lambda s: s["foreignKeys"][0]["reference"].update(resource="nope")), 1, "frictionless", STATS, None, None, "foreign"),
    # a copy brings its own rules: each difference from the release's is named, file and JSON path
    ("primary-key-removed", schema_edit("statistics", lambda s: s.pop("primaryKey")), 1, "files", "schemas/statistics.schema.json", None, None, f'primaryKey removed (release {VERSION}: ["statistic_id"])'),
    ("foreign-keys-removed", schema_edit("statistics", lambda s: s.pop("foreignKeys")), 1, "files", "schemas/statistics.schema.json", None, None, "foreignKeys removed"),
    ("one-foreign-key-removed", schema_edit("statistics", lambda s: s["foreignKeys"].pop()), 1, "files", "schemas/statistics.schema.json", None, None, "foreignKeys changed"),
    ("missing-values-declared", schema_edit("statements", lambda s: s.update(missingValues=["", "NA"])), 1, "files", "schemas/statements.schema.json", None, None, "missingValues changed"),
    ("unique-dropped", schema_edit("indicators", lambda s: field_of(s, "indicator_id")["constraints"].pop("unique")), 1, "files", "schemas/indicators.schema.json", None, None, "fields[indicator_id].constraints.unique removed"),
    ("constraint-dropped", schema_edit("indicators", lambda s: field_of(s, "definition").pop("constraints")), 1, "files", "schemas/indicators.schema.json", None, None, "fields[definition].constraints removed"),
    ("enum-widened", schema_edit("statistics", lambda s: field_of(s, "value_bound")["constraints"]["enum"].append("approximate")), 1, "files", "schemas/statistics.schema.json", None, None, "fields[value_bound].constraints.enum changed"),
    ("pattern-loosened", schema_edit("indicators", lambda s: field_of(s, "label")["constraints"].update(pattern=".*")), 1, "files", "schemas/indicators.schema.json", None, None, "fields[label].constraints.pattern changed"),
    ("type-changed", schema_edit("statistics", lambda s: field_of(s, "value").update(type="number")), 1, "files", "schemas/statistics.schema.json", None, None, f'fields[value].type changed (release {VERSION}: "integer")'),
    ("field-added", schema_edit("indicators", lambda s: s["fields"].append({"name": "extra"})), 1, "files", "schemas/indicators.schema.json", None, None, "fields[extra] added"),
    ("field-removed", schema_edit("indicators", lambda s: s["fields"].remove(field_of(s, "unit"))), 1, "files", "schemas/indicators.schema.json", None, None, "fields[unit] removed"),
    ("fields-reordered", schema_edit("indicators", lambda s: s["fields"].reverse()), 1, "files", "schemas/indicators.schema.json", None, None, "fields order changed"),
    ("comment-char", res("statistics", dialect={"commentChar": "#"}), 1, "files", DP, None, None, "resources[statistics].dialect.commentChar added"),
    ("tab-delimiter", descriptor(lambda d: resource(d, "statistics")["dialect"].update(delimiter="\t")), 1, "files", DP, None, None, f'resources[statistics].dialect.delimiter changed (release {VERSION}: ",")'),
    ("header-false", descriptor(lambda d: resource(d, "mentions")["dialect"].update(header=False)), 1, "files", DP, None, None, "resources[mentions].dialect.header changed"),
    ("compression", res("statistics", compression="gz"), 1, "files", DP, None, None, "resources[statistics].compression added"),
    ("scheme-changed", res("statistics", scheme="https"), 1, "files", DP, None, None, "resources[statistics].scheme changed"),
    ("resource-profile", res("statistics", profile="https://datapackage.org/profiles/2.0/dataresource.json"), 1, "files", DP, None, None, "resources[statistics].profile added"),
    ("resource-added", descriptor(lambda d: d["resources"].append({**resource(d, "indicators"), "name": "extra"})), 1, "files", DP, None, None, "resources[extra] added"),
    ("schema-path-changed", res("indicators", schema="schemas/statistics.schema.json"), 1, "files", DP, None, None, "resources[indicators].schema changed"),
    ("defaults-spelt-out", descriptor(lambda d: resource(d, "indicators").update(encoding="utf-8", dialect={})), 0, None, "", None, None, ""),
    ("created-in-the-future", descriptor(lambda d: d.update(created="2999-01-01T00:00:00Z")), 1, "files", DP, None, "created", "after the moment of validation"),
    ("licence-path-outside", descriptor(lambda d: d["licenses"][0].update(path="../LICENSE")), 1, "files", DP, None, "licenses", "http(s) URL or a file inside"),
    ("licence-path-file-url", descriptor(lambda d: d["licenses"][0].update(path="file:///etc/passwd")), 1, "files", DP, None, "licenses", "http(s) URL or a file inside"),
    ("descriptor-title-hides-an-escape", descriptor(lambda d: d.update(title=d["title"] + "\x1b[31m\u2066")), 1, "provenance", DP, None, None, "$.title: invisible or control character U+001B"),
    ("schema-description-with-a-nul", schema_edit("statistics", lambda s: s["fields"][0].update(description="A\x00B")), 1, "provenance", "schemas/statistics.schema.json", None, None, "description: invisible or control character U+0000"),
    ("descriptor-key-with-a-newline", descriptor(lambda d: d.update({"x\ny": 1})), 1, "provenance", DP, None, None, "invisible or control character U+000A"),
    ("a-row-of-a-million-cells", write(STATS, (ROOT / STATS).read_bytes() + b"," * 1_000_000 + b"\n"), 1, "files", STATS, 8, None, "more than 1,000 commas"),
    ("licence-path-inside", descriptor(lambda d: d["licenses"][0].update(path="data/statistics.csv")), 0, None, "", None, None, ""),
]
# fmt: on
# Cases of the fork mode (--rules copy): the copy's own Table Schemas are screened for anything the reader would not
# honour; under the release's rules the same edits are differences, named above by class. The descriptor's tables,
# paths and dialects are the release's in either mode.
COPY_RULES = {
    *[
        "unknown-field-type",
        "unknown-constraint",
        "catastrophic-pattern",
        "alternation-in-repeat",
        "two-unbounded-repeats",
        "back-reference",
        "pattern-not-a-regex",
        "fields-not-a-list",
        "field-without-a-name",
        "constraints-left-out",
        "schema-is-an-array",
        "schema-not-json",
        "primary-key-on-a-missing-field",
        "foreign-key-to-a-missing-table",
        "table-schema-profile-url",
    ]
}


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """Any hang fails the test after 60 s instead of stalling the suite."""

    class Hung(BaseException):  # not an Exception, so that no `except Exception` in a library swallows it
        pass

    def expire(*_: object) -> None:
        raise Hung("validate hung for 60 s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every socket connection and name lookup is recorded and refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def run_validate(root: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, dict[str, Any] | None, str, str]:
    code = main(["validate", str(root), "--json", "--timeout", "30", *more])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code != 2 else None), out, err


def test_there_are_enough_distinct_cases() -> None:
    assert len({case[0] for case in CASES}) == len(CASES) >= 120


@pytest.mark.parametrize(
    ("name", "corrupt", "code", "stage", "file", "row", "field", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_hostile_copy_is_caught_where_it_is(
    name: str,
    corrupt: Corrupt,
    code: int,
    stage: str | None,
    file: str,
    row: int | None,
    field: str | None,
    words: str,
    package_copy: Path,
    capsys: pytest.CaptureFixture[str],
    no_network: list[object],
) -> None:
    corrupt(package_copy)
    got, report, out, err = run_validate(package_copy, capsys, *(["--rules", "copy"] if name in COPY_RULES else []))
    assert no_network == [], "a network access was attempted"
    assert "root:" not in out + err, "a byte of an outside file leaked into the output"
    assert got == code, out + err
    if code == 0:
        assert report["problems"] == []
        return
    if code == 2:
        assert file in err and says(err, words) and len(err.strip().splitlines()) == 1, err
        return
    assert_caught(report, stage, file, row, field, words)
