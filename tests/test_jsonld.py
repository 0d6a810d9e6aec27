"""Issue: schema.org markup. Every page's JSON-LD parses as JSON-LD, and its values agree with the CSVs."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pyld import jsonld

import plain_checks as pc
from edits import ROOT, copy_package, edit_descriptor
from morocco_migration_2017.presentation import format_value
from site_build import SITE_URL

pytestmark = pytest.mark.slow
SCHEMA = "https://schema.org/"
BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _offline_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """schema.org's context, as a stand-in that maps every term into the schema.org vocabulary; nothing is fetched."""
    if url.rstrip("/") != SCHEMA.rstrip("/"):
        raise AssertionError(f"JSON-LD asked for a context other than schema.org: {url}")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": {"@context": {"@vocab": SCHEMA}},
    }


def blocks(html: str) -> list[dict[str, Any]]:
    return [json.loads(text) for text in BLOCK.findall(html)]


def expand(document: dict[str, Any]) -> dict[str, Any]:
    """The document expanded by a JSON-LD processor, compacted to plain schema.org terms."""
    options = {"documentLoader": _offline_loader}
    expanded = jsonld.expand(document, options)
    assert expanded, "the processor found no node"
    return jsonld.compact(expanded, {"@vocab": SCHEMA}, options)


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


RECOMMENDED = (
    "url",
    "identifier",
    "isAccessibleForFree",
    "keywords",
    "license",
    "version",
    "creator",
    "citation",
    "measurementTechnique",
    "temporalCoverage",
    "spatialCoverage",
    "variableMeasured",
    "distribution",
    "description",
    "datePublished",
)
WIKIDATA = {"Morocco": "https://www.wikidata.org/entity/Q1028"}


def place(area: str) -> dict[str, str]:
    return {"@type": "Place", "name": area, **({"sameAs": WIKIDATA[area]} if area in WIKIDATA else {})}


DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
CATALOG_URL = "https://catalog.example.org/dataset/morocco-migration-2017"


def as_list(value: Any) -> list[Any]:
    """A JSON-LD value as a list: compaction writes a list of one as the one item."""
    return value if isinstance(value, list) else [value]


def agents(descriptor: dict[str, Any], role: str, site_url: str | None) -> list[dict[str, str]]:
    """The contributors with a role, as the markup names them: their `path` as url, else the site's address."""
    named = []
    for contributor in (c for c in descriptor["contributors"] if role in c.get("roles", [])):
        url = contributor.get("path") or site_url
        named.append({"@type": "Organization", "name": contributor["title"], **({"url": url} if url else {})})
    return named


def markup_faults(
    data: dict[str, Any], descriptor: dict[str, Any], site_url: str | None, catalog_url: str | None
) -> list[str]:
    """What the Dataset says wrongly of its publisher, release date, catalog and creators, by property."""
    expected = {
        "publisher": agents(descriptor, "publisher", site_url) or agents(descriptor, "creator", site_url),
        "dateModified": descriptor["created"][:10],
        "includedInDataCatalog": {"@type": "DataCatalog", "url": catalog_url} if catalog_url else None,
        "creator": agents(descriptor, "creator", site_url),
    }
    found = {key: data.get(key) for key in expected}
    found |= {key: as_list(data[key]) for key in ("publisher", "creator") if key in data}
    return [f"{key}: {found[key]!r}, expected {value!r}" for key, value in expected.items() if found[key] != value]


def test_the_release_date_is_one_date_in_the_descriptor_the_citation_and_the_changelog() -> None:
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    heading = re.search(rf"^## \[{re.escape(DESCRIPTOR['version'])}\] - (\S+)$", changelog, re.MULTILINE)
    assert heading and str(citation["date-released"]) == heading.group(1) == DESCRIPTOR["created"][:10]


def test_front_page_has_a_dataset_that_agrees_with_the_package(site: Path) -> None:
    (document,) = blocks(page(site, ""))
    data = expand(document)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert data["@type"] == "Dataset" and data["name"] == descriptor["title"] and data["version"] == descriptor["version"]
    assert [key for key in RECOMMENDED if key not in data or data[key] in ("", [], None)] == []
    assert data["url"] == SITE_URL and data["isAccessibleForFree"] is True and data["identifier"] == descriptor["id"]
    assert data["temporalCoverage"] == "2004-01-01/2017-11-14"
    assert "quote" in data["measurementTechnique"] and "offsets" in data["measurementTechnique"]
    areas = dict.fromkeys(s["area"] for s in pc.rows(ROOT, "statistics"))
    assert data["spatialCoverage"] == [place(a) for a in areas]
    indicators = pc.rows(ROOT, "indicators")
    assert {(v["name"], v["unitText"]) for v in data["variableMeasured"]} == {(i["label"], i["unit"]) for i in indicators}
    article = next(s for s in pc.rows(ROOT, "sources") if s["source_role"] == "primary")
    assert data["isBasedOn"]["@type"] == "NewsArticle" and data["isBasedOn"]["url"] == article["url"]
    assert data["isBasedOn"]["publisher"]["name"] == article["publisher"]


def test_the_distribution_is_every_file_and_export_with_absolute_urls(site: Path) -> None:
    (document,) = blocks(page(site, ""))
    distribution = expand(document)["distribution"]
    served = {p.relative_to(site).as_posix(): p for p in (site / "downloads").rglob("*") if p.name != "index.html"}
    served |= {name: site / name for name in ("datapackage.json", "croissant.json", "annotations.jsonld")}
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    served |= {r["path"]: site / r["path"] for r in descriptor["resources"]}
    served |= {s["path"]: site / s["path"] for s in descriptor["sources"] if "hash" in s}
    assert {d["contentUrl"] for d in distribution} == {SITE_URL + path for path in served if (site / path).is_file()}
    for entry in distribution:
        data = served[entry["contentUrl"].removeprefix(SITE_URL)].read_bytes()
        assert entry["@type"] == "DataDownload" and entry["encodingFormat"], entry["name"]
        assert entry["contentSize"] == f"{len(data)} B" and entry["sha256"] == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("row", pc.rows(ROOT, "statistics"), ids=lambda r: r["statistic_id"])
def test_each_statistic_page_has_a_claim_that_agrees_with_the_csvs(site: Path, row: dict[str, str]) -> None:
    (document,) = blocks(page(site, f"statistics/{row['statistic_id']}"))
    claim = expand(document)
    (statement,) = pc.rows(ROOT, "statements")
    sources = {s["source_id"]: s for s in pc.rows(ROOT, "sources")}
    assert claim["@type"] == "Claim" and claim["text"] == row["quote"]
    assert claim["author"] == {"@type": "Person", "name": statement["claimant"], "jobTitle": statement["claimant_role"]}
    assert claim["datePublished"] == statement["claim_date"]
    assert claim["firstAppearance"]["url"] == sources[row["source_id"]]["url"]
    others = [c for c in pc.rows(ROOT, "cross_checks") if c["statistic_id"] == row["statistic_id"] and c["reported_value"]]
    appearances = claim.get("appearance", [])
    appearances = appearances if isinstance(appearances, list) else [appearances]
    assert sorted(a["url"] for a in appearances) == sorted(sources[c["source_id"]]["url"] for c in others)
    indicator = next(i for i in pc.rows(ROOT, "indicators") if i["indicator_id"] == row["indicator_id"])
    assert claim["about"]["name"] == indicator["label"]
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert claim["isPartOf"]["@id"] == f"urn:uuid:{descriptor['id']}"
    assert claim["subjectOf"]["@id"] == f"{SITE_URL}annotations.jsonld#{row['statistic_id']}"


@pytest.mark.parametrize("row", pc.rows(ROOT, "statistics"), ids=lambda r: r["statistic_id"])
def test_each_claim_carries_its_figure_period_and_place_as_data(site: Path, row: dict[str, str]) -> None:
    claim = expand(blocks(page(site, f"statistics/{row['statistic_id']}"))[0])
    figure = claim["about"]["value"]
    key = {"point": "value", "lower_bound": "minValue", "upper_bound": "maxValue"}[row["value_bound"]]
    numbers = {k: figure[k] for k in ("value", "minValue", "maxValue") if k in figure}
    assert figure["@type"] == "QuantitativeValue" and numbers == {key: int(row["value"])}
    assert [type(n) for n in numbers.values()] == [int]  # a number in the JSON, not its wording or a string
    indicator = next(i for i in pc.rows(ROOT, "indicators") if i["indicator_id"] == row["indicator_id"])
    assert figure["unitText"] == indicator["unit"]
    assert figure["description"] == format_value(row["value"], row["value_bound"], indicator["unit"])
    assert claim["name"] == f"{indicator['label']}: {figure['description']}"  # as the page heading words it
    period = f"{row['period_start'] or '..'}/{row['period_end'] or '..'}"
    assert claim.get("temporalCoverage") == (None if period == "../.." else period)
    assert claim["spatialCoverage"] == place(row["area"])


@pytest.mark.parametrize("row", pc.rows(ROOT, "statistics"), ids=lambda r: r["statistic_id"])
def test_each_inferred_value_is_flagged_once_with_its_evidence(site: Path, row: dict[str, str]) -> None:
    claim = expand(blocks(page(site, f"statistics/{row['statistic_id']}"))[0])
    comments = claim["comment"] if isinstance(claim["comment"], list) else [claim["comment"]]
    texts = [c["text"] for c in comments]
    (statement,) = pc.rows(ROOT, "statements")
    # claim_date is inferred (the statement's notes give why), then whatever the row itself infers
    assert texts == [statement["notes"]] + ([row["notes"]] if row["inferred_fields"] else [])
    sentences = [s for t in texts for s in t.split(": ")]
    assert len(sentences) == len(set(sentences)), texts


def test_every_page_has_a_canonical_link_and_is_in_the_sitemap(site: Path) -> None:
    pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    listed = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    expected = sorted(SITE_URL if p == "." else f"{SITE_URL}{p}/" for p in pages)
    assert sorted(listed) == expected
    for path, url in zip(pages, expected, strict=True):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{url}">' in html, path


def test_without_a_site_url_it_builds_with_relative_urls(tmp_path: Path) -> None:
    from site_build import build_site, copy_site_sources

    out = tmp_path / "site"
    result = build_site(copy_site_sources(tmp_path / "project"), out, site_url=None, catalog_url=CATALOG_URL)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    data = expand(blocks(page(out, ""))[0])
    assert "url" not in data and all("://" not in d["contentUrl"] for d in data["distribution"])
    # CATALOG_URL set (mkdocs.yml's extra.catalog_url) names the catalog; no site address: no creator url
    assert markup_faults(data, DESCRIPTOR, site_url=None, catalog_url=CATALOG_URL) == []
    assert data["includedInDataCatalog"] == {"@type": "DataCatalog", "url": CATALOG_URL}
    assert all("url" not in agent for agent in [*data["creator"], *data["publisher"]])
    assert 'rel="canonical"' not in page(out, "") and "<loc>" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    crate = json.loads((out / "croissant.json").read_text(encoding="utf-8"))
    assert "url" not in crate and crate["distribution"][0]["contentUrl"] == "data/statistics.csv"


def test_a_malformed_block_would_fail(site: Path) -> None:
    (document,) = blocks(page(site, ""))
    broken = {**document, "@context": {"@vocab": 5}}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(broken, {"documentLoader": _offline_loader})


def test_the_dataset_names_its_publisher_release_date_and_creators_and_no_catalog_unless_set(site: Path) -> None:
    data = expand(blocks(page(site, ""))[0])
    assert markup_faults(data, DESCRIPTOR, site_url=SITE_URL, catalog_url=None) == []
    assert "includedInDataCatalog" not in data and data["dateModified"] == DESCRIPTOR["created"][:10]
    # No contributor has the role publisher, and none has a path: the creators publish, at the site's address.
    assert as_list(data["publisher"]) == [
        {"@type": "Organization", "name": "morocco-migration-2017 maintainers", "url": SITE_URL}
    ]
    assert as_list(data["creator"]) == as_list(data["publisher"])


BROKEN = {
    "no publisher": lambda d: d.pop("publisher"),
    "another publisher": lambda d: d.update(publisher={"@type": "Organization", "name": "The North Africa Post"}),
    "a publisher without its url": lambda d: as_list(d["publisher"])[0].pop("url"),
    "no dateModified": lambda d: d.pop("dateModified"),
    "a dateModified not the release's": lambda d: d.update(dateModified="2026-11-28"),
    "a catalog never configured": lambda d: d.update(includedInDataCatalog={"@type": "DataCatalog", "url": CATALOG_URL}),
    "a creator with another url": lambda d: as_list(d["creator"])[0].update(url="https://example.com/"),
    "a creator without its url": lambda d: as_list(d["creator"])[0].pop("url"),
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_a_dataset_with_one_of_these_properties_broken_fails(site: Path, change: Any) -> None:
    data = expand(blocks(page(site, ""))[0])
    change(data)
    assert markup_faults(data, DESCRIPTOR, site_url=SITE_URL, catalog_url=None) != []


def test_a_configured_catalog_missing_or_elsewhere_fails() -> None:
    from morocco_migration_2017 import export
    from morocco_migration_2017.validation import open_package

    data = export.dataset(open_package(ROOT), [], SITE_URL, CATALOG_URL)
    assert markup_faults(data, DESCRIPTOR, SITE_URL, CATALOG_URL) == []
    for broken in (
        {**data, "includedInDataCatalog": {"@type": "DataCatalog", "url": SITE_URL}},
        {**data, "includedInDataCatalog": None},
    ):
        assert markup_faults(broken, DESCRIPTOR, SITE_URL, CATALOG_URL) != []


@pytest.mark.parametrize("catalog", ["javascript:alert(1)", "not a url", "https://catalog.example.org/a b"])
def test_a_catalog_url_that_is_not_an_http_address_is_refused(catalog: str) -> None:
    """The catalog's address goes into every page's markup: only an absolute http(s) URL is taken."""
    from morocco_migration_2017 import export
    from morocco_migration_2017.problems import PackageError
    from morocco_migration_2017.validation import open_package

    with pytest.raises(PackageError, match=r"^catalog_url "):
        export.dataset(open_package(ROOT), [], SITE_URL, catalog)


def test_a_contributor_with_the_role_publisher_and_a_path_is_the_publisher_at_its_path(tmp_path: Path) -> None:
    from morocco_migration_2017 import export
    from morocco_migration_2017.validation import open_package

    root = copy_package(tmp_path / "package")
    publisher = {"title": "An archive", "path": "https://archive.example.org/", "roles": ["publisher"]}
    edit_descriptor(root, lambda d: d["contributors"].append(publisher))
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    data = export.dataset(open_package(root), [], SITE_URL)
    assert markup_faults(data, descriptor, SITE_URL, None) == []
    assert data["publisher"] == [{"@type": "Organization", "name": "An archive", "url": "https://archive.example.org/"}]
    assert markup_faults({**data, "publisher": data["creator"]}, descriptor, SITE_URL, None) != []
