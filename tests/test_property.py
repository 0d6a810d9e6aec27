"""Issue: arbitrary text, numbers and dates in any field of any table: validate never raises, never hangs, and
says "valid" only for clean data.

The oracle below is written with the standard library from the schemas alone. A cell tied to the source
(a value, an offset, a quote, a key, a date the checks derive) may pass only unchanged; a free cell (a
note, a label, a URL) may pass changed, but only if it is clean text that fits its field.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from edits import ROOT, copy_package
from morocco_migration_2017.validation import validate_package

SCHEMAS = {p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in sorted((ROOT / "schemas").glob("*.json"))}
FIELDS = [(table, field) for table, schema in SCHEMAS.items() for field in schema["fields"]]
# Cells no check can hold to the source: any clean value that fits the field may pass. (A title is held to the
# snapshot's headline only for the primary source; see is_free.)
FREE = {
    "statistics": {"notes", "area", "country_code"},
    "statements": {"notes"},
    "indicators": {"label", "definition", "unit"},
    "sources": {
        "publisher",
        "short_name",
        "url",
        "language",
        "rights",
        "notes",
        "published",
        "published_not_before",
        "title",
    },
    "mentions": {"notes"},
    "cross_checks": {"reported_period_text", "difference", "reported_bound"},
}
TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "1e5",
    "INF",
    "NaN",
    "５",
    "٣",
    "2017-02-30",
    "9999-12-31",
    "=1+1",
    "a\x00b",
    "a\u200bb",
    "Мorocco",
    "e\u0301",
    "\u202e",
    "a\nb",
    "x" * 3000,
]
VALUES = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


def _clean_text(value: str) -> bool:
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn") for c in value):
        return False
    if unicodedata.normalize("NFC", value) != value:
        return False
    for word in re.findall(r"\w+", value):
        scripts = {unicodedata.name(c, "").split(" ")[0] for c in word if c.isalpha()}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            return False
    return True


def fits(value: str, field: dict[str, Any]) -> bool:
    """Could a clean package hold this value in this field? (A necessary condition, from the schema alone.)"""
    rules = field.get("constraints", {})
    if value == "":
        return not rules.get("required", False)
    kind = field.get("type", "string")
    if kind == "date" and not ("1956-03-02" <= value <= "2026-11-28" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return False
    if kind == "integer" and not re.fullmatch(r"-?(0|[1-9]\d{0,17})", value):
        return False
    if "enum" in rules and value not in rules["enum"]:
        return False
    patterns = [p for p in (rules.get("pattern"), field.get("x-pattern")) if p]
    return _clean_text(value) and all(re.fullmatch(p, value) for p in patterns)


def is_free(table: str, name: str, record: dict[str, str]) -> bool:
    if table == "sources" and name == "title":
        return record["source_role"] == "cross_check"
    return name in FREE[table]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_package(tmp_path_factory.mktemp("property"))


# About 0.3 s a validation: 100 examples keep this test well within its 60 s. No shrinking: a failure prints
# its example as generated.
@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(target=st.sampled_from(FIELDS), row=st.integers(min_value=0, max_value=40), value=VALUES)
def test_validate_never_raises_and_passes_only_clean_data(
    scratch: Path, target: tuple[str, dict[str, Any]], row: int, value: str
) -> None:
    table, field = target
    path = scratch / "data" / f"{table}.csv"
    original = path.read_bytes()
    rows = list(csv.reader(io.StringIO(original.decode("utf-8"), newline="")))
    index = 1 + row % (len(rows) - 1)
    column = rows[0].index(field["name"])
    before, rows[index][column] = rows[index][column], value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    try:
        report = validate_package(scratch, timeout=20)
    finally:
        path.write_bytes(original)
    assert not any("did not finish" in p.message for p in report.problems)
    if report.valid and value != before:
        assert is_free(table, field["name"], dict(zip(rows[0], rows[index], strict=True))) and fits(value, field), (
            f"{table}.{field['name']} = {value!r} passed"
        )


def test_the_oracle_is_not_vacuous() -> None:
    area = next(f for f in SCHEMAS["statistics"]["fields"] if f["name"] == "area")
    assert fits("Sahel", area) and not fits("Sa\u200bhel", area) and not fits("=1+1", area) and not fits("", area)
