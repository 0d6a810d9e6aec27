"""Run Frictionless on the package, as `frictionless validate` would, on files already screened as safe to open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .problems import Problem
from .safe_read import DESCRIPTOR
from .table_schema import Resource

CHECK = "frictionless"


def _problem(error: dict[str, Any], file: str) -> Problem:
    return Problem(
        check=f"{CHECK}:{error['type']}",
        file=file,
        message=error["message"],
        row=error.get("rowNumber"),
        field=error.get("fieldName"),
        value=error.get("cell"),
    )


def validate_with_frictionless(root: Path, descriptor: dict[str, Any], resources: dict[str, Resource]) -> list[Problem]:
    """Frictionless's verdict, one Problem per error. Schemas are handed over inline, as already read and
    screened, so Frictionless opens nothing but the data files that passed the file checks."""
    from frictionless import FrictionlessException, Package  # imported here: load() must not pay for it

    inline = {
        **descriptor,
        "resources": [{**entry, "schema": resources[entry["name"]].schema} for entry in descriptor["resources"]],
    }
    try:
        report = Package.from_descriptor(inline, basepath=str(root)).validate()
    except FrictionlessException as err:  # a descriptor Frictionless cannot even start on
        return [Problem(CHECK, DESCRIPTOR, str(err).removeprefix(f"[{err.error.type}] "))]
    problems = [_problem(err.to_descriptor(), DESCRIPTOR) for err in report.errors]
    for task in report.tasks:
        file = resources[task.name].path if task.name in resources else task.place
        problems.extend(_problem(err.to_descriptor(), file) for err in task.errors)
    return problems
