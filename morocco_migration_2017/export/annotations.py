"""Every statistic's quote and every number written in the snapshot as W3C Web Annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..package import Package
from ..presentation import format_value
from .common import atomic, json_bytes, link, relative_note, rows_where, sha256, the_row

ANNOTATIONS_FILE = "annotations.jsonld"


QUOTE_CONTEXT = 32  # characters of prefix and suffix a TextQuoteSelector carries at least


def _occurs_once(text: str, part: str) -> bool:
    """Whether part stands exactly once in text, overlapping occurrences counted."""
    first = text.find(part)
    return first != -1 and text.find(part, first + 1) == -1


def quote_selector(text: str, start: int, end: int) -> dict[str, str]:
    """A TextQuoteSelector for text[start:end] whose prefix and suffix (at least QUOTE_CONTEXT
    characters where the text has them) make it occur once in the text."""
    width = QUOTE_CONTEXT
    while True:
        prefix, suffix = text[max(0, start - width) : start], text[end : end + width]
        if _occurs_once(text, prefix + text[start:end] + suffix):
            return {
                "type": "TextQuoteSelector",
                "exact": text[start:end],
                "prefix": prefix,
                "suffix": suffix,
            }
        width *= 2


def _target(
    package: Package, source_id: str, start: int, end: int, site_url: str | None
) -> dict[str, Any]:
    """The characters start..end (code points, end exclusive) of a source's snapshot, by quote
    and by position."""
    source = the_row(package, "sources", source_id=source_id)
    text = package.snapshots[source["snapshot_path"]]
    return {
        "source": {
            "id": link(site_url, source["snapshot_path"]),
            "type": "Text",
            "format": "text/plain",
            "language": source["language"],
            "sha256": sha256(text.encode("utf-8")),
            "via": source["url"],
        },
        "selector": [
            quote_selector(text, start, end),
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def annotation_id(site_url: str | None, key: str) -> str:
    return f"{link(site_url, ANNOTATIONS_FILE)}#{key}"


# Without the site's address every id is a path relative to annotations.jsonld's own place; the
# collection says so in rdfs:comment, a term the collection's local context defines.
ANNO = "http://www.w3.org/ns/anno.jsonld"
CONTEXT = {"sha256": "https://schema.org/sha256"}
COMMENT_TERM = {"comment": "http://www.w3.org/2000/01/rdf-schema#comment"}


def _statistic(package: Package, stat: dict[str, Any], row: int, site_url: str | None) -> dict:
    """A statistic's quote, described by its id, its value in words and its CSV row."""
    indicator = the_row(package, "indicators", indicator_id=stat["indicator_id"])
    span = stat["quote_start"], stat["quote_end"]
    worded = format_value(stat["value"], stat["value_bound"], indicator["unit"])
    described = f"{worded}: {indicator['label']}"
    csv_row = link(site_url, f"{package.path_of('statistics')}#row={row}")
    return {
        "id": annotation_id(site_url, stat["statistic_id"]),
        "type": "Annotation",
        "motivation": "describing",
        "body": [
            {"type": "TextualBody", "purpose": "identifying", "value": stat["statistic_id"]},
            {"type": "TextualBody", "purpose": "describing", "value": described},
            {"id": csv_row, "format": "text/csv"},
        ],
        "target": _target(package, stat["source_id"], *span, site_url),
    }


def _mention(package: Package, mention: dict[str, Any], site_url: str | None) -> dict[str, Any]:
    """A number written in a snapshot, tagged with its role and linked to its statistic, if any."""
    tag = {"type": "TextualBody", "purpose": "tagging", "value": mention["role"]}
    body: list[dict[str, Any]] = [tag]
    if not pd.isna(mention["statistic_id"]):
        body.append({"id": annotation_id(site_url, mention["statistic_id"]), "type": "Annotation"})
    source, start, end = mention["source_id"], mention["mention_start"], mention["mention_end"]
    return {
        "id": annotation_id(site_url, f"mention-{source}-{start}"),
        "type": "Annotation",
        "motivation": "linking" if len(body) > 1 else "tagging",
        "body": body,
        "target": _target(package, source, start, end, site_url),
    }


def annotations(package: Package, site_url: str | None = None) -> dict[str, Any]:
    """Every statistic's quote and every number written in the snapshot as W3C Web Annotations, in
    one collection. A statistic is named by its row of statistics.csv (RFC 7111 fragment: row 1 is
    the header). Without site_url the ids are relative, as the collection's rdfs:comment says."""
    row_of = {sid: i + 2 for i, sid in enumerate(package.tables["statistics"]["statistic_id"])}
    statistics = rows_where(package, "statistics")
    items = [_statistic(package, s, row_of[s["statistic_id"]], site_url) for s in statistics]
    items += [_mention(package, m, site_url) for m in rows_where(package, "mentions")]
    relative = {} if site_url else {"comment": relative_note(ANNOTATIONS_FILE)}
    return {
        "@context": [ANNO, CONTEXT | (COMMENT_TERM if relative else {})],
        "id": link(site_url, ANNOTATIONS_FILE),
        "type": "AnnotationCollection",
        "label": f"{package.descriptor['title']}: every quote and number, in the snapshot",
        **relative,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def to_annotations(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    return [atomic(out / ANNOTATIONS_FILE, json_bytes(annotations(package, site_url)))]
