"""The Data Package itself as one zip, with croissant.json, annotations.jsonld and the Hugging Face
dataset card (README.md) beside datapackage.json."""

from __future__ import annotations

from pathlib import Path

from ..package import Package, package_files
from .annotations import ANNOTATIONS_FILE, annotations
from .card import CARD_FILE, card
from .common import NAME, atomic, json_bytes, pinned_zip
from .linked import CROISSANT_FILE, croissant


def to_zip(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    """The Data Package's own files, with croissant.json, annotations.jsonld and README.md (a
    dataset card that datasets.load_dataset reads) beside datapackage.json."""
    entries = [(f"{NAME}/{path}", package.read(path)) for path in package_files(package.descriptor)]
    entries += [
        (f"{NAME}/{CROISSANT_FILE}", json_bytes(croissant(package, site_url))),
        (f"{NAME}/{ANNOTATIONS_FILE}", json_bytes(annotations(package, site_url))),
        (f"{NAME}/{CARD_FILE}", card(package, site_url).encode("utf-8")),
    ]
    return [atomic(out / f"{NAME}.zip", pinned_zip(entries, package.created))]
