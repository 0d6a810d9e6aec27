"""Issue: the built wheel and sdist both carry the data; an installed wheel loads and validates with no checkout."""

from __future__ import annotations

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
]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], check=True, capture_output=True)
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


def test_installed_wheel_loads_and_validates(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    code = (
        "import morocco_migration_2017 as mm; s = mm.load(); "
        "print(mm.__file__); print(len(s), s['value'].dtype, s['claim_date'].dtype)"
    )
    out = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    module_file, shape = out.stdout.splitlines()
    assert module_file.startswith(str(venv)) and shape.startswith("6 float64 datetime64")
    result = subprocess.run(
        [str(venv / "bin" / "morocco-migration-2017"), "validate"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "_package" in result.stdout or result.stdout.startswith("valid:")
