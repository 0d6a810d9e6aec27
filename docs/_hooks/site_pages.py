"""MkDocs hook: generate the site's data pages from the package files at build time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import site_render as render  # beside this hook: MkDocs puts the hook's folder on sys.path
from morocco_migration_2017.safe_read import read_descriptor, read_file
from morocco_migration_2017.table_schema import category_labels, open_package, package_files

PLACEHOLDER = re.compile(r"<!-- generated:([a-z-]+) -->")


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _pages(root: Path) -> dict[str, str]:
    tables = render.read_tables(root)
    resources = open_package(root)[2]
    pins = {s["path"]: s for s in read_descriptor(root).get("sources", []) if "hash" in s}
    snapshots = {
        s["source_id"]: read_file(root, s["snapshot_path"]).decode("utf-8") for s in tables["sources"] if s["snapshot_path"]
    }
    primary = next(s for s in tables["sources"] if s["source_role"] == "primary")
    header = resources["statistics"].field_names
    pages = {
        f"statistics/{s['statistic_id']}.md": render.statistic_page(s, tables, snapshots[s["source_id"]], header)
        for s in tables["statistics"]
    }
    pages["statistics/index.md"] = "# Statistics\n\n" + render.statistics_table(tables, "") + "\n"
    pages["data-dictionary.md"] = render.data_dictionary(root, tables)
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
    return pages


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = _root(config)
    for uri, content in _pages(root).items():
        files.append(File.generated(config, uri, content=content))
    for path in package_files(read_descriptor(root)):
        files.append(File.generated(config, path, content=read_file(root, path)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    tables = render.read_tables(_root(config))
    generated = {
        "statistics-table": lambda: render.statistics_table(tables, "statistics/"),
        "inferred-table": lambda: render.inferred_table(tables, "statistics/"),
    }

    def fill(match: re.Match[str]) -> str:
        if match.group(1) not in generated:
            raise ValueError(f"{page.file.src_uri}: no generator for placeholder {match.group(1)!r}")
        return generated[match.group(1)]()

    return PLACEHOLDER.sub(fill, markdown)
