"""Every figure of the article is a row with the right value, bound, period and place, and nothing else is.

The expectations below were written from reading the article, not from the program's output; each one
also asserts that the article text says what it relies on.
"""

from __future__ import annotations

import pytest

import plain_checks as pc
from edits import ROOT

# statistic_id: (words of the article, value, bound, period_start, period_end, period_type, area, country)
# fmt: off
EXPECTED = {
    "migration_attempts_foiled_2017_ytd": ("foiling 50,000 illegal immigration attempts so far in 2017", 50_000, "point", "2017-01-01", "2017-11-14", "year_to_date", "Morocco", "MA"),
    "trafficking_networks_dismantled_2017_ytd": ("dismantling of 80 networks", 80, "point", "2017-01-01", "2017-11-14", "year_to_date", "Morocco", "MA"),
    "trafficking_networks_dismantled_since_2004": ("cells to 3000 since 2004", 3_000, "point", "2004-01-01", "2017-11-14", "cumulative_since_date", "Morocco", "MA"),
    "terrorist_trafficking_revenue": ("gain as much as $175 million", 175_000_000, "upper_bound", "", "", "unspecified", "Sahel", ""),
    "migrants_regularised_to_date": ("legal stay rights to more than 23,000 migrants", 23_000, "lower_bound", "", "2017-11-14", "cumulative_to_date", "Morocco", "MA"),
    "voluntary_returns_to_date": ("voluntary return of 22,000 migrants", 22_000, "point", "", "2017-11-14", "cumulative_to_date", "Morocco", "MA"),
}
# fmt: on
STATEMENT_DAY = "2017-11-14"  # source-notes.md: the wire report says Tuesday; 14 November 2017 was a Tuesday


def test_exactly_the_article_figures_are_rows() -> None:
    assert sorted(r["statistic_id"] for r in pc.rows(ROOT, "statistics")) == sorted(EXPECTED)


@pytest.mark.parametrize("statistic_id", sorted(EXPECTED))
def test_row_says_what_the_article_says(statistic_id: str) -> None:
    words, value, bound, start, end, kind, area, country = EXPECTED[statistic_id]
    assert words in pc.snapshot(ROOT)
    row = next(r for r in pc.rows(ROOT, "statistics") if r["statistic_id"] == statistic_id)
    assert words in row["quote"]
    assert (
        float(row["value"]),
        row["value_bound"],
        row["period_start"],
        row["period_end"],
        row["period_type"],
        row["area"],
        row["country_code"],
    ) == (value, bound, start, end, kind, area, country)


def test_statement_day_was_a_tuesday() -> None:
    import datetime

    assert datetime.date.fromisoformat(STATEMENT_DAY).strftime("%A") == "Tuesday"


def test_inferred_statement_date_is_marked_once_on_the_statement() -> None:
    assert STATEMENT_DAY not in pc.snapshot(ROOT) and "14 November" not in pc.snapshot(ROOT)
    (statement,) = pc.rows(ROOT, "statements")
    assert statement["claim_date"] == STATEMENT_DAY
    assert statement["inferred_fields"].split() == ["claim_date"]
    assert "inferred" in statement["notes"] and "Tuesday" in statement["notes"]


@pytest.mark.parametrize("row", pc.rows(ROOT, "statistics"), ids=lambda r: r["statistic_id"])
def test_every_statistic_is_given_in_the_statement_and_marks_its_inferred_end(row: dict[str, str]) -> None:
    assert row["statement_id"] == pc.rows(ROOT, "statements")[0]["statement_id"]
    if row["period_end"]:  # every period "so far" ends on the inferred statement date
        assert row["period_end"] == STATEMENT_DAY and "period_end" in row["inferred_fields"].split()


def test_claimant_and_event_are_named_as_the_article_names_them() -> None:
    text = pc.snapshot(ROOT)
    (statement,) = pc.rows(ROOT, "statements")
    for field in ("claimant", "claimant_role", "event", "event_location"):
        assert statement[field] in text, field


def test_headline_figures_are_not_extra_rows() -> None:
    mentions = pc.rows(ROOT, "mentions")
    headline = [m for m in mentions if m["role"] == "headline_value"]
    assert {m["mention_text"] for m in headline} == {"50K", "80"}
    assert all(m["statistic_id"] in EXPECTED for m in headline)
