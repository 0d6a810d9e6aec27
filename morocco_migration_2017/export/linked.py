"""The schema.org markup of the docs site (a Dataset, a Claim per statistic) and croissant.json, built here
so that the site and the files say the same.

The front page's Dataset and croissant.json describe one dataset, with one `@id`, and the properties they share
come from one function (`_about`); they stay two documents. The page's Dataset is what search engines read in
the HTML: light, with absolute URLs when the site's address is set, and a distribution of every file and export.
croissant.json is what loaders read: record sets, typed fields, keys and checksums, with paths relative to
itself, so the same bytes work on the site, in the zip and from `export`, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..package import Package
from ..presentation import format_value
from .annotations import ANNOTATIONS_FILE, annotation_id
from .common import (
    atomic,
    cite_as,
    day,
    json_bytes,
    link,
    package_entries,
    rows_where,
    sha256,
    the_row,
)

CROISSANT = "http://mlcommons.org/croissant/1.1"


CROISSANT_FILE = "croissant.json"


LINKED_TYPES = {
    CROISSANT_FILE: f'application/ld+json; profile="{CROISSANT}"',
    ANNOTATIONS_FILE: "application/ld+json",
}


_FIELD_TYPES = {
    "integer": "sc:Integer",
    "number": "sc:Float",
    "string": "sc:Text",
    "date": "sc:Date",
}


# The JSON-LD context of Croissant 1.1 as mlcroissant writes it (a missing term makes it warn), with the RAI terms.
_CROISSANT_TERMS = "arrayShape citeAs column containedIn extract field fileObject fileProperty fileSet format includes"


_CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "description": {"@container": "@language"},
    "name": {"@container": "@language"},
    **{
        term: f"cr:{term}"
        for term in f"{_CROISSANT_TERMS} equivalentProperty isArray isLiveDataset jsonPath key md5 parentField path "
        "recordSet references regex repeated replace samplingRate separator source subField transform".split()
    },
}


# The Wikidata item of each area the statistics name, where it has been checked; any other area (the Sahel,
# whose item was not confirmed) is a Place with its name only, rather than a guessed identifier.
PLACES = {"Morocco": "https://www.wikidata.org/entity/Q1028"}


# UN/CEFACT Recommendation 20 codes of the units that have one (C62: a count; IE: persons); USD has none.
UNIT_CODES = {"attempts": "C62", "networks": "C62", "persons": "IE"}


_BOUND_KEYS = {"point": "value", "lower_bound": "minValue", "upper_bound": "maxValue"}


METHOD = (
    "Hand extraction from one news article: each figure is recorded with the exact quote that states it and the "
    "quote's code-point offsets in a byte-exact, hash-pinned snapshot of the article, and checked against it."
)


LIMITS = (
    "The figures are claims by an official of Morocco's interior ministry as reported by one outlet, not verified "
    "facts; other reports of the same speech word some of them differently (cross_checks)."
)


BIASES = "Every figure comes from the government whose work it measures; no independent count is included."


def _place(area: str) -> dict[str, Any]:
    place = {"@type": "Place", "name": area}
    if area in PLACES:
        place["sameAs"] = PLACES[area]
    return place


def _period(start: Any, end: Any) -> str | None:
    """An ISO 8601 interval, '..' for an open start; None when the source gives no period."""
    if pd.isna(start) and pd.isna(end):
        return None
    return f"{day(start) or '..'}/{day(end) or '..'}"


def _article(source: dict[str, Any]) -> dict[str, Any]:
    article = {
        "@type": "NewsArticle",
        "headline": source["title"],
        "url": source["url"],
        "publisher": {"@type": "Organization", "name": source["publisher"]},
        "inLanguage": source["language"],
    }
    if not pd.isna(source["published"]):
        article["datePublished"] = day(source["published"])
    return article


def dataset_id(package: Package) -> str:
    return f"urn:uuid:{package.descriptor['id']}"


def _about(package: Package, site_url: str | None) -> dict[str, Any]:
    """What the site's Dataset and croissant.json both say of the dataset: one function, so they cannot differ."""
    descriptor, statistics = package.descriptor, package.tables["statistics"]
    primary = the_row(package, "sources", source_role="primary")
    creators = [c for c in descriptor["contributors"] if "creator" in c.get("roles", [])]
    about: dict[str, Any] = {
        "@id": dataset_id(package),
        "name": descriptor["title"],
        "description": descriptor["description"],
        "identifier": descriptor["id"],
        "version": descriptor["version"],
        "datePublished": package.created.date().isoformat(),
        "license": descriptor["licenses"][0]["path"],
        "isAccessibleForFree": True,
        "keywords": descriptor["keywords"],
        "inLanguage": "en",
        "creator": [
            {
                "@type": "Organization",
                "name": c["title"],
                **({"url": c["path"]} if c.get("path") else {}),
            }
            for c in creators
        ],
        "citation": f"{primary['publisher']}. {primary['title']}. {primary['url']}",
        "isBasedOn": _article(primary),
        "measurementTechnique": METHOD,
        "temporalCoverage": _period(
            statistics["period_start"].min(), statistics["period_end"].max()
        ),
        "spatialCoverage": [_place(area) for area in dict.fromkeys(statistics["area"])],
        "variableMeasured": [
            {
                "@type": "PropertyValue",
                "propertyID": i["indicator_id"],
                "name": i["label"],
                "description": i["definition"],
                "unitText": i["unit"],
                **({"unitCode": UNIT_CODES[i["unit"]]} if i["unit"] in UNIT_CODES else {}),
            }
            for i in rows_where(package, "indicators")
        ],
    }
    if site_url:
        about["url"] = site_url
    return about


def croissant(package: Package, site_url: str | None = None) -> dict[str, Any]:
    """The package as Croissant 1.1: a FileObject with sha256 for every CSV and snapshot, a RecordSet per table
    with typed fields, its key and its foreign keys as references. Paths are relative to the document, which sits
    beside datapackage.json (the site's root, the zip's folder). A reference names the key's file and column:
    mlcroissant 1.1 joins a reference to another record set's field with that set's output and fails to load."""
    csv_ids = {name: resource.path for name, resource in package.resources.items()}
    distribution = [
        {
            "@type": "cr:FileObject",
            "@id": f["path"],
            "name": f["name"],
            "description": f["description"],
            "contentUrl": f["path"],
            "contentSize": f"{len(f['data'])} B",
            "encodingFormat": f["mediatype"],
            "sha256": sha256(f["data"]),
        }
        for f in package_entries(package)
        if f["path"] != "datapackage.json"
    ]
    record_sets = []
    for name, resource in package.resources.items():
        references = {
            field: f"{key['reference']['resource']}/{target}"
            for key in resource.foreign_keys
            for field, target in zip(key["fields"], key["reference"]["fields"], strict=True)
        }
        fields = []
        for f in resource.fields:
            field = {
                "@type": "cr:Field",
                "@id": f"{name}/{f['name']}",
                "name": f["name"],
                "description": f.get("description", ""),
                "dataType": _FIELD_TYPES[f.get("type", "string")],
                "source": {"fileObject": {"@id": csv_ids[name]}, "extract": {"column": f["name"]}},
            }
            if f["name"] in references:
                table, column = references[f["name"]].split("/")
                field["references"] = {
                    "fileObject": {"@id": csv_ids[table]},
                    "extract": {"column": column},
                }
            fields.append(field)
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": name,
                "name": name,
                "description": resource.schema.get("description", ""),
                "key": [{"@id": f"{name}/{k}"} for k in resource.primary_key],
                "field": fields,
            }
        )
    return {
        "@context": _CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT,
        **_about(package, site_url),
        "citeAs": cite_as(package),
        "rai:dataCollection": METHOD,
        "rai:dataLimitations": LIMITS,
        "rai:dataBiases": BIASES,
        "distribution": distribution,
        "recordSet": record_sets,
    }


def dataset(
    package: Package, exports: list[dict[str, Any]], site_url: str | None = None
) -> dict[str, Any]:
    """The package as a schema.org Dataset for the site's front page. `exports`: each export served by the site,
    with its `name`, `url` (site path), `mediatype` and `data` (bytes)."""
    files = [f | {"url": f["path"]} for f in package_entries(package)]
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        **_about(package, site_url),
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f["name"],
                **({"description": f["description"]} if f.get("description") else {}),
                "encodingFormat": f["mediatype"],
                "contentUrl": link(site_url, f["url"]),
                "contentSize": f"{len(f['data'])} B",
                "sha256": sha256(f["data"]),
            }
            for f in [*files, *exports]
        ],
    }


def claim(package: Package, statistic_id: str, site_url: str | None = None) -> dict[str, Any]:
    """One statistic as a schema.org Claim: the quote, who said it and when, the figure as a number with its bound
    and unit, the period and place, where it first appeared and which other reports carry it."""
    stat = the_row(package, "statistics", statistic_id=statistic_id)
    statement = the_row(package, "statements", statement_id=stat["statement_id"])
    indicator = the_row(package, "indicators", indicator_id=stat["indicator_id"])
    worded = format_value(stat["value"], stat["value_bound"], indicator["unit"])
    figure = {
        "@type": "QuantitativeValue",
        _BOUND_KEYS[stat["value_bound"]]: int(stat["value"]),
        "unitText": indicator["unit"],
    }
    if indicator["unit"] in UNIT_CODES:
        figure["unitCode"] = UNIT_CODES[indicator["unit"]]
    figure["description"] = worded
    others = [
        c
        for c in rows_where(package, "cross_checks", statistic_id=statistic_id)
        if not pd.isna(c["reported_value"])
    ]
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "identifier": statistic_id,
        "name": f"{indicator['label']}: {worded}",
        "text": stat["quote"],
        "author": {
            "@type": "Person",
            "name": statement["claimant"],
            "jobTitle": statement["claimant_role"],
        },
        "datePublished": day(statement["claim_date"]),
        "firstAppearance": _article(the_row(package, "sources", source_id=stat["source_id"])),
        "appearance": [
            _article(the_row(package, "sources", source_id=c["source_id"])) for c in others
        ],
        "about": {
            "@type": "PropertyValue",
            "propertyID": indicator["indicator_id"],
            "name": indicator["label"],
            "description": indicator["definition"],
            "value": figure,
        },
        "spatialCoverage": _place(stat["area"]),
        "subjectOf": {"@id": annotation_id(site_url, statistic_id)},
        "isPartOf": {
            "@type": "Dataset",
            "@id": dataset_id(package),
            "name": package.descriptor["title"],
        },
    }
    period = _period(stat["period_start"], stat["period_end"])
    if period:
        document["temporalCoverage"] = period
    # Each note that gives the evidence for an inferred value, once: the statement's (claim_date), the row's own.
    notes = [
        r["notes"]
        for r in (statement, stat)
        if not pd.isna(r["inferred_fields"]) and r["inferred_fields"].strip()
    ]
    if notes:
        document["comment"] = [{"@type": "Comment", "text": text} for text in dict.fromkeys(notes)]
    return document


def to_croissant(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    return [atomic(out / CROISSANT_FILE, json_bytes(croissant(package, site_url)))]
