"""Issue: load() returns DataFrames typed from the Table Schemas, with pandas alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import morocco_migration_2017 as mm
import plain_checks as pc
from edits import ROOT, set_cell

SCHEMAS = {p.name.removesuffix(".schema.json"): json.loads(p.read_text()) for p in (ROOT / "schemas").glob("*.json")}


def test_every_table_loads_with_its_rows() -> None:
    tables = mm.load_all()
    assert list(tables) == ["statistics", "statements", "indicators", "sources", "mentions", "cross_checks"]
    for name, frame in tables.items():
        assert len(frame) == len(pc.rows(ROOT, name)), name


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_dtypes_and_column_order_follow_the_schema(name: str) -> None:
    frame = mm.load(name)
    fields = SCHEMAS[name]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    for field in fields:
        dtype = frame[field["name"]].dtype
        enum = field.get("constraints", {}).get("enum")
        if enum:
            assert isinstance(dtype, pd.CategoricalDtype) and list(dtype.categories) == enum, field["name"]
        elif field["type"] == "integer":
            assert dtype == "Int64", field["name"]
        elif field["type"] == "date":
            assert pd.api.types.is_datetime64_dtype(dtype), field["name"]
        else:
            assert dtype == "string", field["name"]


def test_values_are_the_numbers_not_text() -> None:
    stats = mm.load().set_index("statistic_id")
    assert stats.loc["terrorist_trafficking_revenue", "value"] == 175_000_000
    assert stats.loc["migration_attempts_foiled_2017_ytd", "period_end"] == pd.Timestamp("2017-11-14")
    assert pd.isna(stats.loc["voluntary_returns_to_date", "period_start"])


def test_only_empty_cells_are_missing(package_copy: Path) -> None:
    for row, text in ((2, "NA"), (3, "null"), (4, "None")):
        set_cell(package_copy, "statistics", row, "area", text)
    areas = mm.load("statistics", package_copy)["area"]
    assert list(areas[:3]) == ["NA", "null", "None"]
    assert mm.load("statistics", package_copy)["country_code"].isna().sum() == 1  # the Sahel row


def test_unknown_table_names_the_tables() -> None:
    with pytest.raises(KeyError, match="statistics"):
        mm.load("nope")


def test_import_and_load_leave_frictionless_and_pandera_out(tmp_path: Path) -> None:
    code = (
        "import sys, morocco_migration_2017 as mm; mm.load_all(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('frictionless', 'pandera')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_works_from_any_directory(tmp_path: Path) -> None:
    code = "import morocco_migration_2017 as mm; print(len(mm.load()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(len(pc.rows(ROOT, "statistics")))
