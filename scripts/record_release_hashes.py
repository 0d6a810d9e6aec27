"""Record the release manifest of the version in datapackage.json, or check that it matches the tree.

    python scripts/record_release_hashes.py [--check] [--amend] [--commit REV]

morocco_migration_2017/releases/<version>.json is the manifest of a version (sha256 and size of every file of
the package) and <version>.zip its files, so that `verify` names every difference offline. Both ship in the
wheel. --check (in .ci/run) fails when the tree is not the release its version claims: a data or schema change
needs a new version in datapackage.json, a CHANGELOG.md entry for it, and then this script. A manifest once
written is history: it is rewritten only with --amend (for a version not yet published), and --commit records
a version from a git commit (2.0.0 was recorded from d74cc33). --check also checks every shipped archive
against its manifest.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from _maintenance import atomic_write
from morocco_migration_2017.package import Package, package_files
from morocco_migration_2017.reading import DESCRIPTOR, parse_json, resolve_root
from morocco_migration_2017.verify import compare

ROOT = Path(__file__).resolve().parent.parent
RELEASES = Path("morocco_migration_2017") / "releases"  # in the repository; verify reads the installed copy


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file of the package at root (descriptor, data, schemas, snapshots), read safely."""
    package = Package(resolve_root(root))
    return {name: package.read(name) for name in package_files(package.descriptor)}


def commit_files(root: Path, commit: str) -> dict[str, bytes]:
    """Every file of the package as it was at a git commit."""

    def show(name: str) -> bytes:
        return subprocess.run(["git", "show", f"{commit}:{name}"], cwd=root, capture_output=True, check=True).stdout

    return {name: show(name) for name in package_files(parse_json(show(DESCRIPTOR), DESCRIPTOR))}


def archive(files: dict[str, bytes]) -> bytes:
    """A zip whose bytes depend only on the files: sorted, fixed timestamps and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            out.writestr(info, files[name])
    return buffer.getvalue()


def manifest_of(files: dict[str, bytes]) -> dict[str, dict[str, object]]:
    return {name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)} for name, data in sorted(files.items())}


def manifest(files: dict[str, bytes]) -> dict:
    """The release manifest: the package's name and version, each table's primary key by CSV path, each file's hash."""
    descriptor = parse_json(files[DESCRIPTOR], DESCRIPTOR)
    keys = {r["path"]: parse_json(files[r["schema"]], r["schema"]).get("primaryKey", []) for r in descriptor["resources"]}
    tables = {path: [key] if isinstance(key, str) else key for path, key in keys.items()}
    return {"name": descriptor["name"], "version": descriptor["version"], "tables": tables, "files": manifest_of(files)}


def render(record: dict) -> bytes:
    return (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def changelog_has(root: Path, version: str) -> bool:
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.MULTILINE) is not None


def check(files: dict[str, bytes], releases_dir: Path) -> list[str]:
    """Why the tree is not the release its version claims, or why a shipped archive is not its manifest."""
    version = manifest(files)["version"]
    problems = []
    for path in sorted(releases_dir.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        zipped = path.with_suffix(".zip")
        with zipfile.ZipFile(zipped) as shipped:
            content = {name: shipped.read(name) for name in shipped.namelist()}
        if manifest_of(content) != record["files"]:
            problems.append(f"{zipped.name} does not hold the files of {path.name}")
    target = releases_dir / f"{version}.json"
    if not target.exists():
        return [*problems, f"version {version} has no manifest: add its CHANGELOG.md entry, then run this script"]
    recorded = json.loads(target.read_text(encoding="utf-8"))
    if recorded != manifest(files):
        with zipfile.ZipFile(target.with_suffix(".zip")) as shipped:
            old = {name: shipped.read(name) for name in shipped.namelist()}
        problems.append(f"the files differ from release {version}; a data change needs a new version and CHANGELOG entry:")
        problems += [f"  {d.line()}" for d in compare(old, files, recorded["tables"])]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report whether the manifest is current; change nothing")
    parser.add_argument("--amend", action="store_true", help="rewrite the manifest of a version never published")
    parser.add_argument("--commit", help="record the version of this git commit instead of the tree")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    releases_dir = args.root / RELEASES
    files = commit_files(args.root, args.commit) if args.commit else tree_files(args.root)
    record = manifest(files)
    if args.check:
        problems = check(files, releases_dir)
        print("\n".join(problems) if problems else f"current: the files are release {record['version']}")
        return 1 if problems else 0
    target = releases_dir / f"{record['version']}.json"
    refusal = None
    if not changelog_has(args.root, record["version"]):
        refusal = f"CHANGELOG.md has no '## [{record['version']}] - YYYY-MM-DD' section"
    elif target.exists() and json.loads(target.read_text(encoding="utf-8")) != record and not args.amend:
        refusal = f"release {record['version']} is recorded otherwise; bump the version (--amend if never published)"
    if refusal:
        print(f"record_release_hashes: error: {refusal}; nothing was written", file=sys.stderr)
        return 2
    releases_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(target.with_suffix(".zip"), archive(files))
    atomic_write(target, render(record))
    for written in (target, target.with_suffix(".zip")):
        written.chmod(0o644)  # shipped in the wheel: readable by everyone
    print(f"recorded {len(files)} files for version {record['version']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
