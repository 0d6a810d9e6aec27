"""Load the tables as pandas DataFrames typed from their Table Schemas (no frictionless, no pandera unless asked)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from .problems import DataPackageError, Problem
from .safe_read import PackageError, read_file
from .table_schema import Resource, enum_values, open_package

# Only an empty cell is missing: the strings NA, null and None are data.
_READ_OPTIONS: dict[str, Any] = {"dtype": str, "keep_default_na": False, "na_values": [""], "skip_blank_lines": False}
# ASCII digits only: int() and float() also take full-width and other scripts' digits, which no other tool reads.
_SYNTAX = {
    "integer": r"-?(0|[1-9][0-9]{0,17})",
    "number": r"-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
}
_WORDS = {
    "integer": "a whole number in ASCII digits, no leading zero",
    "number": "a number in ASCII digits",
    "date": "a date written YYYY-MM-DD",
}
# Statistics joined with what they reference: each fact beside the value, one call away.
FLAT_JOINS = (("statements", "statement_id"), ("indicators", "indicator_id"))


def read_raw(data: bytes, resource: Resource) -> pd.DataFrame:
    """A CSV's bytes as text cells, empty cells missing; row i is spreadsheet row i + 2. Checks the header."""
    try:
        raw = pd.read_csv(io.BytesIO(data), encoding="utf-8", sep=",", **_READ_OPTIONS)
    except (ValueError, UnicodeDecodeError) as err:
        raise DataPackageError(Problem("load", resource.path, f"cannot be read as CSV: {str(err)[:200]}")) from None
    if list(raw.columns) != resource.field_names:
        message = f"the header must be the schema's fields: {', '.join(resource.field_names)}"
        raise DataPackageError(Problem("load", resource.path, message, row=1, value=",".join(map(str, raw.columns))))
    return raw


def _refuse(resource: Resource, column: pd.Series, bad: pd.Series, message: str) -> None:
    if bad.any():
        index = bad.idxmax()
        raise DataPackageError(
            Problem("load", resource.path, message, row=int(index) + 2, field=column.name, value=column[index])
        )


def typed_column(resource: Resource, column: pd.Series, field: dict[str, Any]) -> pd.Series:
    """One column typed from its field, or DataPackageError naming the first cell that does not fit."""
    kind, enum, present = field.get("type", "string"), enum_values(field), column.notna()
    if enum is not None:
        _refuse(resource, column, present & ~column.isin(enum), f"must be one of {', '.join(map(str, enum))}")
        return column.astype(pd.CategoricalDtype(categories=enum))
    if kind == "string":
        return column.astype("string")
    _refuse(
        resource,
        column,
        present & ~column.str.fullmatch(_SYNTAX[kind]).fillna(False).astype(bool),
        f"must be {_WORDS[kind]}",
    )
    if kind == "date":
        typed = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce").astype("datetime64[us]")
        _refuse(resource, column, present & typed.isna(), "must be a date that exists")
        return typed
    return pd.to_numeric(column).astype("Int64" if kind == "integer" else "float64")


def typed_table(resource: Resource, raw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({f["name"]: typed_column(resource, raw[f["name"]], f) for f in resource.fields}, index=raw.index)


def _load(root: Path, resource: Resource, validate: bool) -> pd.DataFrame:
    frame = typed_table(resource, read_raw(read_file(root, resource.path), resource))
    if validate:
        from .pandera_schemas import pandera_problems

        problems = pandera_problems(resource, frame)
        if problems:
            raise DataPackageError(problems[0])
    return frame


def table_names(root: str | Path | None = None) -> list[str]:
    """Names of the tables, in the order of datapackage.json."""
    return list(open_package(root)[2])


def load(name: str = "statistics", root: str | Path | None = None, *, validate: bool = False) -> pd.DataFrame:
    """One table, typed from its Table Schema. validate=True also runs its pandera schema (for other copies)."""
    base, _, resources = open_package(root)
    if name not in resources:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(resources)}")
    return _load(base, resources[name], validate)


def load_all(root: str | Path | None = None, *, validate: bool = False) -> dict[str, pd.DataFrame]:
    """Every table, by name."""
    base, _, resources = open_package(root)
    return {name: _load(base, resource, validate) for name, resource in resources.items()}


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
