"""The whole verdict on a package: read once, then four stages, each run on what the last passed, each bounded.

files (safe reading, the release's rules, byte rules, snapshot pins; in package.py) -> frictionless (the files
against the Table Schemas) -> pandera (the typed frames load() returns) -> provenance (what no schema language
states). A stage runs only when the stages before it found nothing, so no fault is reported twice. Each stage
has a time budget, and the report keeps the first max_problems problems while counting them all.
"""

from __future__ import annotations

import csv
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .package import DESCRIPTOR, MAX_FILE_BYTES, Package, open_package, resolve_root
from .problems import Problem

STAGE_SECONDS = 120.0  # the default time budget of each stage (validate --timeout)
MAX_PROBLEMS = 1000  # the default number of problems reported (validate --max-problems); all are counted


class _OutOfTime(BaseException):  # not an Exception: no library's `except Exception` may swallow it
    pass


@dataclass
class Report:
    """Problems found, in stage order (the first max_problems of problem_count), the stages skipped, the seconds."""

    package: Path
    max_problems: int = MAX_PROBLEMS
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    truncated: bool = False  # the list was cut, or Frictionless stopped counting at its limit
    counted_all: bool = True  # False when Frictionless stopped counting: problem_count is then a floor
    skipped: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problem_count

    def add(self, found: Iterable[Any], make: Callable[[Any], Problem] = lambda p: p) -> None:
        """Count every finding; build and keep only as many as the cap allows."""
        for item in found:
            self.problem_count += 1
            if len(self.problems) < self.max_problems:
                self.problems.append(make(item))
        self.truncated |= self.problem_count > len(self.problems)

    def summary(self) -> str:
        count = f"{'' if self.counted_all else 'at least '}{self.problem_count:,}"
        cut = f" (first {len(self.problems):,} shown)" if self.truncated else ""
        return f"{count} problem{'s' if self.problem_count != 1 else ''} found in {self.package}{cut}"

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in vars(self).items() if k != "max_problems"}
        return {**data, "package": str(self.package), "valid": self.valid, "problems": [p.as_dict() for p in self.problems]}


def frictionless_stage(pkg: Package, report: Report) -> None:
    """Frictionless's verdict on the files, with the schemas handed over inline as already read and screened, so
    it opens nothing but the data files that passed the files stage; stopped at the problems still to report."""
    from frictionless import FrictionlessException
    from frictionless import Package as Frictionless

    csv.field_size_limit(MAX_FILE_BYTES)  # no cell is larger than its file, which the files stage has bounded
    inline = {**pkg.descriptor, "resources": [{**r.entry, "schema": r.schema} for r in pkg.resources.values()]}
    try:
        checked = Frictionless.from_descriptor(inline, basepath=str(pkg.root)).validate(limit_errors=report.max_problems + 1)
    except FrictionlessException as err:  # a descriptor Frictionless cannot even start on
        return report.add([Problem("frictionless", DESCRIPTOR, str(err).removeprefix(f"[{err.error.type}] "))])
    paths = {name: resource.path for name, resource in pkg.resources.items()}
    found = [(err, DESCRIPTOR) for err in checked.errors]
    found += [(err, paths.get(task.name, task.place)) for task in checked.tasks for err in task.errors]
    report.add(found, lambda item: _problem(item[0].to_descriptor(), item[1]))
    if any(w.startswith("reached error limit") for task in checked.tasks for w in task.warnings):
        report.truncated, report.counted_all = True, False


def _problem(error: dict[str, Any], file: str) -> Problem:
    return Problem(
        f"frictionless:{error['type']}",
        file,
        error["message"],
        error.get("rowNumber"),
        error.get("fieldName"),
        error.get("cell"),
    )


def pandera_stage(pkg: Package, report: Report) -> None:
    from .pandera_schemas import pandera_problems

    report.add(replace(problem, check="pandera") for problem in pkg.type_tables())  # a cell pandas reads otherwise
    for name, resource in pkg.resources.items():
        if name in pkg.tables:
            report.add(pandera_problems(resource, pkg.tables[name], after_frictionless=True))


def provenance_stage(pkg: Package, report: Report) -> None:
    from .provenance import CHECK, CHECKS, Context

    if pkg.rules == "copy" and pkg.differences:
        report.skipped.append(
            f"provenance: checks the release's data model; the copy's rules differ ({pkg.differences[0].line()})"
        )
        return
    ctx = Context(pkg.tables, pkg.snapshots, {name: r.path for name, r in pkg.resources.items()}, pkg.created)

    def make(found: tuple[str, Any, str | None, str, Any]) -> Problem:
        table, index, name, message, value = found
        return Problem(
            CHECK, ctx.paths[table], message, row=None if index is None else int(index) + 2, field=name, value=value
        )

    for check in CHECKS:
        report.add(check(ctx), make)


STAGES: list[tuple[str, Callable[[Package, Report], None]]] = [
    ("frictionless", frictionless_stage),
    ("pandera", pandera_stage),
    ("provenance", provenance_stage),
]


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Interrupt the block after seconds (SIGALRM also stops a regular expression that backtracks forever). Off the
    main thread, or without SIGALRM, the budget cannot be enforced and is not."""
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


def _timed(report: Report, name: str, timeout: float, run: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        with time_budget(timeout):
            return run()
    except _OutOfTime:
        message = f"did not finish within {timeout:g} s (a schema pattern that backtracks, or a file too large?)"
        report.problems.append(Problem(name, DESCRIPTOR, message))  # shown even beyond the cap
        report.problem_count, report.counted_all = report.problem_count + 1, False
    finally:
        report.seconds[name] = round(time.perf_counter() - started, 4)


def validate_package(
    root: str | Path | None = None, timeout: float = STAGE_SECONDS, max_problems: int = MAX_PROBLEMS, rules: str = "release"
) -> Report:
    """Validate the package at root. Raises PackageError when there is no readable descriptor to start from."""
    report = Report(resolve_root(root), max_problems)
    pkg = _timed(report, "files", timeout, lambda: open_package(report.package, strict=False, rules=rules))
    if pkg is None:
        return report
    report.add(pkg.problems)
    for name, stage in STAGES:
        if report.problem_count:
            report.skipped.append(f"{name}: runs once the problems above are fixed")
        else:
            _timed(report, name, timeout, lambda stage=stage: stage(pkg, report))
    report.row_counts = {name: len(frame) for name, frame in pkg.tables.items()}
    sources = pkg.descriptor.get("sources")
    pins = [(s.get("path"), s.get("hash")) for s in sources if isinstance(s, dict)] if isinstance(sources, list) else []
    report.snapshots = {path: pin for path, pin in pins if path in pkg.snapshots and pin}
    return report


__all__ = ["Report", "validate_package"]
