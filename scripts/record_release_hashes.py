"""Record the sha256 of every data, schema and descriptor file for the current version.

    python scripts/record_release_hashes.py [--check]

The record (tests/fixtures/release-hashes.json) lets a test catch a data change that was not released:
a changed file needs a new version in datapackage.json and a CHANGELOG.md section for it. Recording is
refused until both exist. --check reports whether the record matches the files, changing nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from _maintenance import atomic_write
from morocco_migration_2017.package import package_files, read_descriptor, read_file

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "tests" / "fixtures" / "release-hashes.json"


def release_files(root: Path) -> dict[str, str]:
    """The sha256 of every file of the package (descriptor, data, schemas, snapshots), read safely."""
    files = package_files(read_descriptor(root))
    return {path: hashlib.sha256(read_file(root, path)).hexdigest() for path in sorted(files)}


def current_version(root: Path) -> str:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["version"]


def changelog_has(root: Path, version: str) -> bool:
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.MULTILINE) is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report whether the record is current; change nothing")
    args = parser.parse_args(argv)
    record = {"version": current_version(ROOT), "files": release_files(ROOT)}
    recorded = json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else None
    if args.check:
        print("current" if record == recorded else "stale: run scripts/record_release_hashes.py")
        return 0 if record == recorded else 1
    if not changelog_has(ROOT, record["version"]):
        print(
            f"record_release_hashes: error: CHANGELOG.md has no '## [{record['version']}] - YYYY-MM-DD' section; "
            "nothing was written",
            file=sys.stderr,
        )
        return 2
    atomic_write(RECORD, (json.dumps(record, indent=2) + "\n").encode("utf-8"))
    print(f"recorded {len(record['files'])} files for version {record['version']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
