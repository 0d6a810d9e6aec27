"""The whole verdict on a package: read once, then files -> frictionless -> pandera -> provenance.

A stage runs only when the stages before it found nothing, so no fault is reported twice. Each has a
time budget (_timed); the report keeps the first max_problems problems and counts them all."""

import csv
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from .package import Package, read_package
from .problems import DataPackageError, Problem
from .reading import DESCRIPTOR, MAX_FILE_BYTES, resolve_root

STAGE_SECONDS = 120.0  # the default time budget of each stage (validate --timeout)
MAX_PROBLEMS = 1000  # the default number of problems listed (validate --max-problems); all counted


@dataclass
class Report:
    """The first max_problems problems, in stage order, of problem_count; skipped stages; times."""

    package: Path
    max_problems: int = MAX_PROBLEMS
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    truncated: bool = False  # the list was cut, or Frictionless stopped at its limit
    counted_all: bool = True  # False when a stage stopped early: problem_count is then a floor
    skipped: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    raw: dict[str, bytes] = field(default_factory=dict, repr=False)  # every file, for verify

    @property
    def valid(self) -> bool:
        return not self.problem_count

    @property
    def full(self) -> bool:
        """Whether the list holds max_problems problems: what follows can only be counted."""
        return len(self.problems) >= self.max_problems

    def add(self, found: Iterable[Any], make: Callable[[Any], Problem] = lambda p: p) -> None:
        """The cap: count every finding, and make it a Problem only while the list has room."""
        for item in found:
            self.problem_count += 1
            if not self.full:
                self.problems.append(make(item))
        self.truncated |= self.problem_count > len(self.problems)

    def stopped_early(self) -> None:
        """A stage stopped before counting all: the list is cut, problem_count is a floor."""
        self.truncated, self.counted_all = True, False

    def summary(self) -> str:
        count = f"{'' if self.counted_all else 'at least '}{self.problem_count:,}"
        cut = f" (first {len(self.problems):,} shown)" if self.truncated else ""
        return f"{count} problem{'s' * (self.problem_count != 1)} found in {self.package}{cut}"

    def as_dict(self) -> dict[str, Any]:
        plain = {"package": str(self.package), "valid": self.valid}
        plain["problems"] = [p.as_dict() for p in self.problems]
        return {k: v for k, v in vars(self).items() if k != "raw"} | plain


def frictionless_stage(pkg: Package, report: Report) -> None:
    """The Table Schemas as `frictionless validate` runs them: types, constraints, header, keys."""
    import frictionless

    csv.field_size_limit(MAX_FILE_BYTES)  # no cell is larger than its file
    resources = [{**r.entry, "schema": r.schema} for r in pkg.resources.values()]
    inline = {**pkg.descriptor, "resources": resources}
    try:  # from_descriptor raises on a descriptor it refuses
        opened = frictionless.Package.from_descriptor(inline, basepath=str(pkg.root))
        for resource in opened.resources:
            if report.full:  # the other tables could only be counted
                report.stopped_early()
                break
            _frictionless_table(pkg, resource, report)
    except frictionless.FrictionlessException as err:  # refused, or it cannot even start on it
        message = str(err).removeprefix(f"[{err.error.type}] ")
        report.add([Problem("frictionless", DESCRIPTOR, message)])
    except (TypeError, ValueError, KeyError, AttributeError) as err:  # a fork's schema, odd shaped
        message = f"Frictionless cannot read this package ({err})"
        report.add([Problem("frictionless", DESCRIPTOR, message)])


def _frictionless_table(pkg: Package, resource: Any, report: Report) -> None:
    """Frictionless's errors on one table, up to one more than the list can show."""

    def make(found: tuple[str, Any]) -> Problem:
        file, error = found
        where = map(error.to_descriptor().get, ("rowNumber", "fieldName", "cell"))
        return Problem(f"frictionless:{error.type}", file, error.message, *where)

    checked = resource.validate(limit_errors=report.max_problems + 1)
    paths = {name: known.path for name, known in pkg.resources.items()}
    found = [(DESCRIPTOR, error) for error in checked.errors]
    found += [(paths.get(t.name, t.place), error) for t in checked.tasks for error in t.errors]
    report.add(found, make)
    if any(w.startswith("reached error limit") for t in checked.tasks for w in t.warnings):
        report.stopped_early()


def pandera_stage(pkg: Package, report: Report) -> None:
    """The typed frames of `load()` against the pandera schemas of the Table Schemas, row rules."""
    from .pandera_schemas import pandera_problems

    # first a cell that pandas reads otherwise than Frictionless does
    report.add(replace(problem, check="pandera") for problem in pkg.type_tables())
    for name, frame in pkg.tables.items():
        report.add(pandera_problems(pkg.resources[name], frame, after_frictionless=True))


def provenance_stage(pkg: Package, report: Report) -> None:
    """What no schema language states: the checks of provenance.CHECKS, in order, under the cap."""
    from .provenance import CHECK, CHECKS

    def make(found: tuple[Any, ...]) -> Problem:
        table, index, name, message, value = found
        row = None if index is None else int(index) + 2  # the header is row 1
        return Problem(CHECK, pkg.path_of(table), message, row, name, value)

    if pkg.rules == "copy" and pkg.differences:  # its checks assume the release's keys and types
        why = f"the copy's rules differ ({pkg.differences[0].line()})"
        return report.skipped.append(f"provenance: checks the release's data model; {why}")
    for check in CHECKS:
        report.add(check(pkg), make)


STAGES = (("frictionless", frictionless_stage), ("pandera", pandera_stage))  # after files
STAGES += (("provenance", provenance_stage),)


class _OutOfTime(BaseException):
    """Not an Exception: no library's `except Exception` may swallow it."""


def _expire(*_: object) -> None:
    raise _OutOfTime


def _timed(report: Report, name: str, seconds: float, run: Callable[[], Any]) -> Any:
    """The budget: run(), stopped after seconds by SIGALRM (which also stops a regular expression
    that backtracks forever; off the main thread, or without SIGALRM, it is not enforced)."""
    started = time.perf_counter()
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _expire) if alarm else None
    try:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, seconds)
        return run()
    except _OutOfTime:
        why = "a schema pattern that backtracks, or a file too large?"
        message = f"did not finish within {seconds:g} s ({why})"
        report.problems.append(Problem(name, DESCRIPTOR, message))  # beyond the cap
        report.problem_count, report.counted_all = report.problem_count + 1, False
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        report.seconds[name] = round(time.perf_counter() - started, 4)


def _later_stages(pkg: Package | None, report: Report, timeout: float) -> Report:
    for name, stage in STAGES:
        if report.problem_count:
            report.skipped.append(f"{name}: runs once the problems above are fixed")
        else:
            _timed(report, name, timeout, partial(stage, pkg, report))
    return report


def open_package(
    root: str | Path | None = None,
    *,
    strict: bool = True,
    rules: str = "release",
    validate: bool = False,
) -> Package:
    """The package at root, read once (read_package); validate=True, with strict: also checked by
    every later stage, so load*(validate=True) and the exports accept exactly what validate does."""
    pkg = read_package(root, strict=strict, rules=rules)
    if strict and validate:
        found = _later_stages(pkg, Report(pkg.root), STAGE_SECONDS).problems
        if found:
            raise DataPackageError(found[0])
    return pkg


def validate_package(
    root: str | Path | None = None,
    timeout: float = STAGE_SECONDS,
    max_problems: int = MAX_PROBLEMS,
    rules: str = "release",
) -> Report:
    """Validate the package at root, stage by stage, by the release's rules (rules="copy": a fork's
    own). Raises PackageError when there is no readable descriptor to start from."""
    report = Report(resolve_root(root), max_problems)
    files = partial(read_package, report.package, strict=False, rules=rules)  # the files stage
    pkg = _timed(report, "files", timeout, files)
    report.add(pkg.problems if pkg else ())
    _later_stages(pkg, report, timeout)  # files out of time, pkg is None: the others are skipped
    if pkg:  # a snapshot is read only from sources that are a list of objects
        sources = pkg.descriptor["sources"] if pkg.snapshots else []
        pins = {s.get("path"): s.get("hash") for s in sources}
        report.snapshots = {
            path: pin for path, pin in pins.items() if path in pkg.snapshots and pin
        }
        report.row_counts = {name: len(frame) for name, frame in pkg.tables.items()}
        report.raw = pkg.raw
    return report
