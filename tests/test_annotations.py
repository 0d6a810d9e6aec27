"""Issue: W3C Web Annotations. The site serves annotations.jsonld: one Annotation per statistic and one per mention,
each targeting the snapshot (its URL on the site and its sha256) with a TextQuoteSelector and a TextPositionSelector.
An independent implementation (anchorpoint) re-anchors every selector and gets back the offsets of the CSVs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from anchorpoint.textselectors import TextPositionSelector, TextQuoteSelector, TextSelectionError

import plain_checks as pc
from edits import ROOT
from site_build import SITE_URL

pytestmark = pytest.mark.slow
SNAPSHOT = "data/sources/northafricapost-20703.txt"


@pytest.fixture(scope="module")
def collection(site: Path) -> dict[str, Any]:
    return json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))


def items(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["id"].rsplit("#", 1)[1]: item for item in collection["first"]["items"]}


def selectors(annotation: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    by_type = {s["type"]: s for s in annotation["target"]["selector"]}
    return by_type["TextQuoteSelector"], by_type["TextPositionSelector"]


def reanchor(selector: dict[str, Any], text: str) -> tuple[int, int]:
    """Where anchorpoint finds a quote selector, refusing one that matches more than once."""
    quote = TextQuoteSelector(exact=selector["exact"], prefix=selector["prefix"], suffix=selector["suffix"])
    position = quote.as_unique_position(text)
    return position.start, position.end


def expected_spans() -> dict[str, tuple[int, int]]:
    spans = {s["statistic_id"]: (int(s["quote_start"]), int(s["quote_end"])) for s in pc.rows(ROOT, "statistics")}
    for m in pc.rows(ROOT, "mentions"):
        spans[f"mention-{m['source_id']}-{m['mention_start']}"] = (int(m["mention_start"]), int(m["mention_end"]))
    return spans


def test_one_collection_with_an_annotation_per_statistic_and_per_mention(collection: dict[str, Any]) -> None:
    assert collection["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection" and collection["id"] == SITE_URL + "annotations.jsonld"
    assert sorted(items(collection)) == sorted(expected_spans())
    assert collection["total"] == len(collection["first"]["items"]) == len(expected_spans())


def test_every_target_is_the_snapshot_by_its_site_url_and_sha256(collection: dict[str, Any]) -> None:
    digest = hashlib.sha256((ROOT / SNAPSHOT).read_bytes()).hexdigest()
    pins = [s["hash"] for s in json.loads((ROOT / "datapackage.json").read_text())["sources"] if "hash" in s]
    assert pins == [f"sha256:{digest}"]
    for annotation in collection["first"]["items"]:
        assert annotation["target"]["source"]["id"] == SITE_URL + SNAPSHOT
        assert annotation["target"]["source"]["sha256"] == digest


def test_anchorpoint_reanchors_every_selector_to_the_offsets_in_the_csvs(site: Path, collection: dict[str, Any]) -> None:
    text = (site / SNAPSHOT).read_bytes().decode("utf-8")
    spans = expected_spans()
    for key, annotation in items(collection).items():
        quote, position = selectors(annotation)
        assert reanchor(quote, text) == spans[key], key
        assert (position["start"], position["end"]) == spans[key], key
        assert TextPositionSelector(start=position["start"], end=position["end"]).select_text(text) == quote["exact"]


def test_a_quote_without_its_context_is_not_unique(collection: dict[str, Any]) -> None:
    """The re-anchoring can fail: '80' stands twice in the snapshot, so without prefix and suffix it is refused."""
    text = (ROOT / SNAPSHOT).read_bytes().decode("utf-8")
    headline = next(m for m in pc.rows(ROOT, "mentions") if m["mention_text"] == "80" and m["role"] == "headline_value")
    bare = items(collection)[f"mention-{headline['source_id']}-{headline['mention_start']}"]
    with pytest.raises(TextSelectionError):
        reanchor({**selectors(bare)[0], "prefix": "", "suffix": ""}, text)
    assert reanchor(selectors(bare)[0], text) == (int(headline["mention_start"]), int(headline["mention_end"]))


def test_each_mention_points_at_its_statistic(collection: dict[str, Any]) -> None:
    annotations = items(collection)
    for m in pc.rows(ROOT, "mentions"):
        bodies = annotations[f"mention-{m['source_id']}-{m['mention_start']}"]["body"]
        assert {"type": "TextualBody", "purpose": "tagging", "value": m["role"]} in bodies
        linked = [b["id"] for b in bodies if b.get("type") == "Annotation"]
        assert linked == ([f"{SITE_URL}annotations.jsonld#{m['statistic_id']}"] if m["statistic_id"] else [])


def test_the_exports_carry_the_same_annotations(tmp_path: Path, site: Path) -> None:
    from morocco_migration_2017.cli import main

    options = ["--out", str(tmp_path), "--base-url", SITE_URL]
    assert main(["export", "--format", "annotations", *options]) == 0
    exported = json.loads((tmp_path / "annotations.jsonld").read_text(encoding="utf-8"))
    served = json.loads((site / "annotations.jsonld").read_text(encoding="utf-8"))
    assert exported == served


def test_the_context_grows_until_the_quote_is_unique() -> None:
    from morocco_migration_2017.export import QUOTE_CONTEXT, quote_selector

    text = "x" * 100 + "80" + "x" * 100 + "80" + "x" * 100
    for start in (100, 202):
        selector = quote_selector(text, start, start + 2)
        assert len(selector["prefix"]) > QUOTE_CONTEXT or len(selector["suffix"]) > QUOTE_CONTEXT
        assert reanchor(selector, text) == (start, start + 2)
