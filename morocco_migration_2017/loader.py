"""The public reading API: tables as pandas DataFrames typed from their Table Schemas (no frictionless, no
pandera unless asked), each call opening the package once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .package import open_package
from .problems import PackageError

# Statistics joined with what they reference: each fact beside the value, one call away.
FLAT_JOINS = (("statements", "statement_id"), ("indicators", "indicator_id"))


def table_names(root: str | Path | None = None) -> list[str]:
    """Names of the tables, in the order of datapackage.json."""
    return list(open_package(root).resources)


def load(name: str = "statistics", root: str | Path | None = None, *, validate: bool = False) -> pd.DataFrame:
    """One table, typed from its Table Schema. validate=True also runs the pandera schemas (for other copies)."""
    tables = load_all(root, validate=validate)
    if name not in tables:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(tables)}")
    return tables[name]


def load_all(root: str | Path | None = None, *, validate: bool = False) -> dict[str, pd.DataFrame]:
    """Every table, by name."""
    return open_package(root, validate=validate).tables


def load_flat(root: str | Path | None = None, *, validate: bool = False) -> pd.DataFrame:
    """The statistics, each row self-contained: the statement's claimant and date, the indicator's label and unit."""
    tables = load_all(root, validate=validate)
    missing = [name for name in ("statistics", *(t for t, _ in FLAT_JOINS)) if name not in tables]
    if missing:
        raise PackageError(f"the flat view needs the table {missing[0]!r}, which the package lacks")
    flat = tables["statistics"]
    for table, key in FLAT_JOINS:
        other = tables[table].rename(columns={"inferred_fields": "statement_inferred_fields", "notes": "statement_notes"})
        flat = flat.merge(other, on=key, how="left", validate="many_to_one")
    return flat
