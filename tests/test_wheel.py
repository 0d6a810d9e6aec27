"""Issue: the built wheel and sdist both carry the data; the wheel holds only what users run, and an installed
wheel loads and validates with no checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from edits import ROOT

pytestmark = pytest.mark.slow
DATA = [
    "datapackage.json",
    *[str(p.relative_to(ROOT)) for p in sorted((ROOT / "data").rglob("*")) if p.is_file()],
    *[str(p.relative_to(ROOT)) for p in sorted((ROOT / "schemas").glob("*.json"))],
    "CITATION.cff",
]
# Modules users run. The docs renderer and the maintenance helpers must never come back into the wheel.
USER_MODULES = {
    "__init__",
    "__main__",
    "cli",
    "annotations",
    "bundle",
    "card",
    "common",
    "linked",
    "sqlite",
    "tables",
    "package",
    "pandera_schemas",
    "presentation",
    "problems",
    "provenance",
    "reading",
    "rules",
    "validation",
    "verify",
    "wording",
}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build backend is already installed (hatchling, a dependency of the dev extra).
    command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)]
    subprocess.run(command, check=True, capture_output=True)
    return out


def test_sdist_carries_the_data(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert set(DATA) <= names


def test_wheel_carries_the_data_byte_for_byte(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in DATA:
            assert archive.read(f"morocco_migration_2017/_package/{name}") == (ROOT / name).read_bytes(), name


def test_wheel_and_sdist_ship_every_release_manifest(dist: Path) -> None:
    shipped = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "morocco_migration_2017/releases").iterdir())
    assert shipped and all(name.endswith((".json", ".zip")) for name in shipped)
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in shipped:
            assert archive.read(name) == (ROOT / name).read_bytes(), name
            assert archive.getinfo(name).external_attr >> 16 & 0o444 == 0o444, name  # readable by every user
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        assert set(shipped) <= {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


def test_wheel_holds_only_the_modules_users_run(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        modules = {Path(n).stem for n in archive.namelist() if n.startswith("morocco_migration_2017/") and n.endswith(".py")}
    assert modules == USER_MODULES
    assert not modules & {"site_render", "site_pages", "_maintenance", "maintenance"}


def test_installed_wheel_loads_and_validates_without_a_checkout(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    target = tmp_path / "site"
    install = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-index",
        "--target",
        str(target),
        str(wheel),
    ]
    subprocess.run(install, check=True, capture_output=True)
    # The wheel first, then this environment's dependencies; never the checkout (the cwd is a temporary folder).
    deps = [p for p in sys.path if p.endswith("site-packages")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), *deps]), "PYTHONSAFEPATH": "1"}
    code = (
        "import morocco_migration_2017 as mm, sys; s = mm.load(); "
        "print(mm.__file__); print(len(s), s['value'].dtype, s['period_end'].dtype); "
        "from morocco_migration_2017.cli import main; sys.exit(main(['validate']))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    module_file, shape, summary = out.stdout.splitlines()[:3]
    assert module_file.startswith(str(target)) and shape.startswith("6 Int64 datetime64")
    assert summary.startswith("valid: 6 statistics")
