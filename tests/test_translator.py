"""Issue: the pandera schemas are derived from the Table Schemas; every field and constraint arrives and bites."""

from __future__ import annotations

import json

import pandas as pd
import pandera.pandas as pa
import pytest

from edits import ROOT
from morocco_migration_2017.pandera_schemas import column_for, schema_for
from morocco_migration_2017.table_schema import tabular_resources

RESOURCES = tabular_resources(ROOT)
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
    names = [check.name for check in column.checks]
    assert sorted(n for n in names if n != "type") == sorted(set(constraints) & CONSTRAINT_CHECKS)
    assert column.description == field["description"]
    assert ("type" in names) is (field["type"] == "date")


@pytest.mark.parametrize("table", sorted(RESOURCES))
def test_schema_order_and_keys(table: str) -> None:
    resource = RESOURCES[table]
    schema = schema_for(resource)
    assert list(schema.columns) == resource.field_names and schema.strict and schema.ordered
    if len(resource.primary_key) > 1:
        assert schema.unique == resource.primary_key
    else:
        assert schema.columns[resource.primary_key[0]].unique


def _fails(field: dict, cells: list) -> bool:
    try:
        pa.DataFrameSchema({field["name"]: column_for(field)}).validate(
            pd.DataFrame({field["name"]: pd.Series(cells, dtype="object")}), lazy=True
        )
    except pa.errors.SchemaErrors:
        return True
    return False


CASES = [
    ({"name": "n", "type": "integer", "constraints": {"minimum": 1}}, ["1"], ["0"]),
    ({"name": "n", "type": "number", "constraints": {"maximum": 10}}, ["9.5"], ["10.5"]),
    ({"name": "s", "type": "string", "constraints": {"enum": ["a", "b"]}}, ["a"], ["c"]),
    ({"name": "s", "type": "string", "constraints": {"pattern": "[a-z]+"}}, ["abc"], ["abc1"]),
    ({"name": "s", "type": "string", "constraints": {"minLength": 2}}, ["ab"], ["a"]),
    ({"name": "s", "type": "string", "constraints": {"maxLength": 2}}, ["ab"], ["abc"]),
    ({"name": "s", "type": "string", "constraints": {"required": True}}, ["a"], [None]),
    ({"name": "s", "type": "string", "constraints": {"unique": True}}, ["a", "b"], ["a", "a"]),
    ({"name": "d", "type": "date"}, ["2017-11-14"], ["14/11/2017"]),
    ({"name": "d", "type": "date"}, [None], ["2017-02-30"]),
    ({"name": "n", "type": "integer"}, ["3"], ["3.5"]),
    ({"name": "n", "type": "number"}, ["3.5"], ["three"]),
]


@pytest.mark.parametrize(("field", "good", "bad"), CASES, ids=[f"{c[0]['type']}-{c[0].get('constraints')}" for c in CASES])
def test_constraint_is_enforced(field: dict, good: list, bad: list) -> None:
    assert not _fails(field, good)
    assert _fails(field, bad)


def test_untranslatable_constraint_is_refused_not_dropped() -> None:
    with pytest.raises(ValueError, match="exclusiveMinimum"):
        column_for({"name": "n", "type": "integer", "constraints": {"exclusiveMinimum": 0}})
    with pytest.raises(ValueError, match="geopoint"):
        column_for({"name": "g", "type": "geopoint"})


def test_schemas_categories_document_exactly_the_enum() -> None:
    for path in (ROOT / "schemas").glob("*.json"):
        for field in json.loads(path.read_text())["fields"]:
            if "categories" in field:
                assert [c["value"] for c in field["categories"]] == field["constraints"]["enum"], field["name"]
