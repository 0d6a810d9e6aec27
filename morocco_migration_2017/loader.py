"""Load the tables as typed pandas DataFrames, with pandas alone (no frictionless, no pandera)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import resolve_root
from .table_schema import Resource, enum_values, tabular_resources

# Only an empty cell is missing: the strings NA, null and None are data.
_READ_OPTIONS: dict[str, Any] = {
    "dtype": str,
    "keep_default_na": False,
    "na_values": [""],
    "skip_blank_lines": False,
    "encoding": "utf-8",
    "sep": ",",
}


def read_raw(source: Path | bytes) -> pd.DataFrame:
    """A CSV (a path, or its bytes) as text cells, empty cells as missing; row i is spreadsheet row i + 2."""
    return pd.read_csv(io.BytesIO(source) if isinstance(source, bytes) else source, **_READ_OPTIONS)


def _typed(column: pd.Series, field: dict[str, Any]) -> pd.Series:
    kind = field.get("type", "string")
    enum = enum_values(field)
    if enum is not None:
        return column.astype(pd.CategoricalDtype(categories=enum))
    if kind == "integer":
        return pd.to_numeric(column).astype("Int64")
    if kind == "number":
        return pd.to_numeric(column).astype("float64")
    if kind == "date":
        return pd.to_datetime(column, format="%Y-%m-%d")
    return column.astype("string")


def _load_resource(root: Path, resource: Resource) -> pd.DataFrame:
    raw = read_raw(root / resource.path)
    return pd.DataFrame({field["name"]: _typed(raw[field["name"]], field) for field in resource.fields})


def table_names(root: str | Path | None = None) -> list[str]:
    """Names of the tables, in the order of datapackage.json."""
    return list(tabular_resources(root))


def load(name: str = "statistics", root: str | Path | None = None) -> pd.DataFrame:
    """One table as a DataFrame typed from its Table Schema, columns in the schema's order."""
    base = resolve_root(root)
    resources = tabular_resources(base)
    if name not in resources:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(resources)}")
    return _load_resource(base, resources[name])


def load_all(root: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, by name."""
    base = resolve_root(root)
    return {name: _load_resource(base, res) for name, res in tabular_resources(base).items()}
