"""One problem found in the package, located as a spreadsheet user would look for it, and printed safely."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

# Control, format (zero-width, bidi), separator and unassigned characters could forge or hide output.
_UNPRINTABLE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def printable(text: str) -> str:
    """Text as one line of printable characters: anything that could move the cursor or hide is escaped."""
    return "".join(
        char if char == " " or unicodedata.category(char) not in _UNPRINTABLE else f"\\u{{{ord(char):x}}}" for char in text
    )


@dataclass(frozen=True)
class Problem:
    """A fault: which stage found it, in which file, row (header is row 1) and field, and the bad value."""

    check: str
    file: str
    message: str
    row: int | None = None
    field: str | None = None
    value: Any = None

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def line(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.value is not None:
            shown = str(self.value)
            text += f" (value: {shown[:80] + '…' if len(shown) > 80 else shown!r})"
        return printable(f"{text} [{self.check}]")

    def as_dict(self) -> dict[str, Any]:
        record = asdict(self)
        if record["value"] is not None and not isinstance(record["value"], (int, float, str, bool)):
            record["value"] = str(record["value"])
        return record


class DataPackageError(ValueError):
    """A table of the package does not fit its Table Schema; raised by load() with the first problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.line())
        self.problem = problem
