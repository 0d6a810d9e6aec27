"""Translate each Table Schema into a pandera DataFrameSchema, and add the row rules Table Schema cannot state.

The schemas validate text cells as read from the CSV (empty cells missing), so every check tolerates
cells of the wrong type: the type check reports those, and the other checks pass them by.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .table_schema import Resource

_DTYPES = {"string": "string", "integer": "Int64", "number": "float64"}
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def _check(fn: Callable[..., Any], **options: Any) -> pa.Check:
    # Every check here treats missing cells itself, so pandera need not mask them again for each one.
    return pa.Check(fn, ignore_na=False, **options)


def _as_number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def _as_date(series: pd.Series) -> pd.Series:
    """Dates written YYYY-MM-DD as timestamps, anything else as NaT; each distinct text is parsed once."""
    codes, uniques = pd.factorize(series)
    texts = pd.Series(uniques, dtype=object).astype(str)
    parsed = pd.to_datetime(texts.where(texts.str.fullmatch(_ISO_DATE).astype(bool)), format="%Y-%m-%d", errors="coerce")
    # A missing cell has code -1, which picks the NaT appended at the end.
    return pd.Series(np.append(parsed.to_numpy(), np.datetime64("NaT"))[codes], index=series.index)


def _is_date(series: pd.Series) -> pd.Series:
    return series.isna() | _as_date(series).notna()


def _bound(kind: str, limit: Any, compare: Callable[[pd.Series, Any], pd.Series], name: str) -> pa.Check:
    reader = _as_date if kind == "date" else _as_number
    value = pd.Timestamp(limit) if kind == "date" else limit
    return _check(
        lambda s: compare(reader(s), value) | reader(s).isna(),
        name=name,
        error=f"{name}: must be {'at least' if name == 'minimum' else 'at most'} {limit}",
    )


def _matches_pattern(series: pd.Series, pattern: re.Pattern[str]) -> pd.Series:
    # Each distinct text is matched once: identifiers, names and vocabularies repeat across rows.
    codes, uniques = pd.factorize(series)
    # A missing cell has code -1, which picks the True appended at the end: missing cells pass.
    matches = np.array([pattern.fullmatch(str(text)) is not None for text in uniques.tolist()] + [True])
    return pd.Series(matches[codes], index=series.index)


def _pattern(pattern: str) -> pa.Check:
    # Frictionless anchors a pattern at both ends; so does fullmatch.
    compiled = re.compile(pattern)
    return _check(lambda s: _matches_pattern(s, compiled), name="pattern", error=f"pattern: must match {pattern}")


def _length(bound: str, limit: int) -> pa.Check:
    compare = (lambda n: n >= limit) if bound == "minLength" else (lambda n: n <= limit)
    return _check(
        lambda s: s.isna() | compare(s.astype("string").str.len()),
        name=bound,
        error=f"{bound}: length must be {'at least' if bound == 'minLength' else 'at most'} {limit}",
    )


def _constraint_checks(field: dict[str, Any]) -> list[pa.Check]:
    kind = field.get("type", "string")
    checks = []
    for name, arg in field.get("constraints", {}).items():
        if name in ("required", "unique"):
            continue  # column options, not checks
        if name == "enum":
            checks.append(
                _check(
                    lambda s, allowed=tuple(arg): s.isna() | s.isin(allowed),
                    name="enum",
                    error=f"enum: must be one of {', '.join(map(str, arg))}",
                )
            )
        elif name == "minimum":
            checks.append(_bound(kind, arg, lambda s, v: s >= v, "minimum"))
        elif name == "maximum":
            checks.append(_bound(kind, arg, lambda s, v: s <= v, "maximum"))
        elif name == "pattern":
            checks.append(_pattern(arg))
        elif name in ("minLength", "maxLength"):
            checks.append(_length(name, arg))
        else:
            raise ValueError(f"field {field['name']!r}: constraint {name!r} has no pandera translation")
    return checks


def column_for(field: dict[str, Any]) -> pa.Column:
    """One Table Schema field as a pandera Column: type, required, unique and every constraint."""
    kind = field.get("type", "string")
    constraints = field.get("constraints", {})
    checks = _constraint_checks(field)
    if kind == "date":
        checks.insert(0, _check(_is_date, name="type", error="type: must be a date written YYYY-MM-DD"))
    elif kind not in _DTYPES:
        raise ValueError(f"field {field['name']!r}: type {kind!r} has no pandera translation")
    return pa.Column(
        _DTYPES.get(kind),
        checks=checks,
        nullable=not constraints.get("required", False),
        unique=bool(constraints.get("unique", False)),
        coerce=kind in _DTYPES,
        required=True,
        title=field.get("title"),
        description=field.get("description"),
    )


@dataclass(frozen=True)
class RowRule:
    """A rule relating fields of one row; `field` is the one a maintainer should look at."""

    table: str
    name: str
    field: str
    check: Callable[[pd.DataFrame], pd.Series]


def _ordered(first: str, second: str, kind: str, strict: bool) -> Callable[[pd.DataFrame], pd.Series]:
    reader = _as_date if kind == "date" else _as_number

    def check(frame: pd.DataFrame) -> pd.Series:
        a, b = reader(frame[first]), reader(frame[second])
        holds = a < b if strict else a <= b
        return holds | a.isna() | b.isna()

    return check


ROW_RULES = [
    RowRule("statistics", "quote_start < quote_end", "quote_end", _ordered("quote_start", "quote_end", "integer", True)),
    RowRule("statistics", "period_start <= period_end", "period_end", _ordered("period_start", "period_end", "date", False)),
    RowRule("statistics", "claim_date >= period_end", "claim_date", _ordered("period_end", "claim_date", "date", False)),
    RowRule(
        "mentions", "mention_start < mention_end", "mention_end", _ordered("mention_start", "mention_end", "integer", True)
    ),
]


def schema_for(resource: Resource) -> pa.DataFrameSchema:
    """The pandera schema of one table, derived from its Table Schema, plus its row rules."""
    key = resource.primary_key
    return pa.DataFrameSchema(
        {field["name"]: column_for(field) for field in resource.fields},
        checks=[
            _check(rule.check, name=rule.name, error=f"row rule broken: {rule.name}")
            for rule in ROW_RULES
            if rule.table == resource.name
        ],
        unique=key if len(key) > 1 else None,
        strict=True,
        ordered=True,
        name=resource.name,
    )


def row_rule_field(table: str, check_name: str) -> str | None:
    for rule in ROW_RULES:
        if rule.table == table and rule.name == check_name:
            return rule.field
    return None
