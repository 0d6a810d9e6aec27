"""Shared fixtures: the repository root, scratch copies of the package, and a guard on the real data."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from edits import ROOT, copy_package

sys.path.insert(0, str(ROOT / "scripts"))  # the maintenance helpers live there, outside the package


def _fingerprint() -> dict[str, str]:
    files = [ROOT / "datapackage.json", *sorted((ROOT / "data").rglob("*")), *sorted((ROOT / "schemas").rglob("*"))]
    return {str(f.relative_to(ROOT)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()}


@pytest.fixture(scope="session", autouse=True)
def real_data_untouched() -> Iterator[None]:
    """Fails the run if any test changed the repository's own data, schemas or descriptor."""
    before = _fingerprint()
    yield
    after = _fingerprint()
    changed = sorted(set(before.items()) ^ set(after.items()))
    assert not changed, f"the test run modified the real package: {changed}"


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "package")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs site, built once (strictly) for every test that reads it: the docs, JSON-LD and browser tests."""
    from site_build import build_site

    out = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, out)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out
