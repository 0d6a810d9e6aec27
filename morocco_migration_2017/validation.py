"""The whole verdict on a package: one context read once, then four stages, each run on what the last passed.

files (safe reading, descriptor, byte rules, snapshot pins) -> frictionless (the files against their Table
Schemas) -> pandera (the typed frames load() returns) -> provenance (what no schema language states).
A stage runs only when the stages before it found nothing, so no fault is reported twice.
"""

from __future__ import annotations

import csv
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from .file_rules import check_csv, check_pins, sources_of
from .frictionless_stage import validate_with_frictionless
from .loader import read_raw, typed_table
from .pandera_schemas import pandera_problems
from .problems import DataPackageError, Problem
from .provenance import Context, run_provenance_checks
from .safe_read import DESCRIPTOR, MAX_FILE_BYTES, STAGE_SECONDS, PackageError, read_descriptor, read_file, resolve_root
from .table_schema import Resource, inspect_package

TABLES = ("statistics", "statements", "indicators", "sources", "mentions", "cross_checks")


class _OutOfTime(BaseException):  # not an Exception: no library's `except Exception` may swallow it
    pass


@dataclass
class Report:
    """Problems found, in stage order, the stages skipped, and the seconds each stage took."""

    package: Path
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        problems = [p.as_dict() for p in self.problems]
        return {
            **asdict(self),
            "package": str(self.package),
            "valid": self.valid,
            "problem_count": len(problems),
            "problems": problems,
        }


@dataclass
class Package:
    """Everything the stages read, each file read once, filled in by the stages as they pass."""

    root: Path
    descriptor: dict[str, Any]
    resources: dict[str, Resource] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    created: pd.Timestamp | None = None


def files_stage(package: Package) -> list[Problem]:
    package.resources, problems = inspect_package(package.root, package.descriptor)
    problems += [Problem("files", DESCRIPTOR, f"resource {t!r} is missing") for t in TABLES if t not in package.resources]
    for resource in package.resources.values():
        try:
            package.files[resource.name] = read_file(package.root, resource.path)
            problems += check_csv(resource.path, package.files[resource.name])
        except PackageError as err:
            problems.append(Problem("files", resource.path, str(err).removeprefix(f"{resource.path}: ")))
    try:
        package.created = pd.Timestamp(package.descriptor.get("created", "now")).tz_localize(None).normalize()
    except (ValueError, TypeError):
        problems.append(Problem("files", DESCRIPTOR, "created must be an ISO 8601 date-time", field="created"))
    return problems + check_pins(package.root, package.descriptor, package.snapshots)


def frictionless_stage(package: Package) -> list[Problem]:
    csv.field_size_limit(MAX_FILE_BYTES)  # no cell is larger than its file, which read_file has bounded
    return validate_with_frictionless(package.root, package.descriptor, package.resources)


def pandera_stage(package: Package) -> list[Problem]:
    problems = []
    for name, resource in package.resources.items():
        try:
            package.tables[name] = typed_table(resource, read_raw(package.files[name], resource))
            problems += pandera_problems(resource, package.tables[name])
        except DataPackageError as err:  # a cell Frictionless accepts but pandas would not type the same way
            problems.append(replace(err.problem, check="pandera"))
    return problems


def provenance_stage(package: Package) -> list[Problem]:
    paths = {name: resource.path for name, resource in package.resources.items()}
    return run_provenance_checks(Context(package.tables, package.snapshots, paths, package.created))


STAGES: list[tuple[str, Callable[[Package], list[Problem]]]] = [
    ("files", files_stage),
    ("frictionless", frictionless_stage),
    ("pandera", pandera_stage),
    ("provenance", provenance_stage),
]


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the block after seconds (SIGALRM also stops a regular expression that backtracks forever)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(*_: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def validate_package(root: str | Path | None = None, timeout: float = STAGE_SECONDS) -> Report:
    """Validate the package at root. Raises PackageError when there is no readable descriptor to start from."""
    package = Package(resolve_root(root), {})
    package.descriptor = read_descriptor(package.root)
    report = Report(package.root)
    for name, stage in STAGES:
        if report.problems:
            report.skipped.append(f"{name}: runs once the problems above are fixed")
            continue
        started = time.perf_counter()
        try:
            with time_budget(timeout):
                report.problems = stage(package)  # a stage runs only while there are none
        except _OutOfTime:
            message = f"did not finish within {timeout:g} s (a schema pattern that backtracks, or a file too large?)"
            report.problems.append(Problem(name, DESCRIPTOR, message))
        report.seconds[name] = round(time.perf_counter() - started, 4)
    report.row_counts = {name: len(frame) for name, frame in package.tables.items()}
    pins = [(s.get("path"), s.get("hash")) for s in sources_of(package.descriptor)]
    report.snapshots = {path: pin for path, pin in pins if path in package.snapshots and pin}
    return report


__all__ = ["PackageError", "Report", "validate_package"]
