"""Turn a number as an article writes it (50K, 50,000, $175 million, 35th) into its value."""

from __future__ import annotations

import re
from decimal import Decimal

_SCALES = {"": 1, "K": 1_000, "k": 1_000, " thousand": 1_000, " million": 1_000_000, " billion": 1_000_000_000}
MENTION_PATTERN = re.compile(
    r"(?P<currency>\$)?"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?P<scale>K|k| thousand| million| billion)?"
    r"(?P<ordinal>st|nd|rd|th)?"
)
DIGIT_RUN = re.compile(r"\d+")


def parse_mention(text: str) -> Decimal | None:
    """The value a mention denotes, or None when the text is not a number we can read."""
    match = MENTION_PATTERN.fullmatch(text)
    if match is None:
        return None
    return Decimal(match["digits"].replace(",", "")) * _SCALES[match["scale"] or ""]
