"""The whole verdict on a package: file rules, Frictionless, the derived pandera schemas, then provenance."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .paths import DESCRIPTOR, PackageError, read_descriptor, resolve_root, unsafe_path_reason
from .problems import Problem, dedupe
from .table_schema import Resource, tabular_resources

PROVENANCE_TABLES = ("statistics", "indicators", "sources", "mentions", "cross_checks")


@dataclass
class Report:
    """Problems found, in stage order, and the seconds each stage took."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "package": str(self.root),
            "valid": self.valid,
            "problem_count": len(self.problems),
            "problems": [p.as_dict() for p in self.problems],
            "skipped": self.skipped,
            "row_counts": self.row_counts,
            "snapshots": self.snapshots,
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }


def _descriptor_problems(descriptor: dict[str, Any]) -> list[Problem]:
    problems = []
    for entry in descriptor["resources"]:
        for key in ("path", "schema"):
            if key == "schema" and not isinstance(entry.get(key), str):
                continue
            reason = unsafe_path_reason(entry.get(key))
            if reason:
                problems.append(
                    Problem(
                        "descriptor",
                        DESCRIPTOR,
                        f"resource {entry.get('name')!r}: {key}: {reason}",
                        field=key,
                        value=entry.get(key),
                    )
                )
    names = {entry.get("name") for entry in descriptor["resources"]}
    problems += [
        Problem("descriptor", DESCRIPTOR, f"resource {name!r} is missing") for name in PROVENANCE_TABLES if name not in names
    ]
    return problems


def _read_bytes(root: Path, resources: dict[str, Resource]) -> dict[str, bytes | None]:
    """Each CSV's bytes, read once for the file rules and the table reader alike; None when missing."""
    return {name: (root / r.path).read_bytes() if (root / r.path).is_file() else None for name, r in resources.items()}


def _read_tables(files: dict[str, bytes | None], resources: dict[str, Resource], report: Report) -> dict[str, Any]:
    from .loader import read_raw

    tables = {}
    for name, data in files.items():
        if data is None:
            continue  # the file rules reported it missing
        try:
            tables[name] = read_raw(data)
        except Exception as err:  # any parser failure is a fault of the file, reported with it
            report.problems.append(Problem("read", resources[name].path, f"cannot be read as CSV: {err}".splitlines()[0]))
    report.row_counts = {name: len(frame) for name, frame in tables.items()}
    if "sources" in tables and {"snapshot_path", "snapshot_sha256"} <= set(tables["sources"].columns):
        pinned = tables["sources"].dropna(subset=["snapshot_path"])
        report.snapshots = dict(zip(pinned["snapshot_path"], pinned["snapshot_sha256"].fillna(""), strict=True))
    return tables


def _pandera(resources: dict[str, Resource], tables: dict[str, Any]) -> list[Problem]:
    from .pandera_stage import validate_with_pandera

    return [p for name, frame in tables.items() for p in validate_with_pandera(resources[name], frame)]


def _provenance(
    root: Path, descriptor: dict[str, Any], resources: dict[str, Resource], tables: dict[str, Any], report: Report
) -> list[Problem]:
    from .provenance import Context, run_provenance_checks

    unusable = [
        name for name in PROVENANCE_TABLES if name not in tables or list(tables[name].columns) != resources[name].field_names
    ]
    if unusable:
        report.skipped.append(f"provenance checks: fix the columns of {', '.join(unusable)} first")
        return []
    paths = {name: res.path for name, res in resources.items()}
    return run_provenance_checks(Context(root, descriptor, tables, paths))


def _timed(report: Report, stage: str, run: Any) -> None:
    started = time.perf_counter()
    report.problems.extend(run())
    report.seconds[stage] = time.perf_counter() - started


def validate_package(root: str | Path | None = None) -> Report:
    """Validate the package at root. Raises PackageError when there is no readable package to validate."""
    base = resolve_root(root)
    descriptor = read_descriptor(base)
    report = Report(base)
    _timed(report, "descriptor", lambda: _descriptor_problems(descriptor))
    if report.problems:
        report.skipped.append("all other checks: the descriptor must be fixed first")
        return report
    resources = tabular_resources(base, descriptor)
    files = _read_bytes(base, resources)
    _timed(report, "file_rules", lambda: [p for n, r in resources.items() for p in _file_rules(r.path, files[n])])
    _timed(report, "frictionless", lambda: _frictionless(base, descriptor))
    tables: dict[str, Any] = {}
    _timed(report, "read", lambda: tables.update(_read_tables(files, resources, report)) or [])
    _timed(report, "pandera", lambda: _pandera(resources, tables))
    _timed(report, "provenance", lambda: _provenance(base, descriptor, resources, tables, report))
    report.problems = dedupe(report.problems)
    return report


def _file_rules(relpath: str, data: bytes | None) -> list[Problem]:
    from .file_rules import check_csv

    return check_csv(relpath, data)


def _frictionless(root: Path, descriptor: dict[str, Any]) -> list[Problem]:
    from .frictionless_stage import validate_with_frictionless

    return validate_with_frictionless(root, descriptor)


__all__ = ["PackageError", "Report", "validate_package"]
