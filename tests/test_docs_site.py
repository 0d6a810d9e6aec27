"""Issue: the docs site is generated from the data and schemas, builds strictly, and refers to no other host."""

from __future__ import annotations

import json
import re
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import plain_checks as pc
from edits import ROOT, set_cell
from site_build import SITE_URL, build_site, copy_site_sources

pytestmark = pytest.mark.slow
# Attributes and CSS that make a browser fetch or navigate: none may point at another host.
EXTERNAL = re.compile(
    r"""(?:\b(?:href|src|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)|"""
    r"""(?:url\(\s*["']?(?:https?:)?//)|(?:@import\s+["']?(?:https?:)?//)""",
    re.IGNORECASE,
)


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


# A link that leaves the site: allowed, but it must say so (class "external" and "(external link)" in its text).
LINK_OUT = re.compile(r"""<a\b([^>]*)\bhref=["'](?:https?:)?//[^"']*["']([^>]*)>(.*?)</a>""", re.IGNORECASE | re.DOTALL)
# Header links the theme draws itself: the canonical address (fetches nothing) and the repository button.
THEME_LINKS = re.compile(r"""<link rel="canonical"[^>]*>|<a href="[^"]*"[^>]*class="md-source"[^>]*>""")


def test_no_reference_to_another_host(site: Path) -> None:
    """Nothing a browser fetches comes from another host, and every link that leaves the site is marked."""
    offenders, unmarked, marked = [], [], 0
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".xml", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace").replace(SITE_URL, "/")  # its own address
            text = THEME_LINKS.sub("", text)
            for link in LINK_OUT.finditer(text):
                marked += 1
                if 'class="external"' not in link.group(1) + link.group(2) or "(external link)" not in link.group(3):
                    unmarked.append(f"{path.relative_to(site)}: {link.group()[:120]}")
            text = LINK_OUT.sub("", text)
            offenders += [f"{path.relative_to(site)}: {m.group()}" for m in EXTERNAL.finditer(text)]
    assert offenders == [] and unmarked == [] and marked > 0
    assert not any("fonts.googleapis" in p.read_text(errors="replace") for p in site.rglob("*.js"))


def test_sources_are_links(site: Path) -> None:
    """The article, each cross-check report and the licence can be clicked; each statistic links to the article."""
    sources = pc.rows(ROOT, "sources")
    for source in sources:
        assert f'href="{source["url"]}"' in page(site, "sources"), source["source_id"]
    checked = {c["source_id"] for c in pc.rows(ROOT, "cross_checks")}
    for source in (s for s in sources if s["source_id"] in checked):
        assert f'href="{source["url"]}"' in page(site, "cross-checks"), source["source_id"]
    article = next(s for s in sources if s["source_role"] == "primary")
    for row in pc.rows(ROOT, "statistics"):
        html = page(site, f"statistics/{row['statistic_id']}")
        assert f'href="{article["url"]}"' in html and f'href="../../source/#quote-{row["statistic_id"]}"' in html
        assert f'id="quote-{row["statistic_id"]}"' in page(site, "source")
    licence = json.loads((ROOT / "datapackage.json").read_text())["licenses"][0]["path"]
    assert f'href="{licence}"' in page(site, "cite") and f'href="{licence}"' in page(site, "")


class _VisibleText(HTMLParser):
    """The text a reader sees; scripts and styles left out, code kept as one word (its braces are no template)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip, self.parts = [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "code", "pre", "svg"):
            self.parts += [] if self.skip else ["CODE" if tag in ("code", "pre") else ""]
            self.skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


# What broken text looks like: an unfilled template, an empty field, a missing value printed as such.
PLACEHOLDERS = re.compile(
    r"<URL|\bTODO\b|\bFIXME\b|\bXXX\b|article \.|\b(?:None|nan|NaN|NaT|undefined|null)\b(?! has\b)|<NA>|[{}]|\$\{"
    r"|\w [,;:)]|\w \.(?!\.)|\( |\S  +\S|\( \)|\s\(\)|, ,|\w\.\.(?!\.)"
)


def placeholders(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text = re.sub(r"[ \t]*\n\s*", " ", "".join(parser.parts))
    return [text[max(m.start() - 30, 0) : m.end() + 30] for m in PLACEHOLDERS.finditer(text)]


def test_no_page_shows_placeholder_text(site: Path) -> None:
    found = {p.relative_to(site).as_posix(): placeholders(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")}
    assert {k: v for k, v in found.items() if v} == {}


def test_placeholder_scan_catches_broken_text() -> None:
    broken_texts = ("article .", "git+<URL of this repository>", "None", "nan", "NaT", "TODO", "{title}", "maintainers ()")
    for broken in broken_texts:
        assert placeholders(f"<p>The North Africa Post, {escape(broken)} here</p>"), broken
    assert placeholders("<p>None has been verified; <code>{x}</code></p>") == []


def test_an_empty_field_leaves_no_broken_text(tmp_path: Path) -> None:
    project = copy_site_sources(tmp_path / "project")
    citation = project / "CITATION.cff"
    citation.write_text(
        citation.read_text().replace("    year: 2017\n", "").replace("\ndate-released: 2026-11-29\n", "\n", 1)
    )
    set_cell(project, "sources", 3, "published", "")  # a cross-check report whose date is unknown
    set_cell(project, "statements", 2, "notes", "")
    for field in ("country_code", "period_text", "inferred_fields"):
        set_cell(project, "statistics", 2, field, "")
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    first = pc.rows(ROOT, "statistics")[0]["statistic_id"]
    for name in ("cite", "sources", "cross-checks", "", "statistics", f"statistics/{first}"):
        assert placeholders(page(tmp_path / "site", name)) == [], name


def test_the_repository_address_is_one_setting(tmp_path: Path) -> None:
    """Unset, no page speaks of the repository's address; set, the front page gives the install command with it."""
    project = copy_site_sources(tmp_path / "project")
    unset = build_site(project, tmp_path / "unset")
    assert unset.returncode == 0, unset.stderr
    assert "git+" not in page(tmp_path / "unset", "") and "python -m pip install ." in page(tmp_path / "unset", "")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "repo_url: https://example.org/someone/morocco-migration-2017\n")
    assert build_site(project, tmp_path / "set").returncode == 0
    assert "git+https://example.org/someone/morocco-migration-2017" in page(tmp_path / "set", "")


def test_the_404_page_works_under_a_sub_path_and_links_home(tmp_path: Path) -> None:
    project = copy_site_sources(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", config.read_text()) + "site_url: https://example.org/sub/path/\n")
    result = build_site(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
    local = re.findall(r'\b(?:href|src)="(/[^"]*)"', html)
    assert local and all(url.startswith("/sub/path/") for url in local), local
    assert '<a href="/sub/path/">Go to the home page</a>' in html


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
    assert "<title>Migrants granted legal stay: more than 23,000 persons" in html
    lines = (ROOT / "data" / "statistics.csv").read_text(encoding="utf-8").splitlines()
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert lines[0] in text and next(line for line in lines if line.startswith(row["statistic_id"] + ",")) in text


def test_a_value_is_worded_alike_on_every_page(site: Path) -> None:
    """The card, the tables, the statistic page and its JSON-LD all say 'as much as US$175 million'."""
    worded = "as much as US$175 million"
    for name in ("", "statistics", "cross-checks", "statistics/terrorist_trafficking_revenue"):
        html = page(site, name)
        assert worded in html and "175,000,000" not in html, name


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
    from morocco_migration_2017 import reading, validation

    html = page(site, "methodology")
    assert f"up to {reading.MAX_FILE_BYTES // 2**20} MiB each" in html
    assert f"{reading.MAX_JSON_DEPTH} levels deep" in html and f"{validation.STAGE_SECONDS:g} s by default" in html


def _regression_bound() -> float:
    """benchmarks/run.py's REGRESSION: the after/before quotient of a ratio above it is a regression."""
    found = re.search(r"(?m)^REGRESSION = ([0-9.]+)", (ROOT / "benchmarks" / "run.py").read_text(encoding="utf-8"))
    assert found, "benchmarks/run.py sets no REGRESSION"
    return float(found[1])


def test_performance_page_says_when_no_before_after_comparison_is_recorded(site: Path) -> None:
    results = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text(encoding="utf-8"))
    html = page(site, "performance")
    assert 'id="before-and-after-a-change"' in html
    recorded = "before_after" in results
    assert ("No before/after comparison is recorded" in html) is not recorded
    if not recorded:
        assert f"a quotient above {_regression_bound():.2f} is a regression" in html


def test_performance_page_shows_each_before_after_quotient_with_its_bound(tmp_path: Path) -> None:
    project = copy_site_sources(tmp_path / "project")
    latest = project / "benchmarks" / "results" / "latest.json"
    results = json.loads(latest.read_text(encoding="utf-8"))
    bound, rows = _regression_bound(), []
    for i, comparison in enumerate(results["comparisons"]):
        quotient = (1.05, 1.2)[i % 2]  # one within the bound, the next above it
        before = comparison["ratio"] / quotient
        rows.append(
            {
                "name": comparison["name"],
                "before": before,
                "after": comparison["ratio"],
                "quotient": quotient,
                "target": bound,
                "met": quotient <= bound,
            }
        )
    results["before_after"] = {"ref": "v2.0.0", "comparisons": rows, "before": {}}
    latest.write_text(json.dumps(results), encoding="utf-8")
    built = build_site(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    html = page(tmp_path / "site", "performance")
    assert "No before/after comparison is recorded" not in html and "<code>v2.0.0</code>" in html
    table = html.split('id="before-and-after-a-change"', 1)[1].split("</table>", 1)[0]
    cells = [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.DOTALL)]
    assert len(cells) == 6 * len(rows)
    for row, got in zip(rows, [cells[i : i + 6] for i in range(0, len(cells), 6)], strict=True):
        assert got == [
            row["name"],
            f"{row['before']:.2f}×",
            f"{row['after']:.2f}×",
            f"{row['quotient']:.3f}",
            f"≤ {bound:.2f}",
            "yes" if row["met"] else "no",
        ]
