"""One problem found in a package, located as a spreadsheet user looks for it, printed safely."""

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

# Control, format (zero-width, bidi), separator and unassigned characters could forge or hide output
_UNPRINTABLE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
SHOWN_CHARACTERS = 1000  # of a message, field or value: a cell may hold megabytes


def printable(text: str) -> str:
    """Text as one line of printable characters: what could move the cursor or hide is escaped."""
    if text.isascii() and text.isprintable():  # the common case, without a lookup per character
        return text
    return "".join(
        c if c == " " or unicodedata.category(c) not in _UNPRINTABLE else f"\\u{{{ord(c):x}}}"
        for c in text
    )


@dataclass(frozen=True)
class Problem:
    """A fault: which stage found it, in which file, row (header is row 1), field, and bad value."""

    check: str
    file: str
    message: str
    row: int | None = None
    field: str | None = None
    value: Any = None

    def __post_init__(self) -> None:  # what a copy puts in a message, field or value is echoed
        for name in ("message", "field", "value"):
            text = getattr(self, name)
            if isinstance(text, str) and len(text) > SHOWN_CHARACTERS:  # a message keeps its end
                tail = text[-(SHOWN_CHARACTERS // 2) :] if name == "message" else ""
                cut = text[: SHOWN_CHARACTERS - 1 - len(tail)] + "…" + tail
                object.__setattr__(self, name, cut)

    def line(self) -> str:
        row = "" if self.row is None else f", row {self.row}"
        field = f", field {self.field}" if self.field else ""
        shown = str(self.value)
        shown = shown[:80] + "…" if len(shown) > 80 else shown
        value = "" if self.value is None else f" (value: {shown!r})"
        return printable(f"{self.file}{row}{field}: {self.message}{value} [{self.check}]")

    def as_dict(self) -> dict[str, Any]:
        record = asdict(self)
        if record["value"] is not None and not isinstance(record["value"], (int, float, str, bool)):
            record["value"] = str(record["value"])
        return record


class PackageError(Exception):
    """The package, or one of its files, cannot be read; the message names the file and why."""


class DataPackageError(PackageError, ValueError):
    """The package breaks a rule; raised by open_package(strict=True) and load*(): the first one."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.line())
        self.problem = problem
