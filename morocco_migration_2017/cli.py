"""The command line: `morocco-migration-2017 validate|show|export`."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from .problems import PackageError, printable

STAGE_SECONDS, MAX_PROBLEMS = 120.0, 1000  # validation's defaults, stated here so that --help imports no pandas

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
FORMATS = ("xlsx", "parquet", "sqlite", "json", "zip")
PATH_HELP = "package folder or its datapackage.json (default: this package)"


def _version() -> str:
    from . import __version__

    return __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="morocco-migration-2017",
        description="Validate, inspect and export the morocco-migration-2017 data package.",
        epilog="Exit status: 0 sound, 1 problems found, 2 usage error or unreadable package.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("validate", help="run every check; one line per problem")
    check.description = "Check the files, then the Table Schemas (Frictionless), the pandera schemas and the provenance."
    check.add_argument("path", nargs="?", help=PATH_HELP)
    check.add_argument("--json", action="store_true", help="print a machine-readable report")
    check.add_argument(
        "--timeout", type=_positive(float), default=STAGE_SECONDS, help=f"seconds each stage may take ({STAGE_SECONDS:g})"
    )
    check.add_argument(
        "--max-problems",
        type=_positive(int),
        default=MAX_PROBLEMS,
        help=f"problems to list ({MAX_PROBLEMS:,}); all are counted",
    )
    check.add_argument(
        "--rules",
        choices=("release", "copy"),
        default="release",
        help="judge by the release's rules (default) or, for a fork, the copy's own",
    )
    show = commands.add_parser("show", help="print the statistics as a readable table")
    show.add_argument("path", nargs="?", help=PATH_HELP)
    export = commands.add_parser("export", help="write the package as xlsx, Parquet, SQLite, JSON or a zip")
    export.add_argument("--format", choices=FORMATS, required=True, action="append", help="repeat for several")
    export.add_argument("--out", default="dist/exports", help="folder to write into (default dist/exports)")
    export.add_argument("path", nargs="?", help=PATH_HELP)
    return parser


def _positive(kind: type) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        value = kind(text)
        if not (math.isfinite(value) and value > 0):
            raise ValueError(text)
        return value

    read.__name__ = f"positive finite {kind.__name__}"  # argparse names the type in its error
    return read


def _emit(lines: list[str]) -> bool:
    """Print the report; False when it cannot be written (a closed pipe, a full disk)."""
    try:
        sys.stdout.write("".join(f"{line}\n" for line in lines))
        sys.stdout.flush()
        return True
    except (AttributeError, ValueError, OSError):  # AttributeError: no stdout at all
        return False


def _validate(args: argparse.Namespace) -> tuple[int, list[str]]:
    from .validation import validate_package

    # pandera would import hypothesis for data synthesis, which validate never uses (0.2 s of a 1 s run).
    blocked = sys.modules.setdefault("hypothesis", None) is None  # type: ignore[arg-type]
    try:
        report = validate_package(args.path, timeout=args.timeout, max_problems=args.max_problems, rules=args.rules)
    finally:
        if blocked and sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]
    code = EXIT_OK if report.valid else EXIT_PROBLEMS
    if args.json:
        return code, [json.dumps(report.as_dict(), indent=2, ensure_ascii=True)]
    lines = [problem.line() for problem in report.problems] + [printable(f"skipped: {note}") for note in report.skipped]
    if report.valid:
        counts = ", ".join(f"{count} {name}" for name, count in report.row_counts.items())
        pins = "; ".join(f"{path} {pin}" for path, pin in report.snapshots.items())
        lines += [f"valid: {counts}", printable(f"snapshots: {pins}")]
    else:
        lines.append(printable(report.summary()))
    return code, lines


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
    run = {"validate": _validate, "show": _show, "export": _export}[args.command]
    try:
        code, lines = run(args)
    except PackageError as err:  # anything else is a bug, and shows its traceback
        return _fail(str(err))
    return code if _emit(lines) else _fail("the report could not be written (a closed pipe or a full disk?)")


def _fail(message: str) -> int:
    with contextlib.suppress(AttributeError, ValueError, OSError):
        print(printable(f"morocco-migration-2017: error: {message}"), file=sys.stderr)
    return EXIT_USAGE
