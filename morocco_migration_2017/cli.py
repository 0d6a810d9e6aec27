"""The command line: `morocco-migration-2017 validate|verify|show|export`. Exit 0 sound,
1 problems, 2 usage error."""

import argparse
import contextlib
import json
import math
import os
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from .problems import SHOWN_CHARACTERS, DataPackageError, PackageError, printable
from .verify import SHOWN, verify

FORMATS = ("xlsx", "parquet", "sqlite", "json", "zip", "croissant", "annotations")
LINKING = {"annotations", "croissant", "zip"}  # formats whose ids are absolute under --base-url
RELATIVE = "ids are relative, the dataset has no url: give --base-url URL (or set SITE_URL)"
PATH = {"nargs": "?", "help": "package folder or its datapackage.json (default: this package)"}
JSON = {"action": "store_true", "help": "print a machine-readable report"}


def _positive(kind: type) -> Any:
    def read(text: str) -> Any:
        if not (math.isfinite(value := kind(text)) and value > 0):
            raise ValueError(text)
        return value

    read.__name__ = f"positive finite {kind.__name__}"  # argparse names the type in its error
    return read


class _Version(argparse.Action):  # reads datapackage.json only when asked (no file read twice)
    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from . import __version__

        print(f"{parser.prog} {__version__}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    from .validation import MAX_PROBLEMS, STAGE_SECONDS

    parser = argparse.ArgumentParser(prog="morocco-migration-2017")
    parser.description = "Validate, inspect and export the morocco-migration-2017 data package."
    parser.epilog = "Exit status: 0 sound, 1 problems found, 2 usage error or unreadable package."
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("validate", help="run every check; one line per problem")
    check.description = "Check the files by the release's rules, then Frictionless, pandera and "
    check.description += "provenance."
    check.add_argument("path", **PATH)
    check.add_argument("--json", **JSON)
    budget = "seconds a stage may take (%(default)g)"
    check.add_argument("--timeout", type=_positive(float), default=STAGE_SECONDS, help=budget)
    listed = "problems to list (%(default)s)"
    check.add_argument("--max-problems", type=_positive(int), default=MAX_PROBLEMS, help=listed)
    rules = "whose rules judge: the release's, or a fork's"
    check.add_argument("--rules", choices=("release", "copy"), default="release", help=rules)
    check = commands.add_parser("verify", help="is this copy a release? name every difference")
    check.description = "Compare a copy (a package folder or one table's CSV) with every released "
    check.description += "version, file by file."
    check.epilog = "Exit status: 0 identical to a release (named), 1 matches none, 2 usage error "
    check.epilog += "or unreadable copy."
    check.add_argument("path", nargs="?", help=f"{PATH['help']}, or a CSV of one of its tables")
    check.add_argument("--json", **JSON)
    show = commands.add_parser("show", help="print the statistics as a readable table")
    show.add_argument("path", **PATH)
    export = commands.add_parser(
        "export", help="write the package as xlsx, Parquet, SQLite, JSON or a zip"
    )
    several = "repeat for several"
    export.add_argument("--format", choices=FORMATS, required=True, action="append", help=several)
    into = "folder to write into (default dist/exports)"
    export.add_argument("--out", default="dist/exports", help=into)
    address = "the site's address: annotation ids are absolute under it (default: $SITE_URL)"
    export.add_argument("--base-url", metavar="URL", help=address)
    export.add_argument("path", **PATH)
    return parser


def _validate(args: argparse.Namespace) -> tuple[int, list[str]]:
    from .validation import validate_package

    # pandera would import hypothesis for data synthesis, which validate never uses (0.2 s of 1 s).
    blocked = sys.modules.setdefault("hypothesis", None) is None  # type: ignore[arg-type]
    try:
        report = validate_package(args.path, args.timeout, args.max_problems, args.rules)
    finally:
        if blocked and sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]
    code = int(not report.valid)
    if args.json:
        return code, json.dumps(report.as_dict(), indent=2, ensure_ascii=True).splitlines()
    lines = [problem.line() for problem in report.problems]
    lines += [printable(f"skipped: {note}") for note in report.skipped]
    counts = ", ".join(f"{count} {name}" for name, count in report.row_counts.items())
    pins = "; ".join(f"{path} {pin}" for path, pin in report.snapshots.items())
    release = _release_line(args.path, report.raw)
    if report.valid:
        return code, [*lines, f"valid: {counts}", f"snapshots: {pins}", release]
    return code, [*lines, release, report.summary()]


def _release_line(path: str | None, raw: dict[str, bytes]) -> str:
    """Whether the copy is a release: information only, it never changes validate's verdict."""
    try:
        verdict = verify(path, raw, files_only=True)
    except PackageError as err:
        return f"release: not checked ({err})"
    if verdict.release:
        return f"release: identical to {verdict.release}"
    differ = "1 file differs" if verdict.count == 1 else f"{verdict.count} files differ"
    return f"release: matches no release (nearest {verdict.nearest}, {differ}; run verify)"


def _verify(args: argparse.Namespace) -> tuple[int, list[str]]:
    verdict = verify(args.path)
    code = int(not verdict.release)
    if not args.json:
        return code, verdict.lines()
    report = {k: v for k, v in asdict(verdict).items() if k != "count"}
    report |= {"identical": verdict.release is not None, "difference_count": verdict.count}
    report["differences"] = report["differences"][:SHOWN]
    report["truncated"] = verdict.count > len(report["differences"])
    return code, json.dumps(report, indent=2, ensure_ascii=True, default=str).splitlines()


def _show(args: argparse.Namespace) -> tuple[int, list[str]]:
    from . import load_flat
    from .presentation import format_period, format_value

    try:  # what show prints must be what validate accepts
        flat = load_flat(args.path, validate=True)
    except DataPackageError as err:  # on stdout, as validate reports a problem
        return 1, [f"not valid: {err}; run validate for every problem"]
    lines = []
    for _, row in flat.iterrows():
        fields = (row["statement_inferred_fields"], row["inferred_fields"])
        inferred = " ".join(str(f) for f in fields if isinstance(f, str))
        value = format_value(row["value"], row["value_bound"], row["unit"])
        where = f"  {value} | {format_period(row)} | {row['area']}"
        claim = f"  {row['claimant']}, {row['claimant_role']}, {str(row['claim_date'])[:10]}"
        quote = f"\u201c{row['quote']}\u201d"
        quote = textwrap.fill(quote, width=100, initial_indent="  ", subsequent_indent="   ")
        lines += [row["statistic_id"], where, f"{claim} (inferred: {inferred})", quote]
    return 0, "\n".join(lines).splitlines()


def _export(args: argparse.Namespace) -> tuple[int, list[str]]:
    linking = bool(LINKING.intersection(args.format))
    site, setting = args.base_url, "--base-url"
    if site is None and linking:  # SITE_URL serves only the formats whose ids it makes absolute
        site, setting = os.environ.get("SITE_URL"), "SITE_URL"  # set but empty: unset
    try:  # each writer imports its library (the optional [export] extra) when it runs
        from .export import export

        written = export(args.format, args.out, args.path, site, setting)
    except ImportError as err:
        extra = "pip install 'morocco-migration-2017[export]'"
        raise PackageError(f"export needs the [export] extra ({err}); {extra}") from None
    except OSError as err:  # --out is a file, a folder that cannot be made, a full disk
        where = printable(str(err.filename or args.out))
        raise PackageError(f"export: cannot write {where}: {err.strerror or err}") from None
    if not site and linking:
        _say(f"morocco-migration-2017: note: {RELATIVE}\n", sys.stderr)
    return 0, [f"wrote {path}" for path in written]


def _say(text: str, stream: Any) -> bool:
    """Write, and say whether all of it could be (not to no stream, a closed pipe, a full disk)."""
    try:
        if not hasattr(stream, "buffer"):  # a text stream in memory takes all of it, or raises
            return stream.write(text) == len(text)
        data = memoryview(text.encode(stream.encoding or "utf-8", stream.errors or "strict"))
        stream.flush()
        while data:  # the binary buffer's write may take only part, when the reader has gone
            data = data[stream.buffer.write(data) :]
        stream.buffer.flush()
        return True
    except (AttributeError, ValueError, OSError):
        with contextlib.suppress(AttributeError, ValueError, OSError):  # nor may the last flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = None
    if hasattr(sys.stdout, "reconfigure"):  # an ASCII terminal gets escapes, not a crash
        sys.stdout.reconfigure(errors="backslashreplace")
    try:  # anything but a PackageError is a bug, and shows its traceback
        args = _parser().parse_args(argv)
        run = {"validate": _validate, "verify": _verify, "show": _show, "export": _export}
        code, lines = run[args.command](args)
        written = _say("".join(f"{printable(line)}\n" for line in lines), sys.stdout)
        error = None if written else "the report could not be written"
    except PackageError as err:
        error = str(err)
        if len(error) > SHOWN_CHARACTERS:
            error = error[: SHOWN_CHARACTERS - 1] + "…"
    if error:
        _say(printable(f"morocco-migration-2017: error: {error}") + "\n", sys.stderr)
        if getattr(args, "json", False):  # a reader of stdout gets a verdict too
            verdict = "valid" if args.command == "validate" else "identical"
            _say(json.dumps({verdict: False, "error": printable(error)}) + "\n", sys.stdout)
        return 2
    return code


# python -m morocco_migration_2017.cli, as python -m morocco_migration_2017
if __name__ == "__main__":
    raise SystemExit(main())
