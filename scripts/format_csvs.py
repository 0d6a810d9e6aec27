"""Rewrite every CSV of the package in canonical form (UTF-8, no BOM, LF, minimal quoting), values untouched.

    python scripts/format_csvs.py [--check] [--root PATH]

--check reports the files that are not canonical and exits 1, changing nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _maintenance import MaintenanceError, apply_changes, read_rows, render_rows
from morocco_migration_2017.package import release_rules
from morocco_migration_2017.problems import PackageError


def canonical_changes(root: Path) -> dict[Path, bytes]:
    """New bytes for each CSV that is not canonical; raises MaintenanceError when a file cannot be kept whole."""
    changes = {}
    for resource in release_rules()[1].values():
        path = root / resource.path
        rows = read_rows(root, resource.path)
        if not rows or rows[0] != resource.field_names:
            raise MaintenanceError(f"{path}: header differs from schemas/{resource.name}.schema.json; fix it by hand")
        rows = [row for row in rows if any(cell != "" for cell in row)]  # blank rows carry no data
        data = render_rows(rows)
        if data != path.read_bytes():
            changes[path] = data
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report files that are not canonical; change nothing")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    try:
        changes = canonical_changes(args.root.resolve())
    except (MaintenanceError, PackageError) as err:
        print(f"format_csvs: error: {err}; nothing was written", file=sys.stderr)
        return 2
    return apply_changes(changes, args.root.resolve(), args.check, "not canonical", "formatted")


if __name__ == "__main__":
    raise SystemExit(main())
