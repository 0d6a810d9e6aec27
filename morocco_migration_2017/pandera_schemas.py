"""pandera schemas for the typed DataFrames that load() returns, derived from the Table Schemas, plus row rules.

Written here rather than taken from pandera's own `from_frictionless_schema`, which maps `date` to a string,
drops enum values and needs frictionless.

>>> import morocco_migration_2017 as mm
>>> mm.schema("statistics").validate(mm.load())
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .package import TYPES, Resource, constraints, patterns, read_package
from .problems import Problem

# Rules relating two fields of one row, which Table Schema cannot state: (table, first, second, strict).
ROW_RULES = (
    ("statistics", "quote_start", "quote_end", True),
    ("statistics", "period_start", "period_end", False),
    ("mentions", "mention_start", "mention_end", True),
)
# Each Table Schema constraint as a pandera check on the typed column, and how its failure reads.
_TRANSLATIONS: dict[str, tuple[Any, str]] = {
    "enum": (pa.Check.isin, "must be one of {}"),
    "minimum": (pa.Check.ge, "must be at least {}"),
    "maximum": (pa.Check.le, "must be at most {}"),
    "minLength": (lambda v, **named: pa.Check.str_length(min_value=v, **named), "must be at least {} characters long"),
    "maxLength": (lambda v, **named: pa.Check.str_length(max_value=v, **named), "must be at most {} characters long"),
}
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_BUILT_IN = {
    "not_nullable": "required: must not be empty",
    "field_uniqueness": "unique: the value appears in more than one row",
    "multiple_fields_uniqueness": "primary key: this combination appears in more than one row",
}


def _spelled(pattern: str) -> str:
    """The same pattern with \\s (and \\S outside a set) spelled out as the characters Python's re means by them
    (those of str.isspace): pandas then runs it in RE2 at C speed. RE2's \\s has fewer characters, so pandas hands
    a pattern holding one to Python's re, cell by cell."""

    def spell(match: re.Match[str]) -> str:
        token = match[0]
        if token.startswith("["):  # a set: each \\s inside it becomes its characters
            return re.sub(r"\\.", lambda escape: _SPACES if escape[0] == r"\s" else escape[0], token)
        return {r"\s": f"[{_SPACES}]", r"\S": f"[^{_SPACES}]"}.get(token, token)

    return re.sub(r"\[\^?\]?(?:\\.|[^]\\])*\]|\\.", spell, pattern)  # each set, and each escape outside one


def column_for(field: dict[str, Any], after_frictionless: bool = False) -> pa.Column:
    """One Table Schema field as a pandera Column over its typed values: dtype, required, unique, constraints.
    The files stage has refused every type and constraint that has no translation. after_frictionless: only what
    Frictionless has not checked on the same cells (the dtype, and x-pattern), for validate."""
    rules, enum = {} if after_frictionless else constraints(field), constraints(field).get("enum")
    checks = [
        pa.Check(lambda s, p=p: s.str.fullmatch(_spelled(p)).astype(bool), name="pattern", error=f"pattern: must match {p}")
        for p in (patterns({"x-pattern": field.get("x-pattern")}) if after_frictionless else patterns(field))
    ]
    for name, value in rules.items():
        if name in _TRANSLATIONS:
            make, words = _TRANSLATIONS[name]
            typed = pd.Timestamp(value) if field.get("type") == "date" and name in ("minimum", "maximum") else value
            checks.append(make(typed, name=name, error=f"{name}: {words.format(value)}"))
    return pa.Column(
        pd.CategoricalDtype(enum) if enum is not None else TYPES[field.get("type", "string")][0],
        checks=checks,
        nullable=not rules.get("required", False),
        unique=bool(rules.get("unique", False)),
        title=field.get("title"),
        description=field.get("description"),
    )


def rule_name(first: str, second: str, strict: bool) -> str:
    """How a row rule reads: 'quote_start < quote_end'."""
    return f"{first} {'<' if strict else '<='} {second}"


def _ordered(first: str, second: str, strict: bool) -> pa.Check:
    def holds(frame: pd.DataFrame) -> pd.Series:  # an empty cell never breaks a row rule
        broken = frame[first] >= frame[second] if strict else frame[first] > frame[second]
        return ~broken.fillna(False).astype(bool)

    name = rule_name(first, second, strict)
    return pa.Check(holds, name=name, error=name)


def schema_for(resource: Resource, after_frictionless: bool = False) -> pa.DataFrameSchema:
    """The pandera schema of one table's typed frame, derived from its Table Schema, plus its row rules."""
    return pa.DataFrameSchema(
        {field["name"]: column_for(field, after_frictionless) for field in resource.fields},
        checks=[_ordered(*rule[1:]) for rule in ROW_RULES if rule[0] == resource.name],
        unique=resource.primary_key if len(resource.primary_key) > 1 and not after_frictionless else None,
        strict=True,
        ordered=True,
        name=resource.name,
    )


def schema(name: str = "statistics", root: str | Path | None = None) -> pa.DataFrameSchema:
    """The public pandera schema of a table: validate a frame derived from ours with schema(name).validate(frame)."""
    resources = read_package(root).resources
    if name not in resources:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(resources)}")
    return schema_for(resources[name])


def pandera_problems(resource: Resource, frame: pd.DataFrame, after_frictionless: bool = False) -> Iterator[Problem]:
    """Every failure of the table's pandera schema on its typed frame, located by spreadsheet row, one at a time."""
    schema = schema_for(resource, after_frictionless)
    errors_of = {(name, c.name): c.error for name, column in schema.columns.items() for c in column.checks}
    rules = {rule_name(*r[1:]): r[2] for r in ROW_RULES}  # a row rule is reported at its second field
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        cases = cases[~(cases["check"].astype(str).isin(rules) & cases[["check", "index"]].astype(str).duplicated())]
        for case in cases.itertuples(index=False):
            check, row = str(case.check), None if pd.isna(case.index) else int(case.index) + 2
            rule_field, failed = rules.get(check), errors_of.get((case.column, check), _BUILT_IN.get(check, check))
            message = f"row rule broken: {check}" if rule_field else failed
            field = rule_field or (None if pd.isna(case.column) else str(case.column))
            value = None if rule_field or pd.isna(case.failure_case) else case.failure_case
            yield Problem("pandera", resource.path, message, row=row, field=field, value=value)
