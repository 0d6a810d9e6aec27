"""Run Frictionless on datapackage.json, exactly as a user's `frictionless validate` would, and locate its errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .paths import DESCRIPTOR
from .problems import Problem

CHECK = "frictionless"


def _problem(error: dict[str, Any], file: str) -> Problem:
    return Problem(
        check=f"{CHECK}:{error.get('type', 'error')}",
        file=file,
        message=error.get("message", "invalid"),
        row=error.get("rowNumber"),
        field=error.get("fieldName"),
        value=error.get("cell"),
    )


def validate_with_frictionless(root: Path, descriptor: dict[str, Any]) -> list[Problem]:
    """Frictionless's own verdict on the package, one Problem per error it reports."""
    from frictionless import validate  # imported here: load() must not pay for it

    paths = {res.get("name"): res.get("path", DESCRIPTOR) for res in descriptor["resources"]}
    report = validate(str(root / DESCRIPTOR))
    problems = [_problem(err.to_descriptor(), DESCRIPTOR) for err in report.errors]
    for task in report.tasks:
        file = paths.get(task.name, task.place)
        problems.extend(_problem(err.to_descriptor(), file) for err in task.errors)
    return problems
