"""Issue: the pandera schemas are derived from the Table Schemas; every field and constraint arrives and bites."""

from __future__ import annotations

import json
import re

import pandas as pd
import pandera.pandas as pa
import pytest

import morocco_migration_2017 as mm
from edits import ROOT
from morocco_migration_2017.pandera_schemas import _spelled, column_for, schema_for
from morocco_migration_2017.validation import open_package

RESOURCES = open_package(ROOT).resources
FIELDS = [(name, field) for name, res in RESOURCES.items() for field in res.fields]
CONSTRAINT_CHECKS = {"enum", "minimum", "maximum", "pattern", "minLength", "maxLength"}


def test_every_schema_file_is_a_resource() -> None:
    on_disk = {p.name.removesuffix(".schema.json") for p in (ROOT / "schemas").glob("*.schema.json")}
    assert on_disk == set(RESOURCES)


@pytest.mark.parametrize(("table", "field"), FIELDS, ids=[f"{t}.{f['name']}" for t, f in FIELDS])
def test_field_arrives_with_every_constraint(table: str, field: dict) -> None:
    column = schema_for(RESOURCES[table]).columns[field["name"]]
    constraints = field.get("constraints", {})
    assert column.nullable is not constraints.get("required", False)
    assert column.unique is bool(constraints.get("unique", False))
    expected = sorted(set(constraints) & CONSTRAINT_CHECKS) + (["pattern"] if "x-pattern" in field else [])
    assert sorted(check.name for check in column.checks) == sorted(expected)
    assert column.description == field["description"]


@pytest.mark.parametrize("table", sorted(RESOURCES))
def test_schema_order_and_keys(table: str) -> None:
    resource = RESOURCES[table]
    schema = schema_for(resource)
    assert list(schema.columns) == resource.field_names and schema.strict and schema.ordered
    if len(resource.primary_key) > 1:
        assert schema.unique == resource.primary_key
    else:
        assert schema.columns[resource.primary_key[0]].unique


@pytest.mark.parametrize("table", sorted(RESOURCES))
def test_the_public_schema_accepts_the_loaded_table(table: str) -> None:
    frame = mm.load(table)
    assert mm.schema(table).validate(frame) is not None


def test_a_derived_frame_with_a_negative_value_fails_naming_value() -> None:
    derived = mm.load().query("value > 100").copy()
    derived.loc[derived.index[0], "value"] = -1
    with pytest.raises(pa.errors.SchemaError, match="value"):
        mm.schema("statistics").validate(derived)


def _fails(field: dict, cells: list) -> bool:
    dtype = {"integer": "Int64", "number": "float64", "date": "datetime64[us]"}.get(field["type"], "string")
    if field.get("constraints", {}).get("enum"):
        dtype = pd.CategoricalDtype(field["constraints"]["enum"])
    try:
        pa.DataFrameSchema({field["name"]: column_for(field)}).validate(
            pd.DataFrame({field["name"]: pd.Series(cells).astype(dtype)}), lazy=True
        )
    except pa.errors.SchemaErrors:
        return True
    return False


CASES = [
    ({"name": "n", "type": "integer", "constraints": {"minimum": 1}}, [1], [0]),
    ({"name": "n", "type": "number", "constraints": {"maximum": 10}}, [9.5], [10.5]),
    ({"name": "d", "type": "date", "constraints": {"minimum": "2000-01-01"}}, ["2017-11-14"], ["1999-12-31"]),
    ({"name": "s", "type": "string", "constraints": {"pattern": "[a-z]+"}}, ["abc"], ["abc1"]),
    ({"name": "s", "type": "string", "x-pattern": "[A-Z]{2}"}, ["MA", None], ["ma"]),
    ({"name": "s", "type": "string", "constraints": {"minLength": 2}}, ["ab"], ["a"]),
    ({"name": "s", "type": "string", "constraints": {"maxLength": 2}}, ["ab"], ["abc"]),
    ({"name": "s", "type": "string", "constraints": {"required": True}}, ["a"], [None]),
    ({"name": "s", "type": "string", "constraints": {"unique": True}}, ["a", "b"], ["a", "a"]),
]


@pytest.mark.parametrize(
    ("field", "good", "bad"), CASES, ids=[f"{c[0]['type']}-{c[0].get('constraints', c[0])}" for c in CASES]
)
def test_constraint_is_enforced(field: dict, good: list, bad: list) -> None:
    assert not _fails(field, good)
    assert _fails(field, bad)


def test_an_enum_outside_its_categories_fails() -> None:
    field = {"name": "s", "type": "string", "constraints": {"enum": ["a", "b"]}}
    frame = pd.DataFrame({"s": pd.Series(["c"], dtype=pd.CategoricalDtype(["a", "b", "c"]))})
    with pytest.raises(pa.errors.SchemaErrors):
        pa.DataFrameSchema({"s": column_for(field)}).validate(frame, lazy=True)


def test_schemas_categories_document_exactly_the_enum() -> None:
    for path in (ROOT / "schemas").glob("*.json"):
        for field in json.loads(path.read_text())["fields"]:
            if "categories" in field:
                assert [c["value"] for c in field["categories"]] == field["constraints"]["enum"], field["name"]


def test_category_labels_are_read_from_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "_hooks"))  # the docs renderer, which alone reads the labels
    from site_render import category_labels

    field = RESOURCES["statistics"].field("value_bound")
    assert category_labels(field) == {c["value"]: c["label"] for c in field["categories"]}
    assert category_labels({"name": "x"}) == {}


def test_a_frame_missing_a_column_is_reported_without_a_row() -> None:
    from morocco_migration_2017.pandera_schemas import pandera_problems

    problems = list(pandera_problems(RESOURCES["indicators"], mm.load("indicators").drop(columns=["unit"])))
    assert problems and all(p.file == "data/indicators.csv" for p in problems)
    assert any(p.row is None and "unit" in str(p.value) for p in problems)


def test_problems_carry_the_message_and_the_bad_value() -> None:
    from morocco_migration_2017.pandera_schemas import pandera_problems

    frame = mm.load("statistics")
    frame.loc[1, "value"] = -5
    frame["value_bound"] = frame["value_bound"].cat.add_categories(["roughly"])
    frame.loc[2, "value_bound"] = "roughly"
    found = {(p.row, p.field): (p.message, p.value) for p in pandera_problems(RESOURCES["statistics"], frame)}
    assert found[(3, "value")] == ("minimum: must be at least 0", -5)
    assert found[(4, "value_bound")][1] == "roughly" and found[(4, "value_bound")][0].startswith("enum: must be one of")


def test_a_frame_of_the_wrong_dtype_fails() -> None:
    frame = mm.load("statistics").astype({"value": "float64"})
    with pytest.raises(pa.errors.SchemaError, match="value"):
        mm.schema("statistics").validate(frame)


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("(a)?(?(1)b|c)", "back-references"),
        ("(?!a)b", "look-arounds"),
        ("(?<=a)b", "look-arounds"),
        ("(a++)+", "repetition inside a repetition"),
        ("a*+b*+", "more than one unbounded repetition"),
        ("(?>a+)+", "repetition inside a repetition"),
        ("a{2000}", "repetition count above 1000"),
    ],
)
def test_patterns_that_can_backtrack_are_refused(pattern: str, words: str) -> None:
    from morocco_migration_2017.rules import backtracking_reason

    assert words in (backtracking_reason(pattern) or "")
    assert backtracking_reason("[a-z](_?[a-z0-9])*") is None and backtracking_reason("a{1000}") is None


PATTERNS = [r"[^=+\-@\s](.*\S)?", r"https?://\S+", r"a\sb[\s\d]\\s[^\]\s]", r"[\S]x", r"[a-z_]( ?[a-z_])*"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_spelled_pattern_matches_what_the_pattern_matches(pattern: str) -> None:
    texts = [chr(c) for c in range(0x3100)] + ["a b", " x", "x ", "=x", "a\u00a0b", "a\u2009", "ab\n", "a\x0bb", "a\\sb"]
    spelled = pd.Series(texts, dtype="string").str.fullmatch(_spelled(pattern)).tolist()
    assert spelled == [re.fullmatch(pattern, t) is not None for t in texts]
