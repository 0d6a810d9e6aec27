"""pandera schemas for the typed DataFrames that load() returns, derived from the Table Schemas, plus row rules.

>>> import morocco_migration_2017 as mm
>>> mm.schema("statistics").validate(mm.load())
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .problems import Problem
from .table_schema import Resource, constraints, enum_values, is_required, open_package, patterns

_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "date": "datetime64[us]"}
# Rules relating two fields of one row, which Table Schema cannot state: (table, first, second, strict).
ROW_RULES = (
    ("statistics", "quote_start", "quote_end", True),
    ("statistics", "period_start", "period_end", False),
    ("mentions", "mention_start", "mention_end", True),
)


# Each Table Schema constraint as a pandera check on the typed column, and how its failure reads.
_TRANSLATIONS: dict[str, tuple[Callable[..., pa.Check], str]] = {
    "enum": (pa.Check.isin, "must be one of {}"),
    "minimum": (pa.Check.ge, "must be at least {}"),
    "maximum": (pa.Check.le, "must be at most {}"),
    "minLength": (lambda v, **named: pa.Check.str_length(min_value=v, **named), "must be at least {} characters long"),
    "maxLength": (lambda v, **named: pa.Check.str_length(max_value=v, **named), "must be at most {} characters long"),
}


def _checks(field: dict[str, Any]) -> list[pa.Check]:
    rules = {k: v for k, v in constraints(field).items() if k not in ("required", "unique", "pattern")}
    unknown = sorted(set(rules) - set(_TRANSLATIONS))
    if unknown:
        raise ValueError(f"field {field['name']!r}: constraint {unknown[0]!r} has no pandera translation")
    checks = [
        pa.Check(lambda s, p=p: s.str.fullmatch(p).astype(bool), name="pattern", error=f"pattern: must match {p}")
        for p in patterns(field)
    ]
    for name, value in rules.items():
        make, words = _TRANSLATIONS[name]
        typed = pd.Timestamp(value) if field.get("type") == "date" and name in ("minimum", "maximum") else value
        checks.append(make(typed, name=name, error=f"{name}: {words.format(value)}"))
    return checks


def column_for(field: dict[str, Any]) -> pa.Column:
    """One Table Schema field as a pandera Column over its typed values: dtype, required, unique, constraints."""
    kind = field.get("type", "string")
    if kind not in _DTYPES:
        raise ValueError(f"field {field['name']!r}: type {kind!r} has no pandera translation")
    dtype = pd.CategoricalDtype(enum_values(field)) if enum_values(field) is not None else _DTYPES[kind]
    return pa.Column(
        dtype,
        checks=_checks(field),
        nullable=not is_required(field),
        unique=bool(constraints(field).get("unique", False)),
        title=field.get("title"),
        description=field.get("description"),
    )


def _ordered(first: str, second: str, strict: bool) -> Callable[[pd.DataFrame], pd.Series]:
    def holds(frame: pd.DataFrame) -> pd.Series:
        a, b = frame[first], frame[second]
        return ((a < b) if strict else (a <= b)).fillna(False).astype(bool) | a.isna() | b.isna()

    return holds


def rule_name(first: str, second: str, strict: bool) -> str:
    return f"{first} {'<' if strict else '<='} {second}"


def schema_for(resource: Resource) -> pa.DataFrameSchema:
    """The pandera schema of one table's typed frame, derived from its Table Schema, plus its row rules."""
    key = resource.primary_key
    rules = [r for r in ROW_RULES if r[0] == resource.name]
    return pa.DataFrameSchema(
        {field["name"]: column_for(field) for field in resource.fields},
        checks=[pa.Check(_ordered(*r[1:]), name=rule_name(*r[1:]), error=rule_name(*r[1:])) for r in rules],
        unique=key if len(key) > 1 else None,
        strict=True,
        ordered=True,
        name=resource.name,
    )


def schema(name: str = "statistics", root: str | Path | None = None) -> pa.DataFrameSchema:
    """The public pandera schema of a table: validate a frame derived from ours with schema(name).validate(frame)."""
    resources = open_package(root)[2]
    if name not in resources:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(resources)}")
    return schema_for(resources[name])


def _field_of(check: str) -> str | None:
    """The field a maintainer should look at for a row rule: its second field."""
    return next((r[2] for r in ROW_RULES if rule_name(*r[1:]) == check), None)


_BUILT_IN = {
    "not_nullable": "required: must not be empty",
    "field_uniqueness": "unique: the value appears in more than one row",
    "multiple_fields_uniqueness": "primary key: this combination appears in more than one row",
}


def pandera_problems(resource: Resource, frame: pd.DataFrame) -> list[Problem]:
    """Every failure of the table's pandera schema on its typed frame, located by spreadsheet row."""
    schema = schema_for(resource)
    errors_of = {(name, c.name): c.error for name, column in schema.columns.items() for c in column.checks}
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems, seen = [], set()
        for case in errors.failure_cases.itertuples(index=False):
            check, row = str(case.check), None if pd.isna(case.index) else int(case.index) + 2
            rule_field = _field_of(check)
            if rule_field and (row, check) in seen:
                continue  # a row rule fails once per row, not once per column
            seen.add((row, check))
            message = (
                f"row rule broken: {check}"
                if rule_field
                else errors_of.get((case.column, check), _BUILT_IN.get(check, check))
            )
            field = rule_field or (None if pd.isna(case.column) else str(case.column))
            value = None if rule_field or pd.isna(case.failure_case) else case.failure_case
            problems.append(Problem("pandera", resource.path, message, row=row, field=field, value=value))
        return problems
    return []
