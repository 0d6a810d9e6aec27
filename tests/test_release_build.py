"""Issue: a tagged release builds reproducibly, is checked as the workflow checks it, and publishes by trusted
publishing; the workflow's build-and-check steps run here too (everything but the upload)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import release_build  # scripts/ is on the path (conftest)
import yaml

from edits import ROOT

VERSION = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github/workflows" / name).read_text(encoding="utf-8"))


def head_epoch() -> str:
    return subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def build(out: Path, epoch: str) -> dict[str, bytes]:
    command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)]
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the release workflow builds, built here by the same script (without the index and the upload)."""
    if not head_epoch():
        pytest.skip("needs the git history of this repository")
    out = tmp_path_factory.mktemp("dist")
    command = [
        sys.executable,
        str(ROOT / "scripts/release_build.py"),
        "--no-isolation",
        "--deps-from-here",
        "--out",
        str(out),
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.mark.slow
def test_the_release_script_builds_checks_and_writes_every_asset(released: Path) -> None:
    pypi = sorted(p.name for p in (released / "pypi").iterdir())
    assert pypi == [f"morocco_migration_2017-{VERSION}-py3-none-any.whl", f"morocco_migration_2017-{VERSION}.tar.gz"]
    assets = {p.name: p for p in (released / "release").iterdir()}
    assert all(p.is_file() for p in assets.values())  # a GitHub release holds files, not folders
    assert {*pypi, "SHA256SUMS", f"morocco-migration-2017-{VERSION}-manifest.json", "morocco-migration-2017.zip"} <= set(
        assets
    )
    assert {name.rsplit(".", 1)[-1] for name in assets} >= {"xlsx", "parquet", "db", "json", "zip", "whl", "gz"}
    sums = dict(reversed(line.split("  ", 1)) for line in assets["SHA256SUMS"].read_text().splitlines())
    assert set(sums) == set(assets) - {"SHA256SUMS"}
    assert all(hashlib.sha256(assets[name].read_bytes()).hexdigest() == digest for name, digest in sums.items())
    shipped = ROOT / f"morocco_migration_2017/releases/{VERSION}.json"
    assert assets[f"morocco-migration-2017-{VERSION}-manifest.json"].read_bytes() == shipped.read_bytes()
    for name in pypi:
        assert assets[name].read_bytes() == (released / "pypi" / name).read_bytes()


@pytest.mark.slow
def test_the_release_zip_is_the_release(released: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(released / "release/morocco-migration-2017.zip") as archive:
        archive.extractall(tmp_path)
    from morocco_migration_2017 import verify

    assert verify(tmp_path / "morocco-migration-2017").release == VERSION


@pytest.mark.slow
def test_release_notes_hold_the_changelog_entry_and_how_to_rebuild(released: Path) -> None:
    notes = (released / "release-notes.md").read_text(encoding="utf-8")
    assert notes.startswith(release_build.changelog_entry(VERSION))
    assert f"git checkout v{VERSION}" in notes and "X.Y.Z" not in notes
    assert "sha256sum --check" in notes and f"identical to release {VERSION}" in notes
    assert re.search(r"Built with Python 3\.\d+\.\d+, hatchling \d", notes)


@pytest.mark.slow
def test_sdist_and_wheel_are_byte_identical_when_built_twice(released: Path, tmp_path: Path) -> None:
    again = build(tmp_path / "again", head_epoch())
    assert again == {p.name: p.read_bytes() for p in sorted((released / "pypi").iterdir())}
    # The comparison can fail: the timestamps inside do come from SOURCE_DATE_EPOCH.
    other = build(tmp_path / "other", str(int(head_epoch()) + 86400))
    assert other.keys() == again.keys() and all(other[name] != again[name] for name in again)


def test_the_tag_must_be_the_version_and_the_changelog_must_have_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert release_build.preflight(f"v{VERSION}") == VERSION
    with pytest.raises(
        release_build.ReleaseError, match=rf"tag v9\.9\.9 is not v \+ the version .*\({re.escape(VERSION)}\)"
    ):
        release_build.preflight("v9.9.9")
    (tmp_path / "datapackage.json").write_bytes((ROOT / "datapackage.json").read_bytes())
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n")
    monkeypatch.setattr(release_build, "ROOT", tmp_path)
    with pytest.raises(release_build.ReleaseError, match=rf"CHANGELOG.md has no '## \[{re.escape(VERSION)}\]"):
        release_build.preflight(f"v{VERSION}")
    script = subprocess.run(
        [sys.executable, str(ROOT / "scripts/release_build.py"), "--preflight", "--tag", "v0.0.1"],
        capture_output=True,
        text=True,
    )
    assert script.returncode == 1 and "release_build: error: tag v0.0.1" in script.stderr


def test_every_workflow_is_clean_for_zizmor_even_pedantic() -> None:
    zizmor = Path(sys.executable).parent / "zizmor"
    for persona in ("regular", "pedantic"):
        result = subprocess.run(
            [str(zizmor), "--offline", "--persona", persona, ".github/workflows/"], cwd=ROOT, capture_output=True, text=True
        )
        assert result.returncode == 0 and "No findings" in result.stdout, result.stdout + result.stderr


def test_every_action_of_every_workflow_is_pinned_to_a_commit() -> None:
    for path in WORKFLOWS:
        jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values()
        uses = [step["uses"] for job in jobs for step in job.get("steps", []) if "uses" in step]
        assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), (path.name, uses)
        text = path.read_text(encoding="utf-8")
        assert all(re.search(rf"{re.escape(u)} # v\d+\.\d+\.\d+\n", text) for u in uses), path.name  # the version it is


def test_release_workflow_runs_on_version_tags_and_calls_the_scripts() -> None:
    release = workflow("release.yml")
    assert release.get("on", release.get(True)) == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    runs = [step["run"] for step in release["jobs"]["build"]["steps"] if "run" in step]
    assert runs == [
        "python3 scripts/release_build.py --preflight",
        "bash .ci/run",
        ".venv/bin/python scripts/release_build.py --out dist",
    ]


def test_only_the_publish_job_may_mint_an_oidc_token_and_only_behind_the_pypi_environment() -> None:
    release = workflow("release.yml")
    assert release["permissions"] == {}
    minting = [name for name, job in release["jobs"].items() if job.get("permissions", {}).get("id-token") == "write"]
    assert minting == ["publish"]
    publish = release["jobs"]["publish"]
    assert publish["permissions"] == {"id-token": "write"} and publish["environment"]["name"] == "pypi"
    (step,) = [s for s in publish["steps"] if "gh-action-pypi-publish" in s["uses"]]
    assert step["with"] == {"packages-dir": "dist/pypi/", "attestations": True}
    assert "password" not in json.dumps(release)  # trusted publishing: no stored token
    assert release["jobs"]["github-release"]["permissions"] == {"contents": "write"}
    assert all(
        s.get("with", {}).get("persist-credentials") is False
        for s in release["jobs"]["build"]["steps"]
        if "checkout" in s.get("uses", "")
    )


def test_the_docs_of_a_release_tag_are_deployed_from_the_one_place_that_deploys_them() -> None:
    ci = workflow("ci.yml")
    assert "refs/tags/v" in ci["jobs"]["deploy-pages"]["if"] and "refs/heads/main" in ci["jobs"]["deploy-pages"]["if"]
    assert not any(
        "deploy-pages" in step.get("uses", "") for job in workflow("release.yml")["jobs"].values() for step in job["steps"]
    )


@pytest.mark.slow
def test_the_released_exports_are_what_the_checkout_exports(released: Path, tmp_path: Path) -> None:
    """Written by the installed wheel in a fresh environment, the exports match the checkout's byte for byte."""
    from morocco_migration_2017.export import export  # mm.export turns into the module once it is imported

    written = export(list(release_build.EXPORTS), tmp_path)
    assert written
    for path in written:
        asset = released / "release" / "-".join(path.relative_to(tmp_path).parts)
        assert asset.read_bytes() == path.read_bytes(), asset.name
