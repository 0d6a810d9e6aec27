"""Where code or a second schema must name the same values as a schema's enum, they stay equal."""

from __future__ import annotations

import csv
import io
import json

from edits import ROOT
from morocco_migration_2017 import provenance
from morocco_migration_2017.presentation import BOUND_WORDS


def enum(table: str, field: str) -> list[str]:
    schema = json.loads((ROOT / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))
    return next(f for f in schema["fields"] if f["name"] == field)["constraints"]["enum"]


def test_bound_wording_covers_exactly_the_bounds() -> None:
    assert sorted(BOUND_WORDS) == sorted(enum("statistics", "value_bound"))


def test_reported_bounds_are_the_statistic_bounds_plus_approximate() -> None:
    assert enum("cross_checks", "reported_bound") == [*enum("statistics", "value_bound"), "approximate"]


def test_provenance_roles_are_the_mention_roles() -> None:
    handled = [*provenance.VALUE_ROLES, *provenance.BOUND_ROLES, provenance.ORDINAL_ROLE]
    assert sorted(handled) == sorted(enum("mentions", "role"))


def test_descriptor_source_is_the_primary_source_row() -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    rows = csv.DictReader(io.StringIO((ROOT / "data/sources.csv").read_text(encoding="utf-8"), newline=""))
    primary = next(r for r in rows if r["source_role"] == "primary")
    source, pin = descriptor["sources"]
    assert pin["path"] == primary["snapshot_path"]
    assert source["path"] == primary["url"]
    assert primary["title"] in source["title"] and primary["publisher"] in source["title"]


def test_every_constraint_the_schemas_use_is_accepted() -> None:
    from morocco_migration_2017.rules import CONSTRAINTS

    used = {
        key
        for path in (ROOT / "schemas").glob("*.json")
        for f in json.loads(path.read_text())["fields"]
        for key in f.get("constraints", {})
    }
    assert used <= set(CONSTRAINTS)
