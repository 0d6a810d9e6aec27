"""Issue: the docs site is generated from the data and schemas, builds strictly, and refers to no other host."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import plain_checks as pc
from edits import ROOT, set_cell
from site_build import build_site, copy_site_sources

pytestmark = pytest.mark.slow
# Attributes and CSS that make a browser fetch or navigate: none may point at another host.
EXTERNAL = re.compile(
    r"""(?:\b(?:href|src|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|"""
    r"""(?:url\(\s*["']?(?:https?:)?//)|(?:@import\s+["']?(?:https?:)?//)""",
    re.IGNORECASE,
)


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_no_reference_to_another_host(site: Path) -> None:
    offenders = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".xml", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders += [f"{path.relative_to(site)}: {m.group()}" for m in EXTERNAL.finditer(text)]
    assert offenders == []
    assert not any("fonts.googleapis" in p.read_text(errors="replace") for p in site.rglob("*.js"))


def test_every_page_exists(site: Path) -> None:
    for name in (
        "source",
        "data-dictionary",
        "sources",
        "cross-checks",
        "methodology",
        "cite",
        "performance",
        "contributing",
        "changelog",
        "statistics",
        "downloads",
        "use-it-with",
    ):
        assert (site / name / "index.html").is_file(), name
    for row in pc.rows(ROOT, "statistics"):
        assert (site / "statistics" / row["statistic_id"] / "index.html").is_file()


def test_data_files_are_served_byte_exact(site: Path) -> None:
    for rel in (
        "datapackage.json",
        "data/statistics.csv",
        "data/sources/northafricapost-20703.txt",
        "schemas/statistics.schema.json",
    ):
        assert (site / rel).read_bytes() == (ROOT / rel).read_bytes()


def test_home_says_what_it_is_not_and_lists_every_statistic(site: Path) -> None:
    home = page(site, "")
    assert "None has been independently" in home and "inferred" in home
    for row in pc.rows(ROOT, "statistics"):
        assert f'href="statistics/{row["statistic_id"]}/"' in home


def test_data_dictionary_lists_every_field_with_its_description(site: Path) -> None:
    html = page(site, "data-dictionary")
    for schema_path in (ROOT / "schemas").glob("*.schema.json"):
        table = schema_path.name.removesuffix(".schema.json")
        for field in json.loads(schema_path.read_text())["fields"]:
            assert f'id="{table}-{field["name"]}"' in html, (table, field["name"])


def test_statistic_page_quotes_the_source_and_shows_the_csv_row(site: Path) -> None:
    row = next(r for r in pc.rows(ROOT, "statistics") if r["statistic_id"] == "migrants_regularised_to_date")
    html = page(site, "statistics/migrants_regularised_to_date")
    assert f'<mark class="quote" data-statistic="migrants_regularised_to_date">{row["quote"]}</mark>' in html
    assert "The Moroccan official highlighted" in html  # the rest of its paragraph
    assert "more than 23,000 persons" in html and "differs" in html


def test_changing_a_schema_description_or_a_value_changes_the_site(tmp_path: Path) -> None:
    project = copy_site_sources(tmp_path / "project")
    schema = project / "schemas" / "statistics.schema.json"
    data = json.loads(schema.read_text(encoding="utf-8"))
    data["fields"][0]["description"] = "A description that only this test writes."
    schema.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    set_cell(project, "statistics", 7, "value", "22001")
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert "A description that only this test writes." in page(tmp_path / "site", "data-dictionary")
    assert "22,001 persons" in page(tmp_path / "site", "statistics/voluntary_returns_to_date")
    assert "22,001" in page(tmp_path / "site", "")


def test_front_page_lead_is_generated_from_the_statement(site: Path) -> None:
    (statement,) = pc.rows(ROOT, "statements")
    home = page(site, "")
    assert f"What {statement['claimant']}," in home and "on 14 November 2017 (date inferred)" in home


def test_strict_build_fails_on_a_broken_link(tmp_path: Path) -> None:
    project = copy_site_sources(tmp_path / "project")
    methodology = project / "docs" / "methodology.md"
    methodology.write_text(methodology.read_text() + "\nSee [nowhere](no-such-page.md).\n")
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0 and "no-such-page.md" in result.stderr


def test_methodology_lists_what_each_row_infers(site: Path) -> None:
    html = page(site, "methodology")
    for row in pc.rows(ROOT, "statistics"):
        assert f'href="../statistics/{row["statistic_id"]}/"' in html
        for name in row["inferred_fields"].split():
            assert f"<code>{name}</code>" in html


def test_downloads_page_lists_every_export_with_size_and_hash(site: Path) -> None:
    import hashlib

    html = page(site, "downloads")
    files = [p for p in (site / "downloads").rglob("*") if p.is_file() and p.name != "index.html"]
    assert len(files) == 11
    for path in files:
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() in html and f"{len(data):,} bytes" in html, path.name
    assert 'href="downloads/"' in page(site, "") and 'href="../../downloads/"' in page(
        site, "statistics/voluntary_returns_to_date"
    )


def test_data_dictionary_justifies_the_type_of_value(site: Path) -> None:
    html = page(site, "data-dictionary")
    assert "An integer because every figure of the source is a whole count" in html


def test_methodology_states_the_limits_the_code_sets(site: Path) -> None:
    from morocco_migration_2017 import package, validation

    html = page(site, "methodology")
    assert f"up to {package.MAX_FILE_BYTES // 2**20} MiB each" in html
    assert f"{package.MAX_JSON_DEPTH} levels deep" in html and f"{validation.STAGE_SECONDS:g} s by default" in html
