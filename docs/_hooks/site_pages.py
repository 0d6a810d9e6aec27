"""MkDocs hook: generate the site's data pages, downloads and structured data from the package at build time."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import site_figures  # beside this hook: MkDocs puts the hook's folder on sys.path
import site_jsonld
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import site_render as render
from morocco_migration_2017.export import WRITERS, export
from morocco_migration_2017.package import category_labels, open_package, package_files, read_file

PLACEHOLDER = re.compile(r"<!-- generated:([a-z-]+) -->")
# What each download is for, by the ending of its file name.
PURPOSES = {
    ".xlsx": (
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "spreadsheets: Excel, LibreOffice, Google Sheets",
    ),
    ".parquet": ("Parquet", "application/vnd.apache.parquet", "Python, R and Arrow tools, with the column types stored"),
    ".db": ("SQLite", "application/vnd.sqlite3", "Datasette and any SQL client, with keys and descriptions"),
    "metadata.json": ("Datasette metadata", "application/json", "titles, descriptions and licence for Datasette"),
    ".json": ("JSON", "application/json", "web pages and scripts: typed records per table"),
    ".zip": ("Data Package (zip)", "application/zip", "the archive: descriptor, CSVs, schemas and snapshot"),
}
_BUILT: dict[str, Any] = {}


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _downloads() -> list[dict[str, Any]]:
    """Every export, built now from the package, with its name, size, sha256 and purpose."""
    with tempfile.TemporaryDirectory() as folder:
        written = export(list(WRITERS), folder, _BUILT["root"])
        found = []
        for path in written:
            data = path.read_bytes()
            key = path.name if path.name == "metadata.json" else path.suffix
            kind, mediatype, purpose = PURPOSES[key]
            url = "downloads/" + path.relative_to(folder).as_posix()
            found.append(
                {
                    "name": path.name,
                    "url": url,
                    "kind": kind,
                    "mediatype": mediatype,
                    "purpose": purpose,
                    "bytes": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "data": data,
                }
            )
    return found


def downloads_page(downloads: list[dict[str, Any]]) -> str:
    lines = [
        "# Downloads",
        "",
        "Every file below is generated from the data package when this site is built (`morocco-migration-2017 export`),",
        "never edited by hand, and byte-for-byte reproducible: the same package gives the same bytes.",
        "",
        "| File | Format | Size | SHA-256 | For |",
        "|---|---|---|---|---|",
    ]
    for d in downloads:
        lines.append(
            f"| [{d['name']}]({d['url']}) | {d['kind']} | {d['bytes']:,} bytes "
            f"| <code>{d['sha256']}</code> | {d['purpose']} |"
        )
    return "\n".join([*lines, "", "See [Use it with…](use-it-with.md) for how each tool opens them.", ""])


def _pages(root: Path) -> dict[str, str]:
    tables, descriptor = _BUILT["tables"], _BUILT["descriptor"]
    resources = _BUILT["resources"]
    pins = {s["path"]: s for s in descriptor.get("sources", []) if "hash" in s}
    snapshots = {
        s["source_id"]: read_file(root, s["snapshot_path"]).decode("utf-8") for s in tables["sources"] if s["snapshot_path"]
    }
    primary = next(s for s in tables["sources"] if s["source_role"] == "primary")
    header = resources["statistics"].field_names
    pages = {
        f"statistics/{s['statistic_id']}.md": render.statistic_page(s, tables, snapshots[s["source_id"]], header)
        + "\n[Download the whole dataset](../downloads.md) as a spreadsheet, Parquet, SQLite, JSON or a zip.\n\n"
        + site_jsonld.script(site_jsonld.claim(s, tables, descriptor))
        + "\n"
        for s in tables["statistics"]
    }
    pages["statistics/index.md"] = "# Statistics\n\n" + render.statistics_table(tables, "") + "\n"
    pages["data-dictionary.md"] = render.data_dictionary(resources, tables)
    roles = category_labels(resources["mentions"].field("role"))
    pages["source.md"] = (
        f"# Annotated source\n\nThe whole snapshot of *{primary['title']}* ({primary['short_name']}), "
        "with every number highlighted by its role and linked to the statistic it states or bounds. "
        f"{len(tables['mentions'])} mentions are recorded in `data/mentions.csv`.\n\n"
        + render.annotated_source(snapshots[primary["source_id"]], tables["mentions"], roles, "../statistics/")
    )
    pages["sources.md"] = render.sources_page(tables, pins)
    pages["cross-checks.md"] = render.cross_checks_page(tables, "statistics/")
    pages["cite.md"] = render.cite_page(yaml.safe_load(read_file(root, "CITATION.cff").decode("utf-8")))
    results = root / "benchmarks" / "results" / "latest.json"
    pages["performance.md"] = render.performance_page(json.loads(results.read_text()) if results.is_file() else None)
    pages["changelog.md"] = read_file(root, "CHANGELOG.md").decode("utf-8")
    pages["downloads.md"] = downloads_page(_BUILT["downloads"])
    return pages


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = _root(config)
    pkg = open_package(root)
    root, descriptor, resources = pkg.root, pkg.descriptor, pkg.resources  # read once, safely, for every page
    _BUILT.update(root=root, descriptor=descriptor, resources=resources, tables=render.read_tables(root, resources))
    _BUILT["downloads"] = _downloads()
    for uri, content in _pages(root).items():
        files.append(File.generated(config, uri, content=content))
    for path in package_files(_BUILT["descriptor"]):
        files.append(File.generated(config, path, content=read_file(root, path)))
    for download in _BUILT["downloads"]:
        files.append(File.generated(config, download["url"], content=download["data"]))
    return files


def limits_sentence() -> str:
    """The validator's limits as the code sets them, so the methodology cannot drift from them."""
    from morocco_migration_2017 import package, provenance, validation

    return (
        f"Files are read up to {package.MAX_FILE_BYTES // 2**20} MiB each, JSON files up to "
        f"{package.MAX_JSON_BYTES // 2**20} MiB and {package.MAX_JSON_DEPTH} levels deep; a cell may be as large "
        "as its file (the `csv` module's 131,072-character limit is raised to match, for Frictionless too). Each "
        f"stage runs under a time budget (`--timeout`, {validation.STAGE_SECONDS:g} s by default), so a pattern that "
        f"backtracks is stopped and reported rather than left to hang. Dates must lie between "
        f"{provenance.EARLIEST_DATE.date()} (Morocco's independence) and the package's `created` date."
    )


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    tables = _BUILT["tables"]
    generated = {
        "statistics-table": lambda: render.statistics_table(tables, "statistics/"),
        "inferred-table": lambda: render.inferred_table(tables, "statistics/"),
        "lead": lambda: site_figures.lead(tables),
        "limits": limits_sentence,
        "figure-cards": lambda: site_figures.figure_cards(tables, "statistics/"),
        "timeline": lambda: site_figures.timeline_svg(tables),
        "dataset-jsonld": lambda: site_jsonld.script(site_jsonld.dataset(_BUILT["descriptor"], tables, _BUILT["downloads"])),
    }

    def fill(match: re.Match[str]) -> str:
        if match.group(1) not in generated:
            raise ValueError(f"{page.file.src_uri}: no generator for placeholder {match.group(1)!r}")
        return generated[match.group(1)]()

    return PLACEHOLDER.sub(fill, markdown)
