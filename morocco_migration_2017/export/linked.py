"""The schema.org markup of the docs site (a Dataset, a Claim per statistic) and croissant.json,
built here so that the site and the files say the same.

The front page's Dataset and croissant.json describe one dataset, with one `@id`, and the
properties they share come from one function (`_about`); they stay two documents. The page's
Dataset is what search engines read in the HTML: light, with absolute URLs when the site's address
is set, and a distribution of every file and export. croissant.json is what loaders read: record
sets, typed fields, keys and checksums, with `contentUrl` relative to itself, so the same bytes
work on the site, in the zip and from `export`, offline. Its ids are absolute under the site's
address when that is given, and relative paths, as the document says, when not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..package import Package
from ..presentation import format_value
from .annotations import ANNOTATIONS_FILE, annotation_id
from .common import (
    atomic,
    checked_url,
    cite_as,
    day,
    json_bytes,
    link,
    package_entries,
    relative_note,
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


# The JSON-LD context of Croissant 1.1 as mlcroissant writes it (a missing term makes it warn), with
# the RAI terms.
_CROISSANT_TERMS = (
    "arrayShape citeAs column containedIn extract field fileObject fileProperty fileSet format "
    "includes equivalentProperty isArray isLiveDataset jsonPath key md5 parentField path "
    "recordSet references regex repeated replace samplingRate separator source subField transform"
)


_CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "description": {"@container": "@language"},
    "name": {"@container": "@language"},
    **{term: f"cr:{term}" for term in _CROISSANT_TERMS.split()},
}


# The Wikidata item of each area the statistics name, where it has been checked; any other area
# (the Sahel, whose item was not confirmed) is a Place with its name only, rather than a guessed
# identifier.
PLACES = {"Morocco": "https://www.wikidata.org/entity/Q1028"}


# UN/CEFACT Recommendation 20 codes of the units that have one (C62: a count; IE: persons); USD
# has none.
UNIT_CODES = {"attempts": "C62", "networks": "C62", "persons": "IE"}


_BOUND_KEYS = {"point": "value", "lower_bound": "minValue", "upper_bound": "maxValue"}


METHOD = (
    "Hand extraction from one news article: each figure is recorded with the exact quote that "
    "states it and the quote's code-point offsets in a byte-exact, hash-pinned snapshot of the "
    "article, and checked against it."
)


LIMITS = (
    "The figures are claims by an official of Morocco's interior ministry as reported by one "
    "outlet, not verified facts; other reports of the same speech word some of them differently "
    "(cross_checks)."
)


BIASES = (
    "Every figure comes from the government whose work it measures; no independent count is "
    "included."
)


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


def _agent(contributor: dict[str, Any], site_url: str | None) -> dict[str, Any]:
    """A contributor of datapackage.json as a schema.org Person (when it gives a given or family
    name) or Organization, its `url` the contributor's `path`. An organisation without a path is
    the project's own group, whose page is the site: it gets the site's address when that is set,
    and no url when not."""
    person = bool(contributor.get("givenName") or contributor.get("familyName"))
    agent = {"@type": "Person" if person else "Organization", "name": contributor["title"]}
    url = contributor.get("path") or (None if person else site_url)
    if url:
        agent["url"] = url
    return agent


def _with_role(package: Package, role: str) -> list[dict[str, Any]]:
    return [c for c in package.descriptor["contributors"] if role in c.get("roles", [])]


def _parties(package: Package, site_url: str | None) -> dict[str, Any]:
    """The creators, and the publishers: the contributors with the role `publisher`, or, while none
    has it, the creators, who publish each release themselves."""
    creators = _with_role(package, "creator")
    publishers = _with_role(package, "publisher") or creators
    return {
        "creator": [_agent(c, site_url) for c in creators],
        "publisher": [_agent(c, site_url) for c in publishers],
    }


def _variables(package: Package) -> list[dict[str, Any]]:
    return [
        {
            "@type": "PropertyValue",
            "propertyID": i["indicator_id"],
            "name": i["label"],
            "description": i["definition"],
            "unitText": i["unit"],
            **({"unitCode": UNIT_CODES[i["unit"]]} if i["unit"] in UNIT_CODES else {}),
        }
        for i in rows_where(package, "indicators")
    ]


def _coverage(package: Package) -> dict[str, Any]:
    statistics = package.tables["statistics"]
    return {
        "temporalCoverage": _period(
            statistics["period_start"].min(), statistics["period_end"].max()
        ),
        "spatialCoverage": [_place(area) for area in dict.fromkeys(statistics["area"])],
    }


def _about(package: Package, site_url: str | None) -> dict[str, Any]:
    """What the site's Dataset and croissant.json both say of the dataset: one function, so they
    cannot differ. The release date of the version is `created` in datapackage.json (CITATION.cff's
    `date-released` is written from it): it is when this version was published and last modified."""
    descriptor = package.descriptor
    primary = the_row(package, "sources", source_role="primary")
    released = package.created.date().isoformat()
    about: dict[str, Any] = {
        "@id": dataset_id(package),
        "name": descriptor["title"],
        "description": descriptor["description"],
        "identifier": descriptor["id"],
        "version": descriptor["version"],
        "datePublished": released,
        "dateModified": released,
        "license": descriptor["licenses"][0]["path"],
        "isAccessibleForFree": True,
        "keywords": descriptor["keywords"],
        "inLanguage": "en",
        **_parties(package, site_url),
        "citation": f"{primary['publisher']}. {primary['title']}. {primary['url']}",
        "isBasedOn": _article(primary),
        "measurementTechnique": METHOD,
        **_coverage(package),
        "variableMeasured": _variables(package),
    }
    if site_url:
        about["url"] = site_url
    return about


def _local_id(site_url: str | None, local: str) -> str:
    """The id of a record set or field: a fragment of croissant.json's address, or, without the
    site's address, the bare name."""
    return f"{link(site_url, CROISSANT_FILE)}#{local}" if site_url else local


def _file_objects(package: Package, site_url: str | None) -> list[dict[str, Any]]:
    """A FileObject with its size and sha256 for every file of the package but datapackage.json;
    its id is the file's address, its contentUrl the path beside croissant.json."""
    return [
        {
            "@type": "cr:FileObject",
            "@id": link(site_url, f["path"]),
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


def _column(csv_path: str, column: str, site_url: str | None) -> dict[str, Any]:
    return {"fileObject": {"@id": link(site_url, csv_path)}, "extract": {"column": column}}


def _references(package: Package, name: str, site_url: str | None) -> dict[str, dict[str, Any]]:
    """Each field of a table that is a foreign key, and the key's file and column it points to."""
    return {
        field: _column(package.resources[key["reference"]["resource"]].path, target, site_url)
        for key in package.resources[name].foreign_keys
        for field, target in zip(key["fields"], key["reference"]["fields"], strict=True)
    }


def _record_set(package: Package, name: str, site_url: str | None) -> dict[str, Any]:
    """A table as a RecordSet: a typed Field per column, read from its CSV, with its key and
    references."""
    resource = package.resources[name]
    references = _references(package, name, site_url)
    fields = [
        {
            "@type": "cr:Field",
            "@id": _local_id(site_url, f"{name}/{f['name']}"),
            "name": f["name"],
            "description": f.get("description", ""),
            "dataType": _FIELD_TYPES[f.get("type", "string")],
            "source": _column(resource.path, f["name"], site_url),
            **({"references": references[f["name"]]} if f["name"] in references else {}),
        }
        for f in resource.fields
    ]
    return {
        "@type": "cr:RecordSet",
        "@id": _local_id(site_url, name),
        "name": name,
        "description": resource.schema.get("description", ""),
        "key": [{"@id": _local_id(site_url, f"{name}/{k}")} for k in resource.primary_key],
        "field": fields,
    }


def croissant(package: Package, site_url: str | None = None) -> dict[str, Any]:
    """The package as Croissant 1.1: a FileObject with sha256 for every CSV and snapshot, a
    RecordSet per table with typed fields, its key and its foreign keys as references. Each
    contentUrl is relative to the document, which sits beside datapackage.json (the site's root,
    the zip's folder); without site_url the ids are too, as the document's rdfs:comment says.
    A reference names the key's file and column: mlcroissant 1.1 joins a reference to another
    record set's field with that set's output and fails to load."""
    relative = {} if site_url else {"rdfs:comment": relative_note(CROISSANT_FILE)}
    return {
        "@context": _CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT,
        **_about(package, site_url),
        **relative,
        "citeAs": cite_as(package, site_url),
        "rai:dataCollection": METHOD,
        "rai:dataLimitations": LIMITS,
        "rai:dataBiases": BIASES,
        "distribution": _file_objects(package, site_url),
        "recordSet": [_record_set(package, name, site_url) for name in package.resources],
    }


def _download(f: dict[str, Any], site_url: str | None) -> dict[str, Any]:
    return {
        "@type": "DataDownload",
        "name": f["name"],
        **({"description": f["description"]} if f.get("description") else {}),
        "encodingFormat": f["mediatype"],
        "contentUrl": link(site_url, f["url"]),
        "contentSize": f"{len(f['data'])} B",
        "sha256": sha256(f["data"]),
    }


def dataset(
    package: Package,
    exports: list[dict[str, Any]],
    site_url: str | None = None,
    catalog_url: str | None = None,
) -> dict[str, Any]:
    """The package as a schema.org Dataset for the site's front page. `exports`: each export served
    by the site, with its `name`, `url` (site path), `mediatype` and `data` (bytes). `catalog_url`:
    the address of a data catalog that lists the dataset (the site's `catalog_url` setting);
    without it the Dataset names no catalog."""
    files = [f | {"url": f["path"]} for f in package_entries(package)]
    document = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        **_about(package, site_url),
        "distribution": [_download(f, site_url) for f in [*files, *exports]],
    }
    if catalog_url:
        catalog = {"@type": "DataCatalog", "url": checked_url(catalog_url, "catalog_url")}
        document["includedInDataCatalog"] = catalog
    return document


def _figure(stat: dict[str, Any], unit: str) -> dict[str, Any]:
    """The figure as a number under the key of its bound (value, minValue or maxValue), with its
    unit and, as the description, the article's wording of it."""
    figure = {
        "@type": "QuantitativeValue",
        _BOUND_KEYS[stat["value_bound"]]: int(stat["value"]),
        "unitText": unit,
    }
    if unit in UNIT_CODES:
        figure["unitCode"] = UNIT_CODES[unit]
    figure["description"] = format_value(stat["value"], stat["value_bound"], unit)
    return figure


def _appearances(package: Package, statistic_id: str) -> list[dict[str, Any]]:
    """The other reports that carry the figure (a cross-check with a reported value)."""
    return [
        _article(the_row(package, "sources", source_id=c["source_id"]))
        for c in rows_where(package, "cross_checks", statistic_id=statistic_id)
        if not pd.isna(c["reported_value"])
    ]


def _evidence(statement: dict[str, Any], stat: dict[str, Any]) -> list[dict[str, Any]]:
    """Each note that gives the evidence for an inferred value, once: the statement's (claim_date),
    then the row's own."""
    notes = [
        r["notes"]
        for r in (statement, stat)
        if not pd.isna(r["inferred_fields"]) and r["inferred_fields"].strip()
    ]
    return [{"@type": "Comment", "text": text} for text in dict.fromkeys(notes)]


def claim(package: Package, statistic_id: str, site_url: str | None = None) -> dict[str, Any]:
    """One statistic as a schema.org Claim: the quote, who said it and when, the figure as a number
    with its bound and unit, the period and place, where it first appeared and which other reports
    carry it."""
    stat = the_row(package, "statistics", statistic_id=statistic_id)
    statement = the_row(package, "statements", statement_id=stat["statement_id"])
    indicator = the_row(package, "indicators", indicator_id=stat["indicator_id"])
    figure = _figure(stat, indicator["unit"])
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "identifier": statistic_id,
        "name": f"{indicator['label']}: {figure['description']}",
        "text": stat["quote"],
        "author": {
            "@type": "Person",
            "name": statement["claimant"],
            "jobTitle": statement["claimant_role"],
        },
        "datePublished": day(statement["claim_date"]),
        "firstAppearance": _article(the_row(package, "sources", source_id=stat["source_id"])),
        "appearance": _appearances(package, statistic_id),
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
    comments = _evidence(statement, stat)
    if comments:
        document["comment"] = comments
    return document


def to_croissant(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    return [atomic(out / CROISSANT_FILE, json_bytes(croissant(package, site_url)))]
