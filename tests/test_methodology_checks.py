"""Issue #25: the methodology's rules and the checks' docstrings say the same thing.

Every check that validate registers (provenance.CHECKS) opens its docstring with its rule, and that
sentence is in docs/methodology.md as the reader reads it (the list of checks is not generated into
the page: the page's own source is compared). A check whose docstring changes, or whose rule leaves
the page, fails here; the last two tests show both with a modified copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from edits import ROOT
from morocco_migration_2017.provenance import CHECKS
from morocco_migration_2017.validation import STAGES

PAGE = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")


def plain(text: str) -> str:
    """Text as read, without Markdown's emphasis and code marks, in one case and one spacing."""
    return " ".join(re.sub(r"[`*]", "", text).split()).casefold()


def rule(check: Callable) -> str:
    """The first sentence of a check's docstring, without its final stop."""
    return re.split(r"\.(?:\s|$)", (check.__doc__ or "").strip(), maxsplit=1)[0]


def missing(checks: list[Callable], page: str) -> list[str]:
    """The checks whose rule the page does not state."""
    return [c.__name__ for c in checks if not rule(c) or plain(rule(c)) not in plain(page)]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_each_check_states_its_rule_in_the_methodology(check: Callable) -> None:
    assert rule(check), f"{check.__name__} has no docstring"
    assert not missing([check], PAGE), f"docs/methodology.md does not say: {rule(check)!r}"


def test_every_stage_has_its_row_in_the_methodology() -> None:
    for name in ("files", *(name for name, _ in STAGES)):
        assert re.search(rf"^\| {name} \|", PAGE, re.M), name


def test_a_rule_removed_from_the_page_fails() -> None:
    cut = PAGE.replace("`quote_start` to `quote_end`", "`quote_start` on")
    assert cut != PAGE and missing(CHECKS, cut) == ["quotes_match_snapshot"]


def test_a_docstring_that_changes_fails() -> None:
    def places_agree() -> None:
        """An area and its country_code agree when a reader says so."""

    assert missing([*CHECKS, places_agree], PAGE) == ["places_agree"]
