"""Human-readable wording of statistics, shared by the command line and the docs."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .wording import BOUND_WORDS


def _missing(value: Any) -> bool:
    """Empty for typed frames (NA, NaT) and for raw CSV records ('') alike."""
    if isinstance(value, str):
        return value == ""
    return value is None or value is pd.NaT or bool(pd.isna(value))


def _date(value: Any) -> str:
    return "" if _missing(value) else str(value)[:10]


def format_value(value: float | str, bound: str, unit: str) -> str:
    """The figure with its qualifier: 'more than 23,000 persons', 'as much as 175,000,000 USD'."""
    number = float(value)
    number = f"{int(number):,}" if number.is_integer() else f"{number:,}"
    return f"{BOUND_WORDS.get(str(bound), '')}{number} {unit}"


def format_period(row: Any) -> str:
    """'2017-01-01 to 2017-11-14 ("so far in 2017")', or 'no period given'."""
    start, end = _date(row["period_start"]), _date(row["period_end"])
    span = f"{start or '…'} to {end or '…'}" if start or end else "no period given"
    text = row["period_text"]
    return f"{span} (\u201c{text}\u201d)" if not _missing(text) else span
