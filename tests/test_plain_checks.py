"""Issue: the data package's promises hold when read with the standard library alone, and each can fail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import plain_checks as pc
from edits import ROOT, edit_rows, replace_bytes, set_cell

BREAKS: dict[str, Callable[[Path], None]] = {
    "quotes_equal_snapshot": lambda r: set_cell(r, "statistics", 2, "quote_start", "374"),
    "digit_runs_in_one_mention": lambda r: edit_rows(r, "mentions", lambda rows: [x for x in rows if x[3] != "2004"]),
    "values_match_value_mentions": lambda r: set_cell(r, "statistics", 2, "value", "5000"),
    "hashes_agree": lambda r: replace_bytes(r / "data/sources/northafricapost-20703.txt", b"Rabat", b"Rabbt"),
    "file_conventions": lambda r: replace_bytes(r / "data/indicators.csv", b"\n", b"\r\n", count=-1),
}


@pytest.mark.parametrize("check", pc.CHECKS, ids=lambda c: c.__name__)
def test_promise_holds(check: Callable[[Path], list[str]]) -> None:
    assert check(ROOT) == []


@pytest.mark.parametrize("check", pc.CHECKS, ids=lambda c: c.__name__)
def test_promise_can_fail(check: Callable[[Path], list[str]], package_copy: Path) -> None:
    assert check(package_copy) == []
    BREAKS[check.__name__](package_copy)
    assert check(package_copy), f"{check.__name__} did not notice the corruption"


def test_written_numbers_read_as_the_article_means() -> None:
    assert [pc.written_number(t) for t in ("50K", "50,000", "$175 million", "3000")] == [50_000, 50_000, 175_000_000, 3_000]


def test_snapshot_is_the_received_article() -> None:
    data = (ROOT / "data/sources/northafricapost-20703.txt").read_bytes()
    import hashlib

    assert len(data) == 2640
    assert hashlib.sha256(data).hexdigest() == "b031efda9ebb1fbbdd7f157141462590df2b324d3a03cfb8a95fe899d35981f9"
    assert not data.endswith(b"\n") and b"\r" not in data
