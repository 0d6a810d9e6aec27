"""Build and check a release: what the release workflow runs, and what anyone can run to rebuild one.

    python scripts/release_build.py [--tag vX.Y.Z] [--out dist] [--preflight] [--no-isolation] [--deps-from-here]

--preflight only checks that the tag is `v` + the version in datapackage.json and that CHANGELOG.md has its
entry. Otherwise it also checks that the tree is the release its manifest records, then builds the sdist and
wheel (SOURCE_DATE_EPOCH = the commit time of the tag, else of HEAD), runs `twine check --strict` and
`check-wheel-contents`, installs the wheel into a fresh virtual environment outside any checkout, runs `verify`
and `validate` there and smoke-tests `load()`, and writes the exports (from the installed wheel), the release
manifest and SHA256SUMS:

    dist/pypi/       the sdist and the wheel, for the package index
    dist/release/    the sdist, the wheel, the exports, the manifest and SHA256SUMS: the release's assets
    dist/release-notes.md

--no-isolation builds with the build backend already installed; --deps-from-here gives the fresh environment
this interpreter's packages instead of installing them from the index (for a machine without network). Nothing
is uploaded: publishing is the workflow's job.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "morocco-migration-2017"
EXPORTS = ("xlsx", "parquet", "sqlite", "json", "zip")
LIBRARIES = ("hatchling", "pandas", "pyarrow", "openpyxl", "frictionless")
REBUILD = re.compile(r"<!-- rebuild:start -->\n(.*?)<!-- rebuild:end -->", re.DOTALL)


class ReleaseError(Exception):
    """A release check failed; the message says which and why."""


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a command; ReleaseError with its output when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if result.returncode:
        raise ReleaseError(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result


def version() -> str:
    return json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]


def changelog_entry(release: str) -> str:
    """The CHANGELOG.md section of a version, without its heading."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    found = re.search(rf"^## \[{re.escape(release)}\] - \d{{4}}-\d{{2}}-\d{{2}}\n(.*?)(?=^## \[|\Z)", text, re.M | re.S)
    if not found:
        raise ReleaseError(f"CHANGELOG.md has no '## [{release}] - YYYY-MM-DD' entry")
    return found.group(1).strip()


def preflight(tag: str) -> str:
    """The version, once the tag names it and the changelog has its entry (the standard library suffices)."""
    release = version()
    if tag != f"v{release}":
        raise ReleaseError(f"tag {tag} is not v + the version in datapackage.json ({release})")
    changelog_entry(release)
    return release


def manifest_is_current() -> Path:
    """The manifest of the version, once the tree is the release it records."""
    import record_release_hashes as record  # needs the package and its dependencies installed

    problems = record.check(record.tree_files(ROOT), ROOT / record.RELEASES)
    if problems:
        raise ReleaseError("\n".join(problems))
    return ROOT / record.RELEASES / f"{version()}.json"


def source_date_epoch(tag: str) -> str:
    """The commit time of the tag, else of HEAD: every timestamp in the sdist and wheel."""
    exists = subprocess.run(["git", "rev-parse", "--verify", "-q", f"refs/tags/{tag}"], cwd=ROOT, capture_output=True)
    return run(["git", "log", "-1", "--format=%ct", tag if exists.returncode == 0 else "HEAD"], cwd=ROOT).stdout.strip()


def build(out: Path, epoch: str, isolation: bool) -> list[Path]:
    """The sdist, then the wheel built from it; both checked."""
    command = [sys.executable, "-m", "build", "--outdir", str(out), *([] if isolation else ["--no-isolation"]), str(ROOT)]
    run(command, env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
    built = sorted(out.glob("*.tar.gz")) + sorted(out.glob("*.whl"))
    run([sys.executable, "-m", "twine", "check", "--strict", *map(str, built)])
    run([sys.executable, "-m", "check_wheel_contents", *map(str, out.glob("*.whl"))])
    return built


def installed(wheel: Path, scratch: Path, deps_from_here: bool) -> Path:
    """A fresh virtual environment, outside any checkout, with the wheel (and its export extra) installed."""
    venv = scratch / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    if deps_from_here:  # this interpreter's packages, after the wheel's own (a plain path: no .pth of theirs runs)
        site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
        (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
        run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)])
    else:
        run([str(python), "-m", "pip", "install", "--quiet", f"{wheel}[export]"])
    return venv


def environment(venv: Path) -> str:
    """The versions the exports were written with: what a rebuild needs to match them byte for byte."""
    code = (
        "import importlib.metadata as m, platform, sqlite3; "
        f"print(', '.join([f'Python {{platform.python_version()}}', *(f'{{n}} {{m.version(n)}}' for n in {LIBRARIES!r}),"
        " f'SQLite {sqlite3.sqlite_version}']))"
    )
    return run([str(venv / "bin" / "python"), "-c", code]).stdout.strip()


def smoke_test(venv: Path, release: str, scratch: Path, assets: Path) -> None:
    """From outside any checkout: the installed data is the release, validates, loads; the exports are written."""
    env = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}, "PYTHONSAFEPATH": "1"}
    cli = [str(venv / "bin" / NAME)]
    verified = run([*cli, "verify"], cwd=scratch, env=env).stdout
    if not verified.rstrip().endswith(f"identical to release {release}"):
        raise ReleaseError(f"the installed package is not release {release}: {verified}")
    run([*cli, "validate"], cwd=scratch, env=env)
    code = "import morocco_migration_2017 as mm; s = mm.load(); print(mm.__file__, len(s), mm.__version__)"
    module, rows, loaded = run([str(venv / "bin" / "python"), "-c", code], cwd=scratch, env=env).stdout.split()
    if not Path(module).is_relative_to(venv) or int(rows) == 0 or loaded != release:
        raise ReleaseError(f"load() read {rows} rows of version {loaded} from {module}, not the installed wheel")
    run([*cli, "export", *(f"--format={fmt}" for fmt in EXPORTS), "--out", str(assets)], cwd=scratch, env=env)
    for folder in [p for p in assets.iterdir() if p.is_dir()]:  # a release's assets are files: parquet/x -> parquet-x
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                path.rename(assets / "-".join(path.relative_to(assets).parts))
        shutil.rmtree(folder)


def sha256sums(folder: Path) -> str:
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != "SHA256SUMS")
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in files)


def notes(release: str, built_with: str) -> str:
    """The release notes: the changelog entry and how to check and rebuild every asset (from the contributing guide)."""
    guide = REBUILD.search((ROOT / "docs/contributing.md").read_text(encoding="utf-8"))
    if not guide:
        raise ReleaseError("docs/contributing.md has no <!-- rebuild:start --> … <!-- rebuild:end --> section")
    rebuild = guide.group(1).replace("X.Y.Z", release).strip()
    return f"{changelog_entry(release)}\n\n## Check and rebuild this release\n\n{rebuild}\n\nBuilt with {built_with}.\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", default=os.environ.get("GITHUB_REF_NAME") or f"v{version()}")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--preflight", action="store_true", help="check the tag, changelog and manifest only")
    parser.add_argument("--no-isolation", action="store_true", help="build with the installed build backend")
    parser.add_argument("--deps-from-here", action="store_true", help="no index: reuse this interpreter's packages")
    args = parser.parse_args(argv)
    try:
        release = preflight(args.tag)
        if args.preflight:
            print(f"release {release}: the tag and the changelog agree with datapackage.json")
            return 0
        manifest = manifest_is_current()
        pypi, assets = args.out / "pypi", args.out / "release"
        for folder in (pypi, assets):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        built = build(pypi, source_date_epoch(args.tag), not args.no_isolation)
        with tempfile.TemporaryDirectory(prefix="release-check-") as scratch:
            venv = installed(next(p for p in built if p.suffix == ".whl"), Path(scratch), args.deps_from_here)
            smoke_test(venv, release, Path(scratch), assets)
            built_with = environment(venv)
        for path in built:
            shutil.copy2(path, assets / path.name)
        shutil.copy2(manifest, assets / f"{NAME}-{release}-manifest.json")
        (assets / "SHA256SUMS").write_text(sha256sums(assets), encoding="utf-8")
        (args.out / "release-notes.md").write_text(notes(release, built_with), encoding="utf-8")
    except ReleaseError as err:
        print(f"release_build: error: {err}", file=sys.stderr)
        return 1
    print((assets / "SHA256SUMS").read_text(encoding="utf-8"), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
