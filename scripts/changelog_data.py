"""The data changes between two versions, cell by cell, for a CHANGELOG.md entry: generated, never typed.

    python scripts/changelog_data.py OLD NEW

    python scripts/changelog_data.py [--check]

OLD and NEW are each a released version (its files ship in morocco_migration_2017/releases/) or a package
folder (such as `.`, this tree). One line per difference that `verify` finds, e.g.
`- data/statistics.csv, migration_attempts_foiled_2017_ytd, value: 50000 → 60000`.

Without OLD and NEW, every block of CHANGELOG.md between `<!-- data-changes OLD NEW -->` and
`<!-- /data-changes -->` is written anew from the two versions it names (with --check: compared, and exit 1
where it differs), so that no entry's list is ever typed by hand.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from record_release_hashes import manifest, tree_files

from morocco_migration_2017.problems import PackageError, printable
from morocco_migration_2017.verify import Difference, compare, releases


def files_of(spec: str) -> tuple[dict[str, bytes], dict[str, list[str]]]:
    """The files of a released version or of a package folder, and its tables' primary keys by CSV path."""
    known = releases()
    if spec in known:
        return known[spec]["content"], known[spec]["tables"]
    files = tree_files(Path(spec))
    return files, manifest(files)["tables"]


def shown(value: object, difference: Difference) -> str:
    """A table's cell as its text; a JSON value or a stretch of text as JSON; an absent value as a dash."""
    if value is None:
        return "—"
    text = value if difference.row is not None else json.dumps(value, ensure_ascii=False)
    return f"`{text}`" if text else '`""`'


def entry(difference: Difference) -> str:
    """One line of the changelog: where, then the older version's value → the newer's."""
    at = f"character {difference.position}" if difference.position is not None else None
    where = ", ".join(str(part) for part in [difference.file, difference.row, at, difference.field] if part is not None)
    if difference.release is None and difference.copy is None:
        return printable(f"- {where}: file {difference.what}")
    return printable(f"- {where}: {shown(difference.release, difference)} → {shown(difference.copy, difference)}")


def changes(old: str, new: str) -> list[str]:
    (before, keys), (after, _) = files_of(old), files_of(new)
    return [entry(difference) for difference in compare(before, after, keys)] or ["- No change to the package's files."]


BLOCK = re.compile(r"(<!-- data-changes (\S+) (\S+) -->\n)(.*?)(<!-- /data-changes -->)", re.DOTALL)
CHANGELOG = Path(__file__).resolve().parent.parent / "CHANGELOG.md"


def changelog(path: Path, check: bool) -> int:
    """Write (or check) every generated block of the changelog at path."""
    text = path.read_text(encoding="utf-8")
    new = BLOCK.sub(lambda m: m[1] + "\n".join(changes(m[2], m[3])) + "\n" + m[5], text)
    if check:
        stale = [f"{m[2]} → {m[3]}" for m, n in zip(BLOCK.finditer(text), BLOCK.finditer(new), strict=True) if m[0] != n[0]]
        for pair in stale:
            print(f"{path.name}: the data changes {pair} are not as generated; run scripts/changelog_data.py")
        return int(bool(stale))
    path.write_text(new, encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", nargs="?", help="a released version (e.g. 2.0.0) or a package folder")
    parser.add_argument("new", nargs="?", help="a released version or a package folder (e.g. .)")
    parser.add_argument("--check", action="store_true", help="check the changelog's generated blocks")
    parser.add_argument("--changelog", type=Path, default=CHANGELOG, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.old is None:
            return changelog(args.changelog, args.check)
        print("\n".join(changes(args.old, args.new or ".")))
    except PackageError as err:
        print(printable(f"changelog_data: error: {err}"), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
