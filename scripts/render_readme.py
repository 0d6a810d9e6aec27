"""Regenerate the statistics table of README.md from data/statistics.csv.

    python scripts/render_readme.py [--check]

The table sits between the markers <!-- statistics-table:start --> and <!-- statistics-table:end -->;
nothing else in the README is touched. --check reports a stale table and exits 1, changing nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _maintenance import atomic_write

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs" / "_hooks"))  # the docs renderer lives beside the docs hook
from morocco_migration_2017.package import open_package  # noqa: E402
from site_render import read_tables, statistics_table  # noqa: E402

START, END = "<!-- statistics-table:start -->", "<!-- statistics-table:end -->"


def rendered(readme: str, root: Path) -> str:
    if readme.count(START) != 1 or readme.count(END) != 1:
        raise ValueError(f"README.md must hold exactly one {START} and one {END}")
    head, rest = readme.split(START)
    _, tail = rest.split(END)
    resources = open_package(root).resources
    return f"{head}{START}\n{statistics_table(read_tables(root, resources), None)}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report a stale table; change nothing")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    path = args.root / "README.md"
    current = path.read_text(encoding="utf-8")
    try:
        fresh = rendered(current, args.root)
    except ValueError as err:
        print(f"render_readme: error: {err}; nothing was written", file=sys.stderr)
        return 2
    if fresh == current:
        return 0
    if args.check:
        print("stale: README.md statistics table; run scripts/render_readme.py")
        return 1
    atomic_write(path, fresh.encode("utf-8"))
    print("updated: README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
