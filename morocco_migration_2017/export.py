"""The package in other formats, generated from it and never edited: xlsx, Parquet, SQLite (+ Datasette
metadata), JSON, a zip of the Data Package itself, Croissant 1.1 and W3C Web Annotations; and the schema.org
markup of the docs site (a Dataset, a Claim per statistic), built here so the site and the files say the same.
Byte-reproducible: every timestamp is the package's `created`. Needs the `[export]` extra (openpyxl, pyarrow,
pyyaml); load() and validate never import this module.

The front page's Dataset and croissant.json describe one dataset, with one `@id`, and the properties they share
come from one function (`_about`); they stay two documents. The page's Dataset is what search engines read in
the HTML: light, with absolute URLs when the site's address is set, and a distribution of every file and export.
croissant.json is what loaders read: record sets, typed fields, keys and checksums, with paths relative to
itself, so the same bytes work on the site, in the zip and from `export`, offline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pandas as pd

from .package import Package, Resource, constraints, open_package, package_files, read_file
from .presentation import format_value

NAME = "morocco-migration-2017"
_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "string": "TEXT", "date": "TEXT"}


def records(package: Package, name: str) -> list[dict[str, Any]]:
    """Rows as plain Python values: int, float, str, ISO date text, None for empty."""
    kinds = {f["name"]: f.get("type", "string") for f in package.resources[name].fields}
    return [{k: _plain(v, kinds[k]) for k, v in row.items()} for row in package.tables[name].to_dict("records")]


def citation(package: Package) -> str:
    descriptor, article = package.descriptor, _one(package, "sources", source_role="primary")
    return (
        f"{descriptor['contributors'][0]['title']} ({package.created.year}). {descriptor['title']}, version "
        f"{descriptor['version']} ({descriptor['id']}). "
        f"Cite the original article as well: {article['publisher']}, {article['title']}, {article['url']}"
    )


def _plain(value: Any, kind: str) -> Any:
    if pd.isna(value):
        return None
    return {"date": lambda v: v.date().isoformat(), "integer": int, "number": float}.get(kind, str)(value)


def _atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temp, 0o644)
    os.replace(temp, path)
    return path


def _pinned_zip(entries: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip whose bytes depend only on its entries: fixed order, fixed timestamps, fixed permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def to_xlsx(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = "About"
    about.append(["Dataset", package.descriptor["title"]])
    for key in ("description", "version", "id"):
        about.append([key.capitalize(), package.descriptor[key]])
    about.append(["Licence", f"{package.descriptor['licenses'][0]['name']}: {package.descriptor['licenses'][0]['title']}"])
    about.append(["How to cite", citation(package)])
    about.append([])
    about.append(["Sheet", "Field", "Type", "Description"])
    for name, resource in package.resources.items():
        for field in resource.fields:
            about.append([name, field["name"], field.get("type", "string"), field.get("description", "")])
    for name, resource in package.resources.items():
        sheet = book.create_sheet(name)
        sheet.append(resource.field_names)
        for record in records(package, name):
            sheet.append([_xlsx_value(record[f["name"]], f) for f in resource.fields])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is text, never a formula, whatever it starts with
                elif isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
    book.properties.created = book.properties.modified = package.created
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        entries = [(info.filename, saved.read(info)) for info in saved.infolist()]
    # openpyxl stamps the save time as "modified"; pin it to the package's date like every other timestamp.
    stamp = package.created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [(n, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, d)) for n, d in entries]
    return [_atomic(out / f"{NAME}.xlsx", _pinned_zip(entries, package.created))]


def _xlsx_value(value: Any, field: dict[str, Any]) -> Any:
    return dt.datetime.fromisoformat(value) if value is not None and field.get("type") == "date" else value


def to_parquet(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string(), "date": pa.date32()}
    written = []
    for name, resource in package.resources.items():
        fields = [
            pa.field(f["name"], kinds[f.get("type", "string")], not constraints(f).get("required"), _parquet_metadata(f))
            for f in resource.fields
        ]
        schema = pa.schema(fields, metadata={"package": NAME, "version": package.descriptor["version"], "table": name})
        rows = records(package, name)
        columns = {f["name"]: [_parquet_value(r[f["name"]], f) for r in rows] for f in resource.fields}
        buffer = io.BytesIO()
        pq.write_table(pa.table(columns, schema=schema), buffer)
        written.append(_atomic(out / "parquet" / f"{name}.parquet", buffer.getvalue()))
    return written


def _parquet_metadata(field: dict[str, Any]) -> dict[str, str]:
    """The Table Schema's words for a column: title, type, constraints (as JSON) and description."""
    return {
        "title": field.get("title", ""),
        "type": field.get("type", "string"),
        "constraints": json.dumps(field.get("constraints", {}), ensure_ascii=False, sort_keys=True),
        "description": field.get("description", ""),
    }


def _parquet_value(value: Any, field: dict[str, Any]) -> Any:
    return dt.date.fromisoformat(value) if value is not None and field.get("type") == "date" else value


def _create_table(resource: Resource) -> str:
    columns = [
        f'"{f["name"]}" {_SQL_TYPES[f.get("type", "string")]}'
        + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
        for f in resource.fields
    ]
    columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in resource.primary_key) + ")")
    for key in resource.foreign_keys:
        target = key["reference"]
        columns.append(
            f'FOREIGN KEY ({", ".join(key["fields"])}) REFERENCES "{target["resource"]}" ({", ".join(target["fields"])})'
        )
    return f'CREATE TABLE "{resource.name}" (\n  ' + ",\n  ".join(columns) + "\n)"


def datasette_metadata(package: Package, database: str) -> dict[str, Any]:
    """The metadata.json Datasette reads: titles, descriptions (of tables and columns), licence, source."""
    article = package.descriptor["sources"][0]
    tables = {
        name: {
            "title": package.descriptor["resources"][i]["title"],
            "description": resource.schema.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in resource.fields},
        }
        for i, (name, resource) in enumerate(package.resources.items())
    }
    return {
        "title": package.descriptor["title"],
        "description": package.descriptor["description"],
        "license": package.descriptor["licenses"][0]["name"],
        "license_url": package.descriptor["licenses"][0]["path"],
        "source": article["title"],
        "source_url": article["path"],
        "databases": {database: {"tables": tables}},
    }


def to_sqlite(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=out, prefix=f".{NAME}.", suffix=".db")
    os.close(handle)
    with sqlite3.connect(temp) as db:
        for name, resource in package.resources.items():
            db.execute(_create_table(resource))
            marks = ", ".join("?" for _ in resource.fields)
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', [tuple(r.values()) for r in records(package, name)])
    db.close()
    os.chmod(temp, 0o644)
    os.replace(temp, out / f"{NAME}.db")
    metadata = json.dumps(datasette_metadata(package, NAME), indent=2, ensure_ascii=False) + "\n"
    return [out / f"{NAME}.db", _atomic(out / "metadata.json", metadata.encode("utf-8"))]


def to_json(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    document = {
        "name": NAME,
        "version": package.descriptor["version"],
        "tables": {name: records(package, name) for name in package.resources},
    }
    return [_atomic(out / f"{NAME}.json", (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))]


def to_zip(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    """The Data Package's own files, with croissant.json and annotations.jsonld beside datapackage.json."""
    entries = [(f"{NAME}/{path}", package.read(path)) for path in package_files(package.descriptor)]
    entries += [
        (f"{NAME}/{CROISSANT_FILE}", _json_bytes(croissant(package, site_url))),
        (f"{NAME}/{ANNOTATIONS_FILE}", _json_bytes(annotations(package, site_url))),
    ]
    return [_atomic(out / f"{NAME}.zip", _pinned_zip(entries, package.created))]


# Linked data: Croissant, Web Annotations and the schema.org markup of the site -----------------------------------

CROISSANT = "http://mlcommons.org/croissant/1.1"
CROISSANT_FILE, ANNOTATIONS_FILE = "croissant.json", "annotations.jsonld"
LINKED_TYPES = {CROISSANT_FILE: f'application/ld+json; profile="{CROISSANT}"', ANNOTATIONS_FILE: "application/ld+json"}
_FIELD_TYPES = {"integer": "sc:Integer", "number": "sc:Float", "string": "sc:Text", "date": "sc:Date"}
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
QUOTE_CONTEXT = 32  # characters of prefix and suffix a TextQuoteSelector carries at least


def _link(site_url: str | None, path: str) -> str:
    """A package or site path as a URL: absolute under the site's address when it is known, else relative."""
    return urljoin(site_url, path) if site_url else path


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _day(value: Any) -> str | None:
    return None if pd.isna(value) else value.date().isoformat()


def _rows(package: Package, table: str, **match: Any) -> list[dict[str, Any]]:
    return [row for row in package.tables[table].to_dict("records") if all(row[k] == v for k, v in match.items())]


def _one(package: Package, table: str, **match: Any) -> dict[str, Any]:
    (row,) = _rows(package, table, **match)
    return row


def _place(area: str) -> dict[str, Any]:
    place = {"@type": "Place", "name": area}
    if area in PLACES:
        place["sameAs"] = PLACES[area]
    return place


def _period(start: Any, end: Any) -> str | None:
    """An ISO 8601 interval, '..' for an open start; None when the source gives no period."""
    if pd.isna(start) and pd.isna(end):
        return None
    return f"{_day(start) or '..'}/{_day(end) or '..'}"


def _article(source: dict[str, Any]) -> dict[str, Any]:
    article = {
        "@type": "NewsArticle",
        "headline": source["title"],
        "url": source["url"],
        "publisher": {"@type": "Organization", "name": source["publisher"]},
        "inLanguage": source["language"],
    }
    if not pd.isna(source["published"]):
        article["datePublished"] = _day(source["published"])
    return article


def dataset_id(package: Package) -> str:
    return f"urn:uuid:{package.descriptor['id']}"


def _about(package: Package, site_url: str | None) -> dict[str, Any]:
    """What the site's Dataset and croissant.json both say of the dataset: one function, so they cannot differ."""
    descriptor, statistics = package.descriptor, package.tables["statistics"]
    primary = _one(package, "sources", source_role="primary")
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
            {"@type": "Organization", "name": c["title"], **({"url": c["path"]} if c.get("path") else {})} for c in creators
        ],
        "citation": f"{primary['publisher']}. {primary['title']}. {primary['url']}",
        "isBasedOn": _article(primary),
        "measurementTechnique": METHOD,
        "temporalCoverage": _period(statistics["period_start"].min(), statistics["period_end"].max()),
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
            for i in _rows(package, "indicators")
        ],
    }
    if site_url:
        about["url"] = site_url
    return about


def _file(path: str, data: bytes, mediatype: str, description: str) -> dict[str, Any]:
    return {"name": Path(path).name, "path": path, "data": data, "mediatype": mediatype, "description": description}


def _package_files(package: Package) -> list[dict[str, Any]]:
    """The descriptor, each CSV and each pinned snapshot: name, package path, bytes, media type, description."""
    descriptor = package.descriptor
    about = "The Data Package descriptor (v2): resources, Table Schemas, sources, licence."
    files = [_file("datapackage.json", package.raw["datapackage.json"], "application/json", about)]
    for resource in descriptor["resources"]:
        files.append(_file(resource["path"], package.raw[resource["path"]], "text/csv", resource.get("description", "")))
    for path, text in package.snapshots.items():
        source = next(s for s in descriptor["sources"] if s.get("path") == path)
        files.append(_file(path, text.encode("utf-8"), "text/plain", source["title"]))
    return files


def cite_as(package: Package) -> str:
    """BibTeX for the dataset, from CITATION.cff where the package has one (a checkout), else from the descriptor."""
    import yaml

    cff = package.root / "CITATION.cff"
    about = yaml.safe_load(read_file(package.root, "CITATION.cff").decode("utf-8")) if cff.is_file() else {}
    authors = [
        a.get("name") or f"{a.get('given-names', '')} {a.get('family-names', '')}".strip() for a in about.get("authors", [])
    ]
    authors = authors or [c["title"] for c in package.descriptor["contributors"]]
    version = str(about.get("version", package.descriptor["version"]))
    year = str(about.get("date-released", package.created.date()))[:4]
    entry = {
        "author": " and ".join(f"{{{name}}}" for name in authors),
        "title": about.get("title", package.descriptor["title"]),
        "version": version,
        "year": year,
        "note": " ".join(str(about.get("message", "")).split()),
    }
    fields = ",\n".join(f"  {key} = {{{value}}}" for key, value in entry.items() if value)
    return f"@misc{{{NAME}-{version},\n{fields}\n}}"


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
            "sha256": _sha256(f["data"]),
        }
        for f in _package_files(package)
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
                field["references"] = {"fileObject": {"@id": csv_ids[table]}, "extract": {"column": column}}
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


def _occurs_once(text: str, part: str) -> bool:
    """Whether part stands exactly once in text, overlapping occurrences counted."""
    first = text.find(part)
    return first != -1 and text.find(part, first + 1) == -1


def quote_selector(text: str, start: int, end: int) -> dict[str, str]:
    """A TextQuoteSelector for text[start:end] whose prefix and suffix (at least QUOTE_CONTEXT characters where
    the text has them) make it occur once in the text."""
    width = QUOTE_CONTEXT
    while True:
        prefix, suffix = text[max(0, start - width) : start], text[end : end + width]
        if _occurs_once(text, prefix + text[start:end] + suffix):
            return {"type": "TextQuoteSelector", "exact": text[start:end], "prefix": prefix, "suffix": suffix}
        width *= 2


def _target(package: Package, source_id: str, start: int, end: int, site_url: str | None) -> dict[str, Any]:
    """The characters start..end (code points, end exclusive) of a source's snapshot, by quote and by position."""
    source = _one(package, "sources", source_id=source_id)
    text = package.snapshots[source["snapshot_path"]]
    return {
        "source": {
            "id": _link(site_url, source["snapshot_path"]),
            "type": "Text",
            "format": "text/plain",
            "language": source["language"],
            "sha256": _sha256(text.encode("utf-8")),
            "via": source["url"],
        },
        "selector": [
            quote_selector(text, start, end),
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def annotation_id(site_url: str | None, key: str) -> str:
    return f"{_link(site_url, ANNOTATIONS_FILE)}#{key}"


def annotations(package: Package, site_url: str | None = None) -> dict[str, Any]:
    """Every statistic's quote and every number written in the snapshot as W3C Web Annotations, in one collection.
    A statistic is named by its row of statistics.csv (RFC 7111 fragment: row 1 is the header)."""
    rows = {sid: i + 2 for i, sid in enumerate(package.tables["statistics"]["statistic_id"])}
    statistics_csv = package.path_of("statistics")
    items = []
    for stat in _rows(package, "statistics"):
        indicator = _one(package, "indicators", indicator_id=stat["indicator_id"])
        worded = format_value(stat["value"], stat["value_bound"], indicator["unit"])
        items.append(
            {
                "id": annotation_id(site_url, stat["statistic_id"]),
                "type": "Annotation",
                "motivation": "describing",
                "body": [
                    {"type": "TextualBody", "purpose": "identifying", "value": stat["statistic_id"]},
                    {"type": "TextualBody", "purpose": "describing", "value": f"{worded}: {indicator['label']}"},
                    {"id": _link(site_url, f"{statistics_csv}#row={rows[stat['statistic_id']]}"), "format": "text/csv"},
                ],
                "target": _target(package, stat["source_id"], stat["quote_start"], stat["quote_end"], site_url),
            }
        )
    for mention in _rows(package, "mentions"):
        body: list[dict[str, Any]] = [{"type": "TextualBody", "purpose": "tagging", "value": mention["role"]}]
        if not pd.isna(mention["statistic_id"]):
            body.append({"id": annotation_id(site_url, mention["statistic_id"]), "type": "Annotation"})
        items.append(
            {
                "id": annotation_id(site_url, f"mention-{mention['source_id']}-{mention['mention_start']}"),
                "type": "Annotation",
                "motivation": "linking" if len(body) > 1 else "tagging",
                "body": body,
                "target": _target(package, mention["source_id"], mention["mention_start"], mention["mention_end"], site_url),
            }
        )
    return {
        "@context": ["http://www.w3.org/ns/anno.jsonld", {"sha256": "https://schema.org/sha256"}],
        "id": _link(site_url, ANNOTATIONS_FILE),
        "type": "AnnotationCollection",
        "label": f"{package.descriptor['title']}: every quote and number, in the snapshot",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def dataset(package: Package, exports: list[dict[str, Any]], site_url: str | None = None) -> dict[str, Any]:
    """The package as a schema.org Dataset for the site's front page. `exports`: each export served by the site,
    with its `name`, `url` (site path), `mediatype` and `data` (bytes)."""
    files = [f | {"url": f["path"]} for f in _package_files(package)]
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
                "contentUrl": _link(site_url, f["url"]),
                "contentSize": f"{len(f['data'])} B",
                "sha256": _sha256(f["data"]),
            }
            for f in [*files, *exports]
        ],
    }


def claim(package: Package, statistic_id: str, site_url: str | None = None) -> dict[str, Any]:
    """One statistic as a schema.org Claim: the quote, who said it and when, the figure as a number with its bound
    and unit, the period and place, where it first appeared and which other reports carry it."""
    stat = _one(package, "statistics", statistic_id=statistic_id)
    statement = _one(package, "statements", statement_id=stat["statement_id"])
    indicator = _one(package, "indicators", indicator_id=stat["indicator_id"])
    worded = format_value(stat["value"], stat["value_bound"], indicator["unit"])
    figure = {
        "@type": "QuantitativeValue",
        _BOUND_KEYS[stat["value_bound"]]: int(stat["value"]),
        "unitText": indicator["unit"],
    }
    if indicator["unit"] in UNIT_CODES:
        figure["unitCode"] = UNIT_CODES[indicator["unit"]]
    figure["description"] = worded
    others = [c for c in _rows(package, "cross_checks", statistic_id=statistic_id) if not pd.isna(c["reported_value"])]
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "identifier": statistic_id,
        "name": f"{indicator['label']}: {worded}",
        "text": stat["quote"],
        "author": {"@type": "Person", "name": statement["claimant"], "jobTitle": statement["claimant_role"]},
        "datePublished": _day(statement["claim_date"]),
        "firstAppearance": _article(_one(package, "sources", source_id=stat["source_id"])),
        "appearance": [_article(_one(package, "sources", source_id=c["source_id"])) for c in others],
        "about": {
            "@type": "PropertyValue",
            "propertyID": indicator["indicator_id"],
            "name": indicator["label"],
            "description": indicator["definition"],
            "value": figure,
        },
        "spatialCoverage": _place(stat["area"]),
        "subjectOf": {"@id": annotation_id(site_url, statistic_id)},
        "isPartOf": {"@type": "Dataset", "@id": dataset_id(package), "name": package.descriptor["title"]},
    }
    period = _period(stat["period_start"], stat["period_end"])
    if period:
        document["temporalCoverage"] = period
    # Each note that gives the evidence for an inferred value, once: the statement's (claim_date), the row's own.
    notes = [r["notes"] for r in (statement, stat) if not pd.isna(r["inferred_fields"]) and r["inferred_fields"].strip()]
    if notes:
        document["comment"] = [{"@type": "Comment", "text": text} for text in dict.fromkeys(notes)]
    return document


def to_croissant(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    return [_atomic(out / CROISSANT_FILE, _json_bytes(croissant(package, site_url)))]


def to_annotations(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    return [_atomic(out / ANNOTATIONS_FILE, _json_bytes(annotations(package, site_url)))]


def _json_bytes(document: Any) -> bytes:
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


# Each writer takes the package, the folder to write into, and the site's address (or None) for the formats that
# link to the site; croissant.json and annotations.jsonld name files relative to the package's root.
WRITERS: dict[str, Callable[[Package, Path, str | None], list[Path]]] = {
    "xlsx": to_xlsx,
    "parquet": to_parquet,
    "sqlite": to_sqlite,
    "json": to_json,
    "zip": to_zip,
    "croissant": to_croissant,
    "annotations": to_annotations,
}


def write(package: Package, formats: list[str], out: str | Path, site_url: str | None = None) -> list[Path]:
    """Write each format of an opened package into out; returns the files written."""
    return [path for fmt in dict.fromkeys(formats) for path in WRITERS[fmt](package, Path(out), site_url)]


def export(
    formats: list[str], out: str | Path = "dist/exports", root: str | Path | None = None, site_url: str | None = None
) -> list[Path]:
    """Write each format into out; returns the files written. The tables are validated (pandera) first."""
    return write(open_package(root, validate=True), formats, out, site_url)


__all__ = ["WRITERS", "annotations", "claim", "croissant", "dataset", "datasette_metadata", "export", "write"]
