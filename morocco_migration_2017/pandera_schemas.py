"""pandera schemas for the typed DataFrames of load(), from the Table Schemas, plus row rules.

Written here rather than taken from pandera's `from_frictionless_schema`, which maps `date` to a
string, drops enum values and needs frictionless. Use: mm.schema("statistics").validate(mm.load())
"""

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from .package import read_package
from .problems import Problem
from .rules import TYPES, Resource, constraints, patterns

# Rules on two fields of one row, which Table Schema cannot state: (table, rule as it reads)
ROW_RULES = (
    ("statistics", "quote_start < quote_end"),
    ("statistics", "period_start <= period_end"),
    ("mentions", "mention_start < mention_end"),
)
_RULE_FIELDS = {rule: rule.split()[2] for _, rule in ROW_RULES}  # reported at the second field
# Each Table Schema constraint as a pandera check on the typed column, and how its failure reads.
_TRANSLATIONS: dict[str, tuple[Any, str]] = {
    "enum": (pa.Check.isin, "must be one of {}"),
    "minimum": (pa.Check.ge, "must be at least {}"),
    "maximum": (pa.Check.le, "must be at most {}"),
    "minLength": (pa.Check.str_length, "must be at least {} characters long"),  # (min, max)
    "maxLength": (partial(pa.Check.str_length, None), "must be at most {} characters long"),
}
_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_BUILT_IN = {
    "not_nullable": "required: must not be empty",
    "field_uniqueness": "unique: the value appears in more than one row",
    "multiple_fields_uniqueness": "primary key: this combination appears in more than one row",
}


def _spelled(pattern: str) -> str:
    """The same pattern with \\s (and \\S outside a set) spelled out as the characters of
    str.isspace, which Python's re means by them: pandas then runs it in RE2 at C speed. RE2's \\s
    has fewer characters, so pandas hands a pattern holding one to Python's re, cell by cell."""

    def spell(match: re.Match[str]) -> str:
        token = match[0]
        if token.startswith("["):  # a set: each \\s inside it becomes its characters
            return re.sub(r"\\.", lambda e: _SPACES if e[0] == r"\s" else e[0], token)
        return {r"\s": f"[{_SPACES}]", r"\S": f"[^{_SPACES}]"}.get(token, token)

    return re.sub(r"\[\^?\]?(?:\\.|[^]\\])*\]|\\.", spell, pattern)  # each set, each other escape


def _pattern_check(pattern: str) -> pa.Check:
    """A Table Schema pattern as a pandera check: every cell matches the whole pattern."""
    spelled, error = _spelled(pattern), f"pattern: must match {pattern}"
    return pa.Check(lambda s: s.str.fullmatch(spelled).astype(bool), name="pattern", error=error)


def _constraint_check(field: dict[str, Any], name: str, value: Any) -> pa.Check:
    """A Table Schema constraint as a pandera check on the typed column, worded by _TRANSLATIONS."""
    make, words = _TRANSLATIONS[name]
    dated = field.get("type") == "date" and name in ("minimum", "maximum")
    typed = pd.Timestamp(value) if dated else value
    return make(typed, name=name, error=f"{name}: {words.format(value)}")


def column_for(field: dict[str, Any], after_frictionless: bool = False) -> pa.Column:
    """One Table Schema field as a pandera Column over its typed values: dtype, required, unique,
    constraints (the files stage refused any without a translation). after_frictionless: only what
    Frictionless has not checked on the same cells (the dtype, and x-pattern), for validate."""
    rules, enum = {} if after_frictionless else constraints(field), constraints(field).get("enum")
    checked = {"x-pattern": field.get("x-pattern")} if after_frictionless else field
    checks = [_pattern_check(pattern) for pattern in patterns(checked)]
    checks += [_constraint_check(field, k, v) for k, v in rules.items() if k in _TRANSLATIONS]
    dtype = pd.CategoricalDtype(enum) if enum is not None else TYPES[field.get("type", "string")][0]
    required, unique = rules.get("required", False), bool(rules.get("unique", False))
    described = {"title": field.get("title"), "description": field.get("description")}
    return pa.Column(dtype, checks=checks, nullable=not required, unique=unique, **described)


def _ordered(rule: str) -> pa.Check:
    first, sign, second = rule.split()

    def holds(frame: pd.DataFrame) -> pd.Series:  # an empty cell never breaks a row rule
        broken = frame[first] >= frame[second] if sign == "<" else frame[first] > frame[second]
        return ~broken.fillna(False).astype(bool)

    return pa.Check(holds, name=rule, error=rule)


def schema_for(resource: Resource, after_frictionless: bool = False) -> pa.DataFrameSchema:
    """The pandera schema of one table's typed frame, from its Table Schema, plus its row rules."""
    compound = len(resource.primary_key) > 1 and not after_frictionless
    columns = {field["name"]: column_for(field, after_frictionless) for field in resource.fields}
    checks = [_ordered(rule) for table, rule in ROW_RULES if table == resource.name]
    unique = resource.primary_key if compound else None
    return pa.DataFrameSchema(
        columns, checks, unique=unique, strict=True, ordered=True, name=resource.name
    )


def schema(name: str = "statistics", root: str | Path | None = None) -> pa.DataFrameSchema:
    """The public pandera schema of a table: schema(name).validate(frame) checks a derived frame."""
    resources = read_package(root).resources
    if name not in resources:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(resources)}")
    return schema_for(resources[name])


def _problem(case: Any, file: str, errors_of: dict[tuple[str, str], str]) -> Problem:
    """A failure case as a Problem at its row: a row rule at its second field, others at theirs."""
    check, row = str(case.check), None if pd.isna(case.index) else int(case.index) + 2
    if check in _RULE_FIELDS:
        return Problem("pandera", file, f"row rule broken: {check}", row, _RULE_FIELDS[check])
    message = errors_of.get((case.column, check), _BUILT_IN.get(check, check))
    field = None if pd.isna(case.column) else str(case.column)
    value = None if pd.isna(case.failure_case) else case.failure_case
    return Problem("pandera", file, message, row, field, value)


def pandera_problems(
    resource: Resource, frame: pd.DataFrame, after_frictionless: bool = False
) -> Iterator[Problem]:
    """Every failure of the table's pandera schema on its typed frame, by spreadsheet row."""
    schema = schema_for(resource, after_frictionless)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    else:
        return
    again = cases[["check", "index"]].astype(str).duplicated()  # a row rule fails at both fields
    cases = cases[~(cases["check"].astype(str).isin(_RULE_FIELDS) & again)]
    columns = schema.columns.items()
    errors_of = {(name, c.name): c.error for name, column in columns for c in column.checks}
    for case in cases.itertuples(index=False):
        yield _problem(case, resource.path, errors_of)
