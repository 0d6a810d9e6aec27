"""Issue: every difference that source-notes.md lists between the article and other reports is a `differs` row,
unless only its wording differs (same value, bound and period): then it agrees and the difference text says so."""

from __future__ import annotations

import plain_checks as pc
from edits import ROOT

MAP, MEMO = "mapnews-2017-11-14", "middleeastmonitor-2017-11-16"
# From source-notes.md, written by hand: (statistic, report) -> what the report gives that the article does not.
DIFFERENCES = {
    ("trafficking_networks_dismantled_since_2004", MAP): ("3000", "lower_bound"),
    ("terrorist_trafficking_revenue", MAP): ("175000000", "each year"),
    ("migrants_regularised_to_date", MAP): ("23000", "second phase"),
    ("terrorist_trafficking_revenue", MEMO): ("175000000", "approximate"),
}
# Same value, bound and period: only the word differs ("cells"), which the difference text records.
WORDING_ONLY = {("trafficking_networks_dismantled_2017_ytd", MAP): "cells"}
AGREEMENTS = {
    *WORDING_ONLY,
    ("migration_attempts_foiled_2017_ytd", MAP),
    ("migration_attempts_foiled_2017_ytd", MEMO),
    ("trafficking_networks_dismantled_2017_ytd", MEMO),
    ("trafficking_networks_dismantled_since_2004", MEMO),
}


def test_every_listed_difference_is_a_differs_row() -> None:
    rows = {(r["statistic_id"], r["source_id"]): r for r in pc.rows(ROOT, "cross_checks")}
    assert {k for k, r in rows.items() if r["agreement"] == "differs"} == set(DIFFERENCES)
    for key, (value, marker) in DIFFERENCES.items():
        row = rows[key]
        assert float(row["reported_value"]) == float(value)
        assert marker in (row["reported_bound"], row["reported_period_text"]) or marker in row["difference"]
    assert {k for k, r in rows.items() if r["agreement"] == "agrees"} == AGREEMENTS
    assert all(word in rows[key]["difference"] for key, word in WORDING_ONLY.items())


def test_every_statistic_is_compared_with_every_other_report() -> None:
    pairs = {(r["statistic_id"], r["source_id"]) for r in pc.rows(ROOT, "cross_checks")}
    stats = [r["statistic_id"] for r in pc.rows(ROOT, "statistics")]
    assert pairs == {(s, o) for s in stats for o in (MAP, MEMO)}


def test_other_reports_have_no_snapshot() -> None:
    for row in pc.rows(ROOT, "sources"):
        if row["source_role"] == "cross_check":
            assert row["snapshot_path"] == ""
