"""Issue: one fact in one place, and schema rules that every client can take."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter

import pytest

from edits import ROOT

SCHEMAS = {p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in sorted((ROOT / "schemas").glob("*.json"))}
FIELDS = [(table, field) for table, schema in SCHEMAS.items() for field in schema["fields"]]
SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+")


def sentences(text: str) -> list[str]:
    """Runs of words of 40 characters or more ended by a stop; identifiers (no spaces) are keys, not sentences."""
    return [s.strip() for s in SENTENCE_END.split(text) if len(s.strip()) >= 40 and s.count(" ") >= 3]


def repeated_sentences(files: dict[str, str]) -> list[str]:
    counts: Counter[str] = Counter()
    for text in files.values():
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                counts.update(sentences(cell))
    return [sentence for sentence, n in counts.items() if n > 1]


def test_no_sentence_of_40_characters_appears_twice_in_data() -> None:
    # The snapshot is the source itself (it prints its own headline twice); the rule is for what we write.
    files = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "data").glob("*.csv")}
    assert repeated_sentences(files) == []


def test_the_repetition_check_can_fail() -> None:
    note = "The article gives no period for this figure at all, as printed."
    assert repeated_sentences({"a.csv": f'x\n"{note}"\n', "b.csv": f'y\n"{note} And more."\n'}) == [note]


@pytest.mark.parametrize(("table", "field"), FIELDS, ids=[f"{t}.{f['name']}" for t, f in FIELDS])
def test_every_example_is_a_string(table: str, field: dict) -> None:
    assert "example" not in field or isinstance(field["example"], str)


@pytest.mark.parametrize(("table", "field"), FIELDS, ids=[f"{t}.{f['name']}" for t, f in FIELDS])
def test_patterns_sit_where_sqlite_can_take_them(table: str, field: dict) -> None:
    required = field.get("constraints", {}).get("required", False)
    assert "pattern" not in field.get("constraints", {}) or required, "a pattern on an optional field breaks SQLite"
    assert "x-pattern" not in field or not required, "a required field keeps its pattern in constraints"


@pytest.mark.parametrize(("table", "field"), FIELDS, ids=[f"{t}.{f['name']}" for t, f in FIELDS])
def test_no_text_field_takes_a_formula(table: str, field: dict) -> None:
    if field.get("type", "string") != "string" or field.get("constraints", {}).get("enum"):
        return
    patterns = [p for p in (field.get("constraints", {}).get("pattern"), field.get("x-pattern")) if p]
    assert patterns, f"{table}.{field['name']} has no pattern"
    for trigger in ("=", "+", "-", "@", " ", "\t"):
        assert not all(re.fullmatch(p, f"{trigger}SUM(A1)") for p in patterns), (field["name"], trigger)
