"""The command line: `morocco-migration-2017 validate|show`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .paths import PackageError

if TYPE_CHECKING:
    from .validation import Report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _version() -> str:
    from . import __version__

    return __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="morocco-migration-2017",
        description="Validate and inspect the morocco-migration-2017 data package.",
        epilog="Exit status: 0 sound, 1 problems found, 2 usage error or unreadable package.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate",
        help="run every check; one line per problem",
        description="Run the file rules, Frictionless, the pandera schemas and the provenance checks on a data package.",
    )
    check.add_argument("path", nargs="?", help="package folder or its datapackage.json (default: this package)")
    check.add_argument("--json", action="store_true", help="print a machine-readable report")
    show = commands.add_parser("show", help="print the statistics as a readable table")
    show.add_argument("path", nargs="?", help="package folder or its datapackage.json (default: this package)")
    return parser


def _summary(report: Report) -> str:
    counts = ", ".join(f"{count} {name}" for name, count in report.row_counts.items())
    pins = "; ".join(f"{path} sha256 {sha}" for path, sha in report.snapshots.items())
    return f"valid: {counts}\nsnapshots: {pins}"


def _validate(args: argparse.Namespace) -> int:
    from .validation import validate_package

    report = validate_package(args.path)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for problem in report.problems:
            print(problem.line())
        for note in report.skipped:
            print(f"skipped: {note}")
        print(_summary(report) if report.valid else f"{len(report.problems)} problem(s) found in {report.root}")
    return EXIT_OK if report.valid else EXIT_PROBLEMS


def _show(args: argparse.Namespace) -> int:
    from .loader import load
    from .presentation import format_period, format_value

    stats = load("statistics", args.path)
    for _, row in stats.iterrows():
        print(
            f"{row['statistic_id']}\n  {format_value(row['value'], row['value_bound'], row['unit'])}"
            f" | {format_period(row)} | {row['area']}"
        )
        print(
            f"  {row['claimant']}, {row['claimant_role']}, {str(row['claim_date'])[:10]} (inferred: "
            f"{row['inferred_fields'] or 'nothing'})"
        )
        print(textwrap.fill(f"\u201c{row['quote']}\u201d", width=100, initial_indent="  ", subsequent_indent="   "))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _validate(args) if args.command == "validate" else _show(args)
    except BrokenPipeError:  # the reader closed the pipe (`| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except PackageError as err:
        print(f"morocco-migration-2017: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError, KeyError) as err:
        print(f"morocco-migration-2017: error: cannot read the package: {err}".splitlines()[0], file=sys.stderr)
        return EXIT_USAGE
