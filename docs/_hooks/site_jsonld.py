"""schema.org markup as JSON-LD, generated from the package: a Dataset for the front page, a Claim per statistic."""

from __future__ import annotations

import json
from typing import Any

from site_render import Row, Tables, day, primary_source, records, value_text

CONTEXT = "https://schema.org"


def script(document: dict[str, Any]) -> str:
    """A JSON-LD block for a page; '<' is escaped so no value can close the script element."""
    text = json.dumps(document, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _article(source: Row) -> dict[str, Any]:
    article = {
        "@type": "NewsArticle",
        "headline": source["title"],
        "url": source["url"],
        "publisher": {"@type": "Organization", "name": source["publisher"]},
    }
    if source["published"] is not None:
        article["datePublished"] = day(source["published"], "%Y-%m-%d")
    return article


def dataset(descriptor: dict[str, Any], tables: Tables, downloads: list[dict[str, Any]]) -> dict[str, Any]:
    """The package as a schema.org Dataset, each export a DataDownload."""
    stats = records(tables["statistics"])
    dates = sorted(day(d, "%Y-%m-%d") for s in stats for d in (s["period_start"], s["period_end"]) if d is not None)
    article = primary_source(tables)
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
        "spatialCoverage": [{"@type": "Place", "name": area} for area in dict.fromkeys(s["area"] for s in stats)],
        "variableMeasured": [
            {
                "@type": "PropertyValue",
                "propertyID": i["indicator_id"],
                "name": i["label"],
                "description": i["definition"],
                "unitText": i["unit"],
            }
            for i in records(tables["indicators"])
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


def claim(stat: Row, tables: Tables, descriptor: dict[str, Any]) -> dict[str, Any]:
    """One statistic as a schema.org Claim: the quote, its claimant, when, where it first appeared, other reports."""
    """stat is a row of site_render.statistics_view: the statistic beside its statement and indicator."""
    sources = {s["source_id"]: s for s in records(tables["sources"])}
    others = [
        c
        for c in records(tables["cross_checks"])
        if c["statistic_id"] == stat["statistic_id"] and c["reported_value"] is not None
    ]
    document = {
        "@context": CONTEXT,
        "@type": "Claim",
        "identifier": stat["statistic_id"],
        "name": f"{stat['label']}: {value_text(stat)}",
        "text": stat["quote"],
        "author": {"@type": "Person", "name": stat["claimant"], "jobTitle": stat["claimant_role"]},
        "datePublished": day(stat["claim_date"], "%Y-%m-%d"),
        "firstAppearance": _article(sources[stat["source_id"]]),
        "appearance": [_article(sources[c["source_id"]]) for c in others],
        "about": {
            "@type": "PropertyValue",
            "propertyID": stat["indicator_id"],
            "name": stat["label"],
            "unitText": stat["unit"],
        },
        "isPartOf": {"@type": "Dataset", "@id": f"urn:uuid:{descriptor['id']}", "name": descriptor["title"]},
    }
    if "claim_date" in (stat["inferred_fields_statement"] or "").split():
        document["comment"] = {
            "@type": "Comment",
            "text": f"datePublished is inferred, not printed in the article: {stat['notes_statement']}",
        }
    return document
