"""Issue: one version, a Keep a Changelog history, a valid CITATION.cff, and no unreleased data change."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

import plain_checks as pc
from edits import ROOT, copy_package, edit_descriptor, get_cell, set_cell

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


def test_no_data_change_without_a_new_version_and_changelog() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/record_release_hashes.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def scratch(tmp_path: Path) -> Path:
    """A scratch repository root: the package, its CHANGELOG and its shipped release manifests."""
    root = copy_package(tmp_path / "repo")
    shutil.copy(ROOT / "CHANGELOG.md", root / "CHANGELOG.md")
    shutil.copytree(ROOT / "morocco_migration_2017/releases", root / "morocco_migration_2017/releases")
    return root


def record(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = [sys.executable, str(ROOT / "scripts/record_release_hashes.py"), "--root", str(root), *args]
    return subprocess.run(script, capture_output=True, text=True)


def test_an_unreleased_change_is_caught_and_needs_a_version_and_changelog(tmp_path: Path) -> None:
    root = scratch(tmp_path)
    assert record(root, "--check").returncode == 0
    old = get_cell(root, "statistics", 2, "notes")
    set_cell(root, "statistics", 2, "notes", "Changed.")
    check = record(root, "--check")
    assert check.returncode == 1
    assert (
        f"data/statistics.csv, row migration_attempts_foiled_2017_ytd, field notes: changed (release {old!r}" in check.stdout
    )
    refused = record(root)  # the version's manifest is history: not rewritten from a changed tree
    assert refused.returncode == 2 and "bump the version" in refused.stderr
    edit_descriptor(root, lambda d: d.update(version="9.0.0"))
    assert "version 9.0.0 has no manifest" in record(root, "--check").stdout
    assert "CHANGELOG.md has no '## [9.0.0]" in record(root).stderr
    changelog = root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## [Unreleased]\n", "## [Unreleased]\n\n## [9.0.0] - 2030-01-01\n"))
    assert record(root).returncode == 0
    assert record(root, "--check").returncode == 0
    shipped = root / "morocco_migration_2017/releases"
    released = [p.name for p in (ROOT / "morocco_migration_2017/releases").iterdir()]
    assert sorted(p.name for p in shipped.iterdir()) == sorted([*released, "9.0.0.json", "9.0.0.zip"])
    assert (shipped / "2.0.0.json").read_bytes() == (ROOT / "morocco_migration_2017/releases/2.0.0.json").read_bytes()
    assert oct((shipped / "9.0.0.zip").stat().st_mode & 0o777) == "0o644"


def test_a_shipped_archive_that_is_not_its_manifest_is_caught(tmp_path: Path) -> None:
    root = scratch(tmp_path)
    manifest = root / "morocco_migration_2017/releases/2.0.0.json"
    manifest.write_text(manifest.read_text().replace('"bytes": 2640', '"bytes": 2641'))
    check = record(root, "--check")
    assert check.returncode == 1 and "2.0.0.zip does not hold the files of 2.0.0.json" in check.stdout


def sync(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = [sys.executable, str(ROOT / "scripts/sync_metadata.py"), "--root", str(root), *args]
    return subprocess.run(script, capture_output=True, text=True)


@pytest.fixture
def metadata_root(tmp_path: Path) -> Path:
    for name in ("datapackage.json", "CITATION.cff", ".zenodo.json", "pyproject.toml", "mkdocs.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_citation_zenodo_and_project_urls_are_in_step_with_the_descriptor() -> None:
    result = sync(ROOT, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert str(citation()["date-released"]) == descriptor["created"][:10]
    zenodo = json.loads((ROOT / ".zenodo.json").read_text())
    assert (zenodo["version"], zenodo["publication_date"]) == (descriptor["version"], descriptor["created"][:10])


def test_a_new_version_makes_the_citation_stale_until_synced(metadata_root: Path) -> None:
    edit_descriptor(metadata_root, lambda d: d.update(version="9.1.0", created="2030-02-03T00:00:00Z"))
    check = sync(metadata_root, "--check")
    assert check.returncode == 1 and "stale: CITATION.cff" in check.stdout and "stale: .zenodo.json" in check.stdout
    version = json.loads((ROOT / "datapackage.json").read_text())["version"]
    for named in ("version", "preferred-citation.version", "date-released", "preferred-citation.date-released"):
        assert f"CITATION.cff: {named} is " in check.stderr, check.stderr  # each stale key, by name
    assert f"version is '{version}', not '9.1.0'" in check.stderr
    assert sync(metadata_root).returncode == 0
    cff = yaml.safe_load((metadata_root / "CITATION.cff").read_text())
    assert (str(cff["version"]), str(cff["date-released"])) == ("9.1.0", "2030-02-03")
    assert json.loads((metadata_root / ".zenodo.json").read_text())["version"] == "9.1.0"
    assert sync(metadata_root, "--check").returncode == 0
    cff_lines = (metadata_root / "CITATION.cff").read_text().splitlines()
    changed = ["version: 9.1.0", "date-released: 2030-02-03", "  version: 9.1.0", "  date-released: 2030-02-03"]
    assert [line for line in cff_lines if line not in citation_lines()] == changed
    assert (str(cff["preferred-citation"]["version"]), str(cff["preferred-citation"]["date-released"])) == (
        "9.1.0",
        "2030-02-03",
    )


# A preferred-citation the text rewrite cannot reach: each must still fail --check, not pass as current.
UNREACHABLE_PREFERRED = {
    "a comment on the block's key line": ("  version: 3.0.0", "  version: 2.0.0"),
    "another indent": ("  version: 3.0.0\n  date-released: ", "  version: 2.0.0\n  date-released: "),
    "the version removed": ("  version: 3.0.0\n", ""),
}


@pytest.mark.parametrize("case", UNREACHABLE_PREFERRED)
def test_a_preferred_citation_the_rewrite_cannot_reach_fails_the_check(metadata_root: Path, case: str) -> None:
    old, new = UNREACHABLE_PREFERRED[case]
    path = metadata_root / "CITATION.cff"
    top, marker, preferred = path.read_text().partition("\npreferred-citation:\n")
    version = json.loads((metadata_root / "datapackage.json").read_text())["version"]
    old = old.replace("3.0.0", version)  # the block's current version, whatever the release
    if case == "another indent":  # the whole block at 4 spaces, its version stale
        preferred = "".join(f"  {line}" for line in preferred.splitlines(keepends=True))
        old, new = "    version: " + version, "    version: 2.0.0"
    assert old in preferred
    if case.startswith("a comment"):
        marker = "\npreferred-citation:  # what GitHub reads\n"
    path.write_text(top + marker + preferred.replace(old, new, 1))
    for args in (("--check",), ()):
        result = sync(metadata_root, *args)
        assert result.returncode == 1 and "preferred-citation.version is" in result.stderr, result.stderr


@pytest.mark.parametrize("name", ["CITATION.cff", "datapackage.json"])
def test_an_unreadable_metadata_file_is_one_line_not_a_traceback(metadata_root: Path, name: str) -> None:
    (metadata_root / name).write_bytes(b"\xff\xfe not UTF-8")
    for args in (("--check",), ()):
        result = sync(metadata_root, *args)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1 and "cannot read" in result.stderr


SAME_AS_THE_TOP = ("title", "version", "date-released", "authors", "license")


def test_the_preferred_citation_is_the_dataset_as_the_top_level_describes_it() -> None:
    """GitHub's "Cite this repository" reads preferred-citation: it must say what the file's top level says."""
    data = citation()
    preferred = data["preferred-citation"]
    assert {key: preferred[key] for key in SAME_AS_THE_TOP} == {key: data[key] for key in SAME_AS_THE_TOP}


def citation_lines() -> list[str]:
    return (ROOT / "CITATION.cff").read_text().splitlines()


def test_the_repository_address_is_one_setting(metadata_root: Path) -> None:
    import tomllib

    mkdocs = metadata_root / "mkdocs.yml"
    assert "repo_url" not in mkdocs.read_text() or sync(metadata_root, "--check").returncode == 0
    mkdocs.write_text("repo_url: https://example.org/owner/morocco-migration-2017/\n" + mkdocs.read_text())
    assert sync(metadata_root, "--check").returncode == 1
    assert sync(metadata_root).returncode == 0
    urls = tomllib.loads((metadata_root / "pyproject.toml").read_text())["project"]["urls"]
    repo = "https://example.org/owner/morocco-migration-2017"
    assert {urls["Source"], urls["Issues"]} == {repo, f"{repo}/issues"}
    cff = yaml.safe_load((metadata_root / "CITATION.cff").read_text())
    assert cff["repository-code"] == repo
    schema = json.loads((ROOT / "tests/fixtures/citation-file-format-1.2.0.schema.json").read_text())
    jsonschema.validate(json.loads(json.dumps(cff, default=str)), schema)
    related = json.loads((metadata_root / ".zenodo.json").read_text())["related_identifiers"]
    assert {"identifier": repo, "relation": "isSupplementedBy", "scheme": "url"} in related
    mkdocs.write_text(mkdocs.read_text().split("\n", 1)[1])  # unset again: every derived address goes
    assert sync(metadata_root).returncode == 0
    assert "repository-code" not in (metadata_root / "CITATION.cff").read_text()
    assert "Source" not in tomllib.loads((metadata_root / "pyproject.toml").read_text())["project"].get("urls", {})
    assert sync(metadata_root, "--check").returncode == 0


def test_project_urls_are_only_addresses_written_in_mkdocs_yml(metadata_root: Path) -> None:
    """site_url: !ENV SITE_URL is given at build time: no released file may name "!ENV" as an address."""
    import tomllib

    mkdocs = metadata_root / "mkdocs.yml"
    assert "site_url: !ENV SITE_URL" in mkdocs.read_text()
    assert sync(metadata_root, "--check").returncode == 0
    assert "urls" not in tomllib.loads((metadata_root / "pyproject.toml").read_text())["project"]
    mkdocs.write_text(mkdocs.read_text().replace("site_url: !ENV SITE_URL", "site_url: https://example.org/mm/"))
    assert sync(metadata_root).returncode == 0
    urls = tomllib.loads((metadata_root / "pyproject.toml").read_text())["project"]["urls"]
    assert urls == {"Documentation": "https://example.org/mm"}


# Zenodo's legacy deposit metadata, which its GitHub integration reads from .zenodo.json.
ZENODO_KEYS = {
    "title", "upload_type", "access_right", "description", "version", "publication_date", "creators", "license",
    "keywords", "related_identifiers", "notes", "communities", "contributors", "references", "language", "subjects",
}  # fmt: skip
ZENODO_RELATIONS = {"isDerivedFrom", "isSupplementedBy", "isSupplementTo", "isNewVersionOf", "cites", "references"}


def test_zenodo_metadata_mints_a_dataset_doi_per_version() -> None:
    zenodo = json.loads((ROOT / ".zenodo.json").read_text())
    assert set(zenodo) <= ZENODO_KEYS
    assert (zenodo["upload_type"], zenodo["access_right"], zenodo["license"]) == ("dataset", "open", "cc-by-4.0")
    assert zenodo["creators"] and all(c["name"] for c in zenodo["creators"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", zenodo["publication_date"])
    assert all(r["relation"] in ZENODO_RELATIONS for r in zenodo["related_identifiers"])
    article = next(s for s in pc.rows(ROOT, "sources") if s["source_role"] == "primary")
    assert {"identifier": article["url"], "relation": "isDerivedFrom"}.items() <= zenodo["related_identifiers"][0].items()


def test_changelog_data_changes_between_two_versions_come_from_verify(package_copy: Path) -> None:
    edit_descriptor(package_copy, lambda d: d.update(version="9.1.0"))
    old_value = get_cell(package_copy, "statistics", 2, "value")
    set_cell(package_copy, "statistics", 2, "value", "60000")
    old_area = get_cell(package_copy, "statistics", 3, "area")
    set_cell(package_copy, "statistics", 3, "area", "Rabat")
    script = [sys.executable, str(ROOT / "scripts/changelog_data.py"), VERSION, str(package_copy)]
    result = subprocess.run(script, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    row2, row3 = (pc.rows(ROOT, "statistics")[i]["statistic_id"] for i in (0, 1))
    assert result.stdout.splitlines() == [
        f"- data/statistics.csv, {row2}, value: `{old_value}` → `60000`",
        f"- data/statistics.csv, {row3}, area: `{old_area}` → `Rabat`",
        f'- datapackage.json, $.version: `"{VERSION}"` → `"9.1.0"`',
    ]
    same = subprocess.run([*script[:2], VERSION, VERSION], capture_output=True, text=True)
    assert same.stdout == "- No change to the package's files.\n"
