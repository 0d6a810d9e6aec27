"""The whole verdict on a package: read once, then four stages, each run on what the last passed, each bounded.

files (package.py: safe reading, the release's rules, bytes, pins) -> frictionless (the files against the Table
Schemas) -> pandera (the typed frames) -> provenance (what no schema language states). A stage runs only when the
stages before it found nothing, so no fault is reported twice. Each stage has a time budget; the report keeps the
first max_problems problems and counts them all.
"""

from __future__ import annotations

import csv
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .package import DESCRIPTOR, MAX_FILE_BYTES, Package, read_package, resolve_root
from .problems import DataPackageError, Problem

STAGE_SECONDS = 120.0  # the default time budget of each stage (validate --timeout)
MAX_PROBLEMS = 1000  # the default number of problems listed (validate --max-problems); all are counted


class _OutOfTime(BaseException):  # not an Exception: no library's `except Exception` may swallow it
    pass


@dataclass
class Report:
    """The first max_problems problems, in stage order, of problem_count; the stages skipped; their seconds."""

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
    raw: dict[str, bytes] = field(default_factory=dict, repr=False)  # every file as read (Package.raw), for verify

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
        count, cut = self.problem_count, f" (first {len(self.problems):,} shown)" if self.truncated else ""
        return f"{'' if self.counted_all else 'at least '}{count:,} problem{'s' * (count != 1)} found in {self.package}{cut}"

    def as_dict(self) -> dict[str, Any]:
        plain = {"package": str(self.package), "valid": self.valid, "problems": [p.as_dict() for p in self.problems]}
        return {k: v for k, v in vars(self).items() if k != "raw"} | plain


def frictionless_stage(pkg: Package, report: Report) -> None:
    """Frictionless's verdict on the data files, given the schemas inline as already read, and an error limit. The
    descriptor first, then one table at a time, as Package.validate runs them: once the list is full, what the other
    tables hold could only be counted, and a table with foreign keys reads every table it refers to."""
    from frictionless import FrictionlessException
    from frictionless import Package as Frictionless

    csv.field_size_limit(MAX_FILE_BYTES)  # no cell is larger than its file, which the files stage has bounded
    inline = {**pkg.descriptor, "resources": [{**r.entry, "schema": r.schema} for r in pkg.resources.values()]}
    paths = {name: resource.path for name, resource in pkg.resources.items()}

    def make(found: tuple[str, Any]) -> Problem:  # (file, Frictionless's error)
        file, error = found
        where = map(error.to_descriptor().get, ("rowNumber", "fieldName", "cell"))
        return Problem(f"frictionless:{error.type}", file, error.message, *where)

    try:
        package = Frictionless.from_descriptor(inline, basepath=str(pkg.root))  # raises on a descriptor it refuses
        for resource in package.resources:
            if len(report.problems) >= report.max_problems:
                report.truncated, report.counted_all = True, False
                return
            checked = resource.validate(limit_errors=report.max_problems + 1)
            report.add(
                [(DESCRIPTOR, e) for e in checked.errors]
                + [(paths.get(t.name, t.place), e) for t in checked.tasks for e in t.errors],
                make,
            )
            if any(w.startswith("reached error limit") for task in checked.tasks for w in task.warnings):
                report.truncated, report.counted_all = True, False
    except FrictionlessException as err:  # a descriptor it refuses, or cannot even start on
        return report.add([Problem("frictionless", DESCRIPTOR, str(err).removeprefix(f"[{err.error.type}] "))])
    except (TypeError, ValueError, KeyError, AttributeError) as err:  # a fork's schema of a shape it does not expect
        return report.add([Problem("frictionless", DESCRIPTOR, f"Frictionless cannot read this package ({err})")])


def pandera_stage(pkg: Package, report: Report) -> None:
    from .pandera_schemas import pandera_problems

    report.add(replace(problem, check="pandera") for problem in pkg.type_tables())  # a cell pandas reads otherwise
    for name in pkg.tables:
        report.add(pandera_problems(pkg.resources[name], pkg.tables[name], after_frictionless=True))


def provenance_stage(pkg: Package, report: Report) -> None:
    from .provenance import CHECK, CHECKS

    if pkg.rules == "copy" and pkg.differences:  # its checks assume the release's keys and types
        return report.skipped.append(
            f"provenance: checks the release's data model; the copy's rules differ ({pkg.differences[0].line()})"
        )
    for check in CHECKS:  # each yields (table, index, field, message, value), lazily: built only under the cap
        report.add(
            check(pkg),
            lambda f: Problem(CHECK, pkg.path_of(f[0]), f[3], None if f[1] is None else int(f[1]) + 2, f[2], f[4]),
        )


def _expire(*_: object) -> None:
    raise _OutOfTime


def _timed(report: Report, name: str, seconds: float, run: Callable[[], Any]) -> Any:
    """run() under a time budget: SIGALRM also stops a regular expression that backtracks forever. Off the main
    thread, or without SIGALRM, the budget cannot be enforced and is not."""
    started = time.perf_counter()
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _expire) if alarm else None
    try:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, seconds)
        return run()
    except _OutOfTime:
        message = f"did not finish within {seconds:g} s (a schema pattern that backtracks, or a file too large?)"
        report.problems.append(Problem(name, DESCRIPTOR, message))  # shown even beyond the cap
        report.problem_count, report.counted_all = report.problem_count + 1, False
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        report.seconds[name] = round(time.perf_counter() - started, 4)


def _forked(run: Callable[[], Any]) -> tuple[Callable[[], bool], Callable[[], Any]]:
    """run() in a forked process while this one goes on (on the other core): whether its result is ready, and
    join(), which waits for it (and raises what run() raised)."""
    import multiprocessing

    def child() -> None:
        try:
            send.send(run())
        except BaseException as err:  # raised again in the parent
            send.send(err)

    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=child, daemon=True)
    process.start()

    def join() -> Any:
        result = receive.recv()  # our own child's report
        process.join()
        if isinstance(result, BaseException):
            raise result
        return result

    return receive.poll, join


def _stages(pkg: Package, report: Report, timeout: float, stages: list[tuple[str, Any]]) -> Report:
    for name, stage in stages:
        if report.problem_count:
            report.skipped.append(f"{name}: runs once the problems above are fixed")
        else:
            _timed(report, name, timeout, lambda stage=stage: stage(pkg, report))
    return report


STAGES = [("frictionless", frictionless_stage), ("pandera", pandera_stage), ("provenance", provenance_stage)]


def check_opened(pkg: Package) -> Report:
    """The stages after the files stage, on a package opened without a problem: what load*(validate=True) and
    the exports accept is exactly what validate accepts."""
    return _stages(pkg, Report(pkg.root), STAGE_SECONDS, STAGES)


def open_package(
    root: str | Path | None = None, *, strict: bool = True, rules: str = "release", validate: bool = False
) -> Package:
    """The package at root, read once (package.read_package); validate=True: with strict, also checked by every
    later stage of validate, so that load*(validate=True) and the exports accept exactly what validate accepts."""
    pkg = read_package(root, strict=strict, rules=rules)
    for problem in check_opened(pkg).problems[:1] if strict and validate else ():
        raise DataPackageError(problem)
    return pkg


def validate_package(
    root: str | Path | None = None,
    timeout: float = STAGE_SECONDS,
    max_problems: int = MAX_PROBLEMS,
    rules: str = "release",
    parallel: bool = False,
) -> Report:
    """Validate the package at root, by the release's rules (rules="copy": a fork's own). parallel: Frictionless
    runs in a forked process while the typed stages run ahead, kept only if it finds nothing (for the command
    line, a process with one thread). Raises PackageError when there is no readable descriptor to start from."""
    report = Report(resolve_root(root), max_problems)
    pkg = _timed(report, "files", timeout, lambda: read_package(report.package, strict=False, rules=rules))
    report.add(pkg.problems if pkg else ())
    if parallel and pkg and not report.problem_count and hasattr(os, "fork") and threading.active_count() == 1:
        ready, join = _forked(lambda: _stages(pkg, report, timeout, STAGES[:1]))  # on the child's copy of report
        first, error = None, None
        for stage in STAGES[1:]:
            first = first or (join() if ready() else None)
            if (first and first.problem_count) or error:
                break
            try:  # on data Frictionless may yet refuse: a failure counts only if it does not
                _stages(pkg, report, timeout, [stage])
            except Exception as err:
                error = err
        first = first or join()
        if first.problem_count:  # what ran ahead is dropped, as if it had waited
            report = first
            pkg.tables.clear()
            _stages(pkg, report, timeout, STAGES[1:])
        elif error:
            raise error
        else:  # Frictionless found nothing: all it adds is its time
            report.seconds = first.seconds | report.seconds
    else:
        _stages(pkg, report, timeout, STAGES)
    report.row_counts = {name: len(frame) for name, frame in pkg.tables.items()} if pkg else {}
    # a snapshot is read only from sources that are a list of objects
    pins = {s.get("path"): s.get("hash") for s in pkg.descriptor["sources"]} if pkg and pkg.snapshots else {}
    report.snapshots = {path: pin for path, pin in pins.items() if path in pkg.snapshots and pin}
    report.raw = pkg.raw if pkg else {}
    return report
