"""The vectorised helpers of the provenance checks agree with their plain definitions."""

from __future__ import annotations

import re

import pytest

from morocco_migration_2017.numbers import parse_mention
from morocco_migration_2017.provenance import digit_runs

TEXTS = [
    "",
    "abc",
    "12 a3 45x",
    "1",
    "x1",
    "1x",
    "Morocco’s 50K and 2017",
    "é1 ’22 ü",
    "9é9",
    "\u00a0\n3000\n",
    "Arabic-Indic ٣٤ and 5",
    "𝟙 wide 7",
]


@pytest.mark.parametrize("text", TEXTS)
def test_digit_runs_are_the_regex_runs(text: str) -> None:
    assert digit_runs(text).tolist() == [list(m.span()) for m in re.finditer(r"\d+", text)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("50K", 50_000),
        ("50,000", 50_000),
        ("$175 million", 175_000_000),
        ("35th", 35),
        ("3000", 3000),
        ("2.5 billion", 2_500_000_000),
    ],
)
def test_mentions_read_as_numbers(text: str, value: int) -> None:
    assert parse_mention(text) == value


@pytest.mark.parametrize("text", ["fifty", "50,00", "$", "1,2345", ""])
def test_unreadable_mentions_are_none(text: str) -> None:
    assert parse_mention(text) is None
