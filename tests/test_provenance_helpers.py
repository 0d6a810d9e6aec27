"""How the words of the source are read: numbers as written, the words before them, period phrases."""

from __future__ import annotations

import re

import pytest

from morocco_migration_2017.provenance import _digit_runs
from morocco_migration_2017.wording import MENTION_PATTERN, implied_bound, implied_period, parse_mention

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
def test_every_digit_run_lies_in_one_number_as_written(text: str) -> None:
    numbers = [m.span() for m in MENTION_PATTERN.finditer(text)]
    for run in re.finditer(r"\d+", text):
        assert sum(a <= run.start() and run.end() <= b for a, b in numbers) == 1


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("50K", 50_000),
        ("50,000", 50_000),
        ("$175 million", 175_000_000),
        ("3000", 3000),
        ("2.5 billion", 2_500_000_000),
    ],
)
def test_mentions_read_as_numbers(text: str, value: int) -> None:
    assert parse_mention(text) == value


@pytest.mark.parametrize("text", ["fifty", "50,00", "$", "1,2345", "", "35th", "2nd"])
def test_unreadable_mentions_are_none(text: str) -> None:
    assert parse_mention(text) is None


@pytest.mark.parametrize(
    ("before", "bound"),
    [
        ("organizations gain as much as ", "upper_bound"),
        ("rights to more than ", "lower_bound"),
        ("the number rose   up   to ", "upper_bound"),
        ("the dismantling of ", "point"),
        ("cells to ", "point"),
        ("", "point"),
        ("organizations gain nearly ", None),
        ("organizations gain a whopping ", None),
        ("a total (", None),
        ("organizations gain north of ", None),  # a preposition alone decides nothing
        ("gain upwards of ", None),
        ("the number came to ", None),
        ("trafficking cells to well nigh ", None),
    ],
)
def test_the_words_before_a_number_give_its_bound(before: str, bound: str | None) -> None:
    assert implied_bound(before)[0] == bound


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("so far in 2017", ("year_to_date", "2017-01-01")),
        ("this year", ("year_to_date", "2019-01-01")),
        ("since 2004", ("cumulative_since_date", "2004-01-01")),
        ("to date", ("cumulative_to_date", None)),
        ("", ("unspecified", None)),
        ("each year", None),
        ("so far in", None),
    ],
)
def test_period_phrases_give_kind_and_start(text: str, period: tuple[str, str | None] | None) -> None:
    assert implied_period(text, 2019) == period


@pytest.mark.parametrize("text", TEXTS)
def test_digit_runs_are_the_runs_regex_finds(text: str) -> None:
    assert _digit_runs(text).tolist() == [list(m.span()) for m in re.finditer(r"\d+", text)]


@pytest.mark.parametrize("shift", range(-3, 3))
def test_digit_runs_span_the_megabytes_they_are_scanned_in(shift: int) -> None:
    text = "é" + "a" * ((1 << 20) - 3 + shift) + "12’34" + "b" * (1 << 20) + "5"
    assert _digit_runs(text).tolist() == [list(m.span()) for m in re.finditer(r"\d+", text)]
