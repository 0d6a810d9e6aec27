"""What the source's words imply: the value of a number as written, the bound that the words before
it give, and the kind and start of the period that a phrase names."""

import re
from decimal import Decimal

_SCALES = {"": 1, "K": 1_000, "k": 1_000, " thousand": 1_000, " million": 10**6, " billion": 10**9}
# A number as an article writes it: currency sign, digits, scale word and ordinal suffix included.
MENTION_PATTERN = re.compile(
    r"(?P<currency>\$)?(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?P<scale>K|k| thousand| million| billion)?(?P<ordinal>st|nd|rd|th)?"
)
# The qualifier just before a number, and the value_bound it implies; None: not decided yet, so the
# check asks for a decision. The first phrase of a bound is how the CLI and the docs word it.
QUALIFIERS: dict[str, str | None] = {"more than": "lower_bound", "over": "lower_bound"}
QUALIFIERS |= {"as much as": "upper_bound", "up to": "upper_bound"}
QUALIFIERS |= dict.fromkeys(("at least", "at most", "nearly", "almost", "about", "around", "some"))
QUALIFIERS |= dict.fromkeys(("approximately", "roughly", "less than", "fewer than", "under"))
QUALIFIERS |= dict.fromkeys(("circa", "close to", "estimated"))
# Words decided to leave a number plain when they stand just before it: a verb ("foiling 50,000"),
# or a word with the preposition that ties it to the number ("the dismantling of 80", "cells to
# 3000"). A preposition alone decides nothing ("north of", "upwards of" are qualifiers): any other
# ending asks for a decision, it is never read as "no qualifier".
NEUTRAL = frozenset(("foiling", "foils", "dismantles", "dismantling of", "return of", "cells to"))
# The words a source may use for each indicators.unit: an indicator's unit_words must name its unit.
UNITS = {"attempts": {"attempts"}, "networks": {"networks", "cells", "rings", "groups"}}
UNITS["USD"] = {"$", "dollars", "USD"}
UNITS["persons"] = {"migrants", "persons", "people", "returnees", "immigrants"}
BOUND_WORDS = {"point": ""}
BOUND_WORDS |= {bound: f"{phrase} " for phrase, bound in reversed(QUALIFIERS.items()) if bound}
_QUALIFIER = "|".join(q.replace(" ", r"\s+") for q in sorted(QUALIFIERS, key=len, reverse=True))
_LAST_WORDS = re.compile(rf"(?:\b({_QUALIFIER})|((?:\w+\s+)?\w+))?\W*\Z", re.IGNORECASE)
# period_text as printed -> (period_type, whether it names a start year); a phrase without a year
# ("this year") takes the statement's. Listed longest first: the finder takes the whole phrase.
PERIODS = ((r"so far in (\d{4})", "year_to_date", True), (r"in (\d{4})", "year_to_date", True))
PERIODS += ((r"since (\d{4})", "cumulative_since_date", True),)
PERIODS += ((r"this year()", "year_to_date", True),)
PERIODS += ((r"so far()", "cumulative_to_date", False), (r"to date()", "cumulative_to_date", False))
PERIOD_PHRASE = re.compile(r"\b(?:" + "|".join(p.replace("()", "") for p, _, _ in PERIODS) + r")\b")


def parse_mention(text: str) -> Decimal | None:
    """The value a mention denotes; None when it is not a number we can read, or an ordinal."""
    match = MENTION_PATTERN.fullmatch(text)
    if match is None or match["ordinal"]:
        return None
    return Decimal(match["digits"].replace(",", "")) * _SCALES[match["scale"] or ""]


def implied_bound(text_before: str) -> tuple[str | None, str]:
    """(value_bound, words) that the words just before a number imply: a qualifier's bound, "point"
    after a neutral word or none, None (a decision is needed) after any other word."""
    match = _LAST_WORDS.search(text_before)
    qualifier, words = " ".join((match[1] or "").lower().split()), (match[2] or "").lower().split()
    if qualifier:
        return QUALIFIERS[qualifier], qualifier
    neutral = not words or " ".join(words) in NEUTRAL or words[-1] in NEUTRAL
    return ("point" if neutral else None), " ".join(words)


def implied_period(period_text: str | None, year: int) -> tuple[str, str | None] | None:
    """(period_type, period_start) period_text implies in that year; None if no rule covers it."""
    if not period_text:
        return "unspecified", None
    for pattern, kind, starts in PERIODS:
        match = re.fullmatch(pattern, period_text)
        if match:
            return kind, f"{match[1] or year}-01-01" if starts else None
    return None
