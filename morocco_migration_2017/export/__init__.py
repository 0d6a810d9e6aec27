"""The package in other formats, generated from it and never edited: xlsx, Parquet, SQLite
(+ Datasette metadata), JSON, a zip of the Data Package itself, Croissant 1.1 and W3C Web
Annotations; and the schema.org markup of the docs site. One module a family of formats; this one
holds the registry of writers. Needs the `[export]` extra (openpyxl, pyyaml); load*, validate,
verify and show never import this package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..package import Package
from ..validation import open_package
from .annotations import (
    ANNOTATIONS_FILE,
    QUOTE_CONTEXT,
    annotations,
    quote_selector,
    to_annotations,
)
from .bundle import to_zip
from .common import NAME, base_url, citation, records
from .linked import (
    CROISSANT_FILE,
    LINKED_TYPES,
    claim,
    croissant,
    dataset,
    dataset_id,
    to_croissant,
)
from .sqlite import datasette_metadata, to_sqlite
from .tables import to_json, to_parquet, to_xlsx

# Each writer takes the package, the folder to write into, and the site's address (or None) for
# the formats that link to the site; croissant.json and annotations.jsonld name files relative to
# the package's root.
WRITERS: dict[str, Callable[[Package, Path, str | None], list[Path]]] = {
    "xlsx": to_xlsx,
    "parquet": to_parquet,
    "sqlite": to_sqlite,
    "json": to_json,
    "zip": to_zip,
    "croissant": to_croissant,
    "annotations": to_annotations,
}


def write(
    package: Package, formats: list[str], out: str | Path, site_url: str | None = None
) -> list[Path]:
    """Write each format of an opened package into out; returns the files written."""
    return [
        path
        for fmt in dict.fromkeys(formats)
        for path in WRITERS[fmt](package, Path(out), site_url)
    ]


EXTRA_MODULES = (
    "openpyxl",
    "yaml",
)  # what the [export] extra installs (pyarrow is a core dependency)


def missing_extra() -> list[str]:
    """The modules of the [export] extra that this environment lacks.

    Checked before anything is read or written."""
    from importlib.util import find_spec

    return [name for name in EXTRA_MODULES if find_spec(name) is None]


def export(
    formats: list[str],
    out: str | Path = "dist/exports",
    root: str | Path | None = None,
    site_url: str | None = None,
    setting: str = "--base-url",
) -> list[Path]:
    """Write each format into out; returns the files written.

    The tables are validated (every stage) first. ImportError, before anything is written,
    without the [export] extra. site_url, the site's address (annotation ids are absolute under
    it), is checked (PackageError naming the setting it came from) and ends in '/'."""
    site_url = base_url(site_url, setting) if site_url else None  # empty: unset
    missing = missing_extra()
    if missing:
        raise ImportError(f"No module named {missing[0]!r}")
    return write(open_package(root, validate=True), formats, out, site_url)


__all__ = [
    "ANNOTATIONS_FILE",
    "CROISSANT_FILE",
    "LINKED_TYPES",
    "NAME",
    "QUOTE_CONTEXT",
    "WRITERS",
    "annotations",
]
__all__ += [
    "base_url",
    "citation",
    "claim",
    "croissant",
    "dataset",
    "dataset_id",
    "datasette_metadata",
    "export",
    "quote_selector",
]
__all__ += ["records", "write"]
