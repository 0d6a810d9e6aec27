"""The command line: `morocco-migration-2017 validate|verify|show|export`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import asdict

from .problems import DataPackageError, printable
from .safe_read import STAGE_SECONDS, PackageError
from .verify import verify

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
FORMATS = ("xlsx", "parquet", "sqlite", "json", "zip", "croissant", "annotations")
PATH_HELP = "package folder or its datapackage.json (default: this package)"


def _version() -> str:
    from . import __version__

    return __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="morocco-migration-2017",
        description="Validate, verify, inspect and export the morocco-migration-2017 data package.",
        epilog="Exit status: 0 sound, 1 problems found, 2 usage error or unreadable package.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("validate", help="run every check; one line per problem")
    check.description = "Check the files, then the Table Schemas (Frictionless), the pandera schemas and the provenance."
    check.add_argument("path", nargs="?", help=PATH_HELP)
    check.add_argument("--json", action="store_true", help="print a machine-readable report")
    check.add_argument(
        "--timeout", type=float, default=STAGE_SECONDS, help=f"seconds each stage may take ({STAGE_SECONDS:g})"
    )
    verify = commands.add_parser("verify", help="is this copy a release? name every difference")
    verify.description = "Compare a copy (a package folder or one table's CSV) with every released version, file by file."
    verify.epilog = "Exit status: 0 identical to a release (named), 1 matches none, 2 usage error or unreadable copy."
    verify.add_argument("path", nargs="?", help=f"{PATH_HELP}, or a CSV of one of its tables")
    verify.add_argument("--json", action="store_true", help="print a machine-readable report")
    show = commands.add_parser("show", help="print the statistics as a readable table")
    show.add_argument("path", nargs="?", help=PATH_HELP)
    export = commands.add_parser("export", help="write the package as xlsx, Parquet, SQLite, JSON or a zip")
    export.add_argument("--format", choices=FORMATS, required=True, action="append", help="repeat for several")
    export.add_argument("--out", default="dist/exports", help="folder to write into (default dist/exports)")
    export.add_argument("path", nargs="?", help=PATH_HELP)
    return parser


def _emit(lines: list[str]) -> None:
    """Print, quietly giving up when the reader has gone (a closed pipe): the exit status is already decided."""
    if sys.stdout is None:
        return
    try:
        sys.stdout.write("".join(f"{line}\n" for line in lines))
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)


def _validate(args: argparse.Namespace) -> tuple[int, list[str]]:
    from .validation import validate_package

    report = validate_package(args.path, timeout=args.timeout)
    code = EXIT_OK if report.valid else EXIT_PROBLEMS
    if args.json:
        return code, [json.dumps(report.as_dict(), indent=2, ensure_ascii=True)]
    lines = [problem.line() for problem in report.problems] + [printable(f"skipped: {note}") for note in report.skipped]
    if report.valid:
        counts = ", ".join(f"{count} {name}" for name, count in report.row_counts.items())
        pins = "; ".join(f"{path} {pin}" for path, pin in report.snapshots.items())
        lines += [f"valid: {counts}", printable(f"snapshots: {pins}"), _release_line(args.path)]
    else:
        lines += [_release_line(args.path), printable(f"{len(report.problems)} problem(s) found in {report.package}")]
    return code, lines


def _release_line(path: str | None) -> str:
    """Whether the copy is a release: information only, it never changes validate's verdict."""
    try:
        verdict = verify(path)
    except PackageError as err:
        return printable(f"release: not checked ({err})")
    if verdict.release:
        return f"release: identical to {verdict.release}"
    return f"release: matches no release (nearest {verdict.nearest}, {len(verdict.differences)} differences; run verify)"


def _verify(args: argparse.Namespace) -> tuple[int, list[str]]:
    verdict = verify(args.path)
    code = EXIT_OK if verdict.release else EXIT_PROBLEMS
    if args.json:
        report = {**asdict(verdict), "identical": verdict.release is not None, "difference_count": len(verdict.differences)}
        return code, [json.dumps(report, indent=2, ensure_ascii=True, default=str)]
    return code, verdict.lines()


def _show(args: argparse.Namespace) -> tuple[int, list[str]]:
    import pandas as pd

    from .loader import load_flat
    from .presentation import format_period, format_value

    lines = []
    for _, row in load_flat(args.path).iterrows():
        inferred = " ".join(str(row[c]) for c in ("statement_inferred_fields", "inferred_fields") if pd.notna(row[c]))
        lines += [
            row["statistic_id"],
            f"  {format_value(row['value'], row['value_bound'], row['unit'])} | {format_period(row)} | {row['area']}",
            f"  {row['claimant']}, {row['claimant_role']}, {str(row['claim_date'])[:10]} (inferred: {inferred})",
            textwrap.fill(f"\u201c{row['quote']}\u201d", width=100, initial_indent="  ", subsequent_indent="   "),
        ]
    return EXIT_OK, [printable(line) for line in "\n".join(lines).splitlines()]


def _export(args: argparse.Namespace) -> tuple[int, list[str]]:
    try:
        from .export import export

        written = export(args.format, args.out, args.path)
    except ImportError as err:  # the export libraries are an optional extra
        raise PackageError(
            f"export needs the [export] extra ({err}); pip install 'morocco-migration-2017[export]'"
        ) from None
    return EXIT_OK, [printable(f"wrote {path}") for path in written]


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # an ASCII terminal gets escapes, not a crash
    args = _parser().parse_args(argv)
    run = {"validate": _validate, "verify": _verify, "show": _show, "export": _export}[args.command]
    try:
        code, lines = run(args)
    except (PackageError, DataPackageError) as err:  # anything else is a bug, and shows its traceback
        print(printable(f"morocco-migration-2017: error: {err}"), file=sys.stderr)
        return EXIT_USAGE
    _emit(lines)
    return code
