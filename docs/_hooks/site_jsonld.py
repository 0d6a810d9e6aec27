"""schema.org markup as JSON-LD, generated from the package: a Dataset for the front page, a Claim per statistic."""

from __future__ import annotations

import json
from typing import Any

from site_figures import spoken_value

from site_render import Record, statement_of, unit_of

CONTEXT = "https://schema.org"


def script(document: dict[str, Any]) -> str:
    """A JSON-LD block for a page; '<' is escaped so no value can close the script element."""
    text = json.dumps(document, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _article(source: Record) -> dict[str, Any]:
    article = {
        "@type": "NewsArticle",
        "headline": source["title"],
        "url": source["url"],
        "publisher": {"@type": "Organization", "name": source["publisher"]},
    }
    if source["published"]:
        article["datePublished"] = source["published"]
    return article


def _primary(tables: dict[str, list[Record]]) -> Record:
    return next(s for s in tables["sources"] if s["source_role"] == "primary")


def dataset(descriptor: dict[str, Any], tables: dict[str, list[Record]], downloads: list[dict[str, Any]]) -> dict[str, Any]:
    """The package as a schema.org Dataset, each export a DataDownload."""
    dates = sorted(d for s in tables["statistics"] for d in (s["period_start"], s["period_end"]) if d)
    article = _primary(tables)
    return {
        "@context": CONTEXT,
        "@type": "Dataset",
        "@id": f"urn:uuid:{descriptor['id']}",
        "identifier": descriptor["id"],
        "name": descriptor["title"],
        "description": descriptor["description"],
        "version": descriptor["version"],
        "license": descriptor["licenses"][0]["path"],
        "creator": {"@type": "Organization", "name": descriptor["contributors"][0]["title"]},
        "citation": f"{article['publisher']}. {article['title']}. {article['url']}",
        "keywords": descriptor["keywords"],
        "temporalCoverage": f"{dates[0]}/{dates[-1]}",
        "spatialCoverage": [
            {"@type": "Place", "name": area} for area in dict.fromkeys(s["area"] for s in tables["statistics"])
        ],
        "variableMeasured": [
            {
                "@type": "PropertyValue",
                "propertyID": i["indicator_id"],
                "name": i["label"],
                "description": i["definition"],
                "unitText": i["unit"],
            }
            for i in tables["indicators"]
        ],
        "isBasedOn": _article(article),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d["name"],
                "encodingFormat": d["mediatype"],
                "contentUrl": d["url"],
                "contentSize": f"{d['bytes']} B",
            }
            for d in downloads
        ],
    }


def claim(stat: Record, tables: dict[str, list[Record]], descriptor: dict[str, Any]) -> dict[str, Any]:
    """One statistic as a schema.org Claim: the quote, its claimant, when, where it first appeared, other reports."""
    statement = statement_of(stat, tables)
    sources = {s["source_id"]: s for s in tables["sources"]}
    indicator = next(i for i in tables["indicators"] if i["indicator_id"] == stat["indicator_id"])
    others = [c for c in tables["cross_checks"] if c["statistic_id"] == stat["statistic_id"] and c["reported_value"]]
    document = {
        "@context": CONTEXT,
        "@type": "Claim",
        "identifier": stat["statistic_id"],
        "name": f"{spoken_value(stat, tables)} {unit_of(stat, tables)}: {indicator['label']}",
        "text": stat["quote"],
        "author": {"@type": "Person", "name": statement["claimant"], "jobTitle": statement["claimant_role"]},
        "datePublished": statement["claim_date"],
        "firstAppearance": _article(sources[stat["source_id"]]),
        "appearance": [_article(sources[c["source_id"]]) for c in others],
        "about": {
            "@type": "PropertyValue",
            "propertyID": indicator["indicator_id"],
            "name": indicator["label"],
            "unitText": indicator["unit"],
        },
        "isPartOf": {"@type": "Dataset", "@id": f"urn:uuid:{descriptor['id']}", "name": descriptor["title"]},
    }
    if "claim_date" in statement["inferred_fields"].split():
        document["comment"] = {
            "@type": "Comment",
            "text": f"datePublished is inferred, not printed in the article: {statement['notes']}",
        }
    return document
