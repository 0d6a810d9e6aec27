"""Run the derived pandera schemas over the raw tables and turn pandera's failure cases into Problems."""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from .pandera_schemas import row_rule_field, schema_for
from .problems import Problem
from .table_schema import Resource

CHECK = "pandera"
_READABLE = [
    (re.compile(r"coerce_dtype\('?Int64'?\)|dtype\('?Int64'?\)"), "type: must be an integer"),
    (re.compile(r"coerce_dtype\('?float64'?\)|dtype\('?float64'?\)"), "type: must be a number"),
    (re.compile(r"not_nullable"), "required: must not be empty"),
    (re.compile(r"field_uniqueness"), "unique: the value appears in more than one row"),
    (re.compile(r"multiple_fields_uniqueness"), "primary key: this combination appears in more than one row"),
    (re.compile(r"column_in_(dataframe|schema)"), "column: the header does not match the schema"),
    (re.compile(r"column_ordered"), "column: columns are not in the schema's order"),
]


def _readable(check: str) -> str:
    for pattern, text in _READABLE:
        if pattern.search(check):
            return text
    return check


def _failure_problems(resource: Resource, cases: pd.DataFrame) -> list[Problem]:
    problems = []
    for case in cases.itertuples(index=False):
        row = None if pd.isna(case.index) else int(case.index) + 2
        rule_field = row_rule_field(resource.name, str(case.check).removeprefix("row rule broken: "))
        field = rule_field or (None if pd.isna(case.column) else str(case.column))
        value = None if rule_field or pd.isna(case.failure_case) else case.failure_case
        problems.append(Problem(CHECK, resource.path, _readable(str(case.check)), row=row, field=field, value=value))
    return problems


def validate_with_pandera(resource: Resource, raw: pd.DataFrame) -> list[Problem]:
    """Every failure of the table's derived pandera schema, located by spreadsheet row."""
    try:
        schema_for(resource).validate(raw, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        # A check that could not run on a mistyped column reports an error without a row: the type check has it.
        cases = cases[~(cases["index"].isna() & cases["failure_case"].astype(str).str.contains("Error\\("))]
        return _failure_problems(resource, cases)
    except Exception as err:  # a table too malformed for pandera to start on; reported, not raised
        return [Problem(CHECK, resource.path, f"the pandera schema could not run ({err!r}); fix the problems above first")]
    return []
