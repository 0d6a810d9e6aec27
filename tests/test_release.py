"""Issue: one version, a Keep a Changelog history, a valid CITATION.cff, and no unreleased data change."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

import plain_checks as pc
from edits import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import record_release_hashes as release

VERSION = json.loads((ROOT / "datapackage.json").read_text())["version"]


def citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_is_valid_cff_1_2_0() -> None:
    schema = json.loads((ROOT / "tests/fixtures/citation-file-format-1.2.0.schema.json").read_text())
    data = json.loads(json.dumps(citation(), default=str))  # dates as the strings the schema expects
    jsonschema.validate(data, schema)


def test_citation_schema_rejects_an_invalid_file() -> None:
    schema = json.loads((ROOT / "tests/fixtures/citation-file-format-1.2.0.schema.json").read_text())
    broken = {**json.loads(json.dumps(citation(), default=str)), "cff-version": "9.9", "authors": []}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_citation_asks_to_cite_the_original_article() -> None:
    data = citation()
    article = next(s for s in pc.rows(ROOT, "sources") if s["source_role"] == "primary")
    assert "cite the original article" in " ".join(data["message"].split())
    assert any(ref["url"] == article["url"] and ref["title"] == article["title"] for ref in data["references"])


def test_version_lives_in_datapackage_and_everything_agrees() -> None:
    import morocco_migration_2017 as mm

    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)
    assert str(citation()["version"]) == VERSION
    assert mm.__version__ == VERSION
    from importlib.metadata import version

    assert version("morocco-migration-2017") == VERSION  # what hatchling derived at install time
    assert 'dynamic = ["version"]' in (ROOT / "pyproject.toml").read_text()


def test_changelog_follows_keep_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n") and "## [Unreleased]" in text
    assert release.changelog_has(ROOT, VERSION)
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.MULTILINE)
    assert headings[0] == "Unreleased" and headings[1] == VERSION


def unreleased_change(root: Path, recorded: dict) -> str | None:
    """Why the files at root are not a released state, or None."""
    if release.current_version(root) == recorded["version"]:
        changed = sorted(k for k, v in release.release_files(root).items() if recorded["files"].get(k) != v)
        gone = sorted(set(recorded["files"]) - set(release.release_files(root)))
        if changed or gone:
            return f"files changed without a new version: {changed + gone}"
        return None
    if not release.changelog_has(root, release.current_version(root)):
        return "the version changed but CHANGELOG.md has no section for it"
    return None


def test_no_data_change_without_a_new_version_and_changelog() -> None:
    recorded = json.loads((ROOT / "tests/fixtures/release-hashes.json").read_text())
    assert unreleased_change(ROOT, recorded) is None


def test_an_unreleased_change_is_caught(package_copy: Path) -> None:
    import shutil

    shutil.copy(ROOT / "CHANGELOG.md", package_copy / "CHANGELOG.md")
    recorded = {"version": VERSION, "files": release.release_files(package_copy)}
    assert unreleased_change(package_copy, recorded) is None
    from edits import edit_descriptor, set_cell

    set_cell(package_copy, "statistics", 2, "notes", "Changed.")
    assert "without a new version" in unreleased_change(package_copy, recorded)
    edit_descriptor(package_copy, lambda d: d.update(version="9.0.0"))
    assert "no section" in unreleased_change(package_copy, recorded)
    changelog = package_copy / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## [Unreleased]\n", "## [Unreleased]\n\n## [9.0.0] - 2030-01-01\n"))
    assert unreleased_change(package_copy, recorded) is None
