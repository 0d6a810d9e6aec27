"""How a figure is worded for readers: one wording for `show`, the site's cards, tables, JSON-LD."""

from typing import Any

import pandas as pd

from .wording import BOUND_WORDS

_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"))


def _missing(value: Any) -> bool:
    """Empty for typed frames (NA, NaT, None) and for text ('') alike."""
    return value == "" if isinstance(value, str) else value is None or bool(pd.isna(value))


def format_value(value: float | str, bound: str, unit: str) -> str:
    """'more than 23,000 persons', '80 networks', 'as much as US$175 million' (round millions)."""
    number = float(value)
    text = f"{int(number):,}" if number.is_integer() else f"{number:,}"
    for size, word in _SCALES:
        if number >= size and number % (size // 10) == 0:
            text = f"{number / size:g} {word}"
            break
    return BOUND_WORDS.get(str(bound), "") + (f"US${text}" if unit == "USD" else f"{text} {unit}")


def format_period(row: Any) -> str:
    """'2017-01-01 to 2017-11-14 ("so far in 2017")', or 'no period given'."""
    dates = ("" if _missing(row[k]) else str(row[k])[:10] for k in ("period_start", "period_end"))
    start, end = dates
    span = f"{start or '…'} to {end or '…'}" if start or end else "no period given"
    text = row["period_text"]
    return f"{span} (\u201c{text}\u201d)" if not _missing(text) else span
