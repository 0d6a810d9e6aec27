"""Issue: schema.org markup. Every page's JSON-LD parses as JSON-LD, and its values agree with the CSVs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

import plain_checks as pc
from edits import ROOT

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


def test_front_page_has_a_dataset_that_agrees_with_the_package(site: Path) -> None:
    (document,) = blocks(page(site, ""))
    data = expand(document)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert data["@type"] == "Dataset" and data["name"] == descriptor["title"] and data["version"] == descriptor["version"]
    for key in ("description", "license", "creator", "citation", "keywords", "temporalCoverage", "spatialCoverage"):
        assert data[key], key
    assert data["temporalCoverage"] == "2004-01-01/2017-11-14"
    indicators = pc.rows(ROOT, "indicators")
    assert {(v["name"], v["unitText"]) for v in data["variableMeasured"]} == {(i["label"], i["unit"]) for i in indicators}
    article = next(s for s in pc.rows(ROOT, "sources") if s["source_role"] == "primary")
    assert data["isBasedOn"]["@type"] == "NewsArticle" and data["isBasedOn"]["url"] == article["url"]
    assert data["isBasedOn"]["publisher"]["name"] == article["publisher"]
    downloads = {p.name: p.stat().st_size for p in (site / "downloads").rglob("*") if p.is_file() and p.name != "index.html"}
    assert {d["name"]: int(d["contentSize"].split()[0]) for d in data["distribution"]} == downloads
    assert all(d["@type"] == "DataDownload" and d["encodingFormat"] for d in data["distribution"])


@pytest.mark.parametrize("row", pc.rows(ROOT, "statistics"), ids=lambda r: r["statistic_id"])
def test_each_statistic_page_has_a_claim_that_agrees_with_the_csvs(site: Path, row: dict[str, str]) -> None:
    (document,) = blocks(page(site, f"statistics/{row['statistic_id']}"))
    claim = expand(document)
    (statement,) = pc.rows(ROOT, "statements")
    sources = {s["source_id"]: s for s in pc.rows(ROOT, "sources")}
    assert claim["@type"] == "Claim" and claim["text"] == row["quote"]
    assert claim["author"] == {"@type": "Person", "name": statement["claimant"], "jobTitle": statement["claimant_role"]}
    assert claim["datePublished"] == statement["claim_date"]
    assert "inferred" in claim["comment"]["text"]  # claim_date is inferred: flagged
    assert claim["firstAppearance"]["url"] == sources[row["source_id"]]["url"]
    others = [c for c in pc.rows(ROOT, "cross_checks") if c["statistic_id"] == row["statistic_id"] and c["reported_value"]]
    appearances = claim.get("appearance", [])
    appearances = appearances if isinstance(appearances, list) else [appearances]
    assert sorted(a["url"] for a in appearances) == sorted(sources[c["source_id"]]["url"] for c in others)
    indicator = next(i for i in pc.rows(ROOT, "indicators") if i["indicator_id"] == row["indicator_id"])
    assert claim["about"]["name"] == indicator["label"]
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert claim["isPartOf"]["@id"] == f"urn:uuid:{descriptor['id']}"


def test_a_malformed_block_would_fail(site: Path) -> None:
    (document,) = blocks(page(site, ""))
    broken = {**document, "@context": {"@vocab": 5}}
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(broken, {"documentLoader": _offline_loader})
