"""What the source's words imply for the columns that restate them: the bound of a figure, the kind of a period."""

from __future__ import annotations

import re

# The qualifier just before a number, and the value_bound it implies. None: a qualifier whose bound nobody
# has decided yet; the check asks for a decision instead of passing. The first phrase of a bound is how
# the CLI and the docs word it.
QUALIFIERS: dict[str, str | None] = {
    "more than": "lower_bound",
    "over": "lower_bound",
    "as much as": "upper_bound",
    "up to": "upper_bound",
    "at least": None,
    "at most": None,
    "nearly": None,
    "almost": None,
    "about": None,
    "around": None,
    "some": None,
    "approximately": None,
    "roughly": None,
    "less than": None,
    "fewer than": None,
    "under": None,
}
BOUND_WORDS = {"point": "", **{bound: f"{phrase} " for phrase, bound in reversed(QUALIFIERS.items()) if bound}}
_QUALIFIER = re.compile(r"\b(" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\s+\$?\Z", re.IGNORECASE)
# period_text as printed -> (period_type, period_start as a template over the year, or None for empty).
PERIODS = (
    (re.compile(r"so far in (\d{4})"), "year_to_date", "{}-01-01"),
    (re.compile(r"in (\d{4})"), "year_to_date", "{}-01-01"),
    (re.compile(r"since (\d{4})"), "cumulative_since_date", "{}-01-01"),
    (re.compile(r"so far()"), "cumulative_to_date", None),
)


def qualifier_before(text: str) -> str | None:
    """The qualifier that ends text (the words before a number), lower-cased, or None."""
    match = _QUALIFIER.search(text)
    return match.group(1).lower() if match else None


def implied_bound(text_before: str) -> tuple[str | None, str | None]:
    """(value_bound, qualifier) implied by the words before a number; value_bound None needs a decision."""
    qualifier = qualifier_before(text_before)
    return (QUALIFIERS[qualifier] if qualifier else "point"), qualifier


def implied_period(period_text: str | None) -> tuple[str, str | None] | None:
    """(period_type, period_start) that period_text implies; None for wording no rule covers yet."""
    if not period_text:
        return "unspecified", None
    for pattern, kind, start in PERIODS:
        match = pattern.fullmatch(period_text)
        if match:
            return kind, start.format(match.group(1)) if start else None
    return None
