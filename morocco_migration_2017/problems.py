"""One problem found in the package, located as a spreadsheet user would look for it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """A fault: which check found it, in which file, row (header is row 1) and field, and the bad value."""

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
        return f"{text} [{self.check}]"

    def as_dict(self) -> dict[str, Any]:
        record = asdict(self)
        if record["value"] is not None and not isinstance(record["value"], (int, float, str, bool)):
            record["value"] = str(record["value"])
        return record


def dedupe(problems: list[Problem]) -> list[Problem]:
    """Keep the first report of each cell: later stages often restate what an earlier one found."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for problem in problems:
        key = (
            (problem.file, problem.row, problem.field)
            if problem.row is not None
            else (problem.file, problem.check, problem.field, problem.message)
        )
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept
