"""How the fault and hostile-copy suites read a verdict: one problem where the case says, from one stage."""

from __future__ import annotations

import json
import re
from typing import Any


def says(message: str, words: str) -> bool:
    """The message holds the words exactly, as whole words: not in another case, not glued to other letters."""
    return re.search(rf"(?<![A-Za-z]){re.escape(words)}(?![A-Za-z])", message) is not None


def assert_caught(report: dict[str, Any], stage: str, file: str, row: int | None, field: str | None, words: str) -> None:
    """A problem at file, row and field says the words, and every problem comes from the one stage."""
    hits = [
        p
        for p in report["problems"]
        if p["file"] == file and row in (None, p["row"]) and field in (None, p["field"]) and says(p["message"], words)
    ]
    found = "\n".join(map(json.dumps, report["problems"]))
    assert hits, f"nothing at {file} row {row} field {field} saying {words!r}:\n{found}"
    assert {p["check"].split(":")[0] for p in report["problems"]} == {stage}, f"reported by more than one stage:\n{found}"
    assert not any("could not run" in p["message"] for p in report["problems"])
