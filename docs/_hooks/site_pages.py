"""MkDocs hook: generate the site's data pages, downloads and structured data from the package.

Every generated page is rendered at build time, from the package as read once.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from html import escape
from pathlib import Path
from typing import Any

import site_figures  # beside this hook: MkDocs puts the hook's folder on sys.path
import site_jsonld
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

import site_render as render
from morocco_migration_2017 import export
from morocco_migration_2017.package import Package, package_files
from morocco_migration_2017.reading import read_file
from morocco_migration_2017.validation import open_package

PLACEHOLDER = re.compile(r"<!-- generated:([a-z-]+) -->")
# What each download is for, by the ending of its file name.
PURPOSES = {
    ".xlsx": (
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "spreadsheets: Excel, LibreOffice, Google Sheets",
    ),
    ".parquet": (
        "Parquet",
        "application/vnd.apache.parquet",
        "Python, R and Arrow tools, with the column types stored",
    ),
    ".db": (
        "SQLite",
        "application/vnd.sqlite3",
        "Datasette and any SQL client, with keys and descriptions",
    ),
    "metadata.json": (
        "Datasette metadata",
        "application/json",
        "titles, descriptions and licence for Datasette",
    ),
    ".json": ("JSON", "application/json", "web pages and scripts: typed records per table"),
    ".zip": (
        "Data Package (zip)",
        "application/zip",
        "the archive: descriptor, CSVs, schemas, snapshot and a Hugging Face dataset card",
    ),
    export.CROISSANT_FILE: (
        "Croissant 1.1",
        export.LINKED_TYPES[export.CROISSANT_FILE],
        "machine-learning loaders and dataset search: record sets, types, keys, checksums",
    ),
    export.ANNOTATIONS_FILE: (
        "Web Annotations",
        export.LINKED_TYPES[export.ANNOTATIONS_FILE],
        "annotation tools: every quote and number, anchored in the snapshot",
    ),
}
AT_ROOT = (
    export.CROISSANT_FILE,
    export.ANNOTATIONS_FILE,
)  # served beside datapackage.json, whose paths they use
_BUILT: dict[str, Any] = {}


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def _downloads() -> list[dict[str, Any]]:
    """Every export, built now from the package, with its name, size, sha256 and purpose."""
    with tempfile.TemporaryDirectory() as folder:
        written = export.write(_BUILT["package"], list(export.WRITERS), folder, _BUILT["site_url"])
        found = []
        for path in written:
            data = path.read_bytes()
            key = path.name if path.name in PURPOSES else path.suffix
            kind, mediatype, purpose = PURPOSES[key]
            url = (
                path.name
                if path.name in AT_ROOT
                else "downloads/" + path.relative_to(folder).as_posix()
            )
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
    rows = [
        (
            f'<a href="../{d["url"]}">{escape(d["name"])}</a>',
            escape(d["kind"]),
            f"{d['bytes']:,} bytes",
            f'<code class="hash">{d["sha256"]}</code>',
            escape(d["purpose"]),
        )
        for d in downloads
    ]
    return "\n".join(
        [
            "# Downloads",
            "",
            "Every file below is generated from the data package when this site is built "
            "(`morocco-migration-2017 export`), never edited by hand, and byte-for-byte "
            "reproducible: the same package gives the same bytes.",
            "",
            render.html_table(("File", "Format", "Size", "SHA-256", "For"), rows, "Downloads"),
            "",
            "See [Use it with…](use-it-with.md) for how each tool opens them.",
            "",
        ]
    )


def read_package(root: Path) -> Package:
    """The only place the build reads the package: every page is rendered from what this returns."""
    return open_package(root)


DOWNLOAD_LINE = (
    "[Download the whole dataset](../downloads.md) "
    "as a spreadsheet, Parquet, SQLite, JSON or a zip."
)


def _statistic_pages(package: Package, stats: list[dict[str, Any]]) -> dict[str, str]:
    """One page per statistic: its facts and quote, the downloads link, its claim in JSON-LD."""
    tables, snapshots = package.tables, package.snapshot_of()
    sources = {s["source_id"]: s for s in render.records(tables["sources"])}
    pages = {}
    for s in stats:
        body = render.statistic_page(s, tables, snapshots[s["source_id"]], sources[s["source_id"]])
        claim = export.claim(package, s["statistic_id"], _BUILT["site_url"])
        page = body + f"\n{DOWNLOAD_LINE}\n\n" + site_jsonld.script(claim) + "\n"
        pages[f"statistics/{s['statistic_id']}.md"] = page
    return pages


def _statistics_index(stats: list[dict[str, Any]]) -> str:
    """The Statistics section's first page: every figure in one table."""
    return (
        "# Statistics\n\nEvery figure of the article, labelled by what it counts. "
        "Each opens a page with its quote, its notes and other reports of the same statement.\n\n"
        + render.statistics_table(stats, "")
        + "\n"
    )


def _source_page(package: Package, stats: list[dict[str, Any]]) -> str:
    """The Annotated source page: the primary source's whole snapshot, every mention marked."""
    tables = package.tables
    primary = render.primary_source(tables)
    roles = render.category_labels(package.resources["mentions"].field("role"))
    online = render.external(primary["url"], "the article online")
    return (
        f"# Annotated source\n\nThe whole snapshot of *{primary['title']}* "
        f"({primary['short_name']}; {online}), "
        "with every number highlighted, its role named, "
        "and a link to the statistic it states or bounds. "
        f"{len(tables['mentions'])} mentions are recorded in `data/mentions.csv`.\n\n"
        + render.annotated_source(
            package.snapshot_of()[primary["source_id"]],
            tables["mentions"],
            stats,
            roles,
            "../statistics/",
        )
    )


def _benchmark_results(root: Path) -> dict[str, Any] | None:
    """The recorded benchmark results (benchmarks/results/latest.json), or None without them."""
    results = root / "benchmarks" / "results" / "latest.json"
    return json.loads(results.read_text()) if results.is_file() else None


def _pages(root: Path) -> dict[str, str]:
    package, stats = _BUILT["package"], _BUILT["stats"]
    tables, descriptor = package.tables, package.descriptor
    pins = {s["path"]: s for s in descriptor.get("sources", []) if "hash" in s}
    citation = yaml.safe_load(read_file(root, "CITATION.cff").decode("utf-8"))
    pages = _statistic_pages(package, stats)
    pages["statistics/index.md"] = _statistics_index(stats)
    pages["data-dictionary.md"] = render.data_dictionary(package.resources, tables)
    pages["source.md"] = _source_page(package, stats)
    pages["sources.md"] = render.sources_page(tables, pins)
    pages["cross-checks.md"] = render.cross_checks_page(stats, tables, "../statistics/")
    pages["cite.md"] = render.cite_page(citation, descriptor["licenses"][0])
    pages["performance.md"] = render.performance_page(_benchmark_results(root))
    pages["changelog.md"] = read_file(root, "CHANGELOG.md").decode("utf-8")
    pages["downloads.md"] = downloads_page(_BUILT["downloads"])
    return pages


def _statistics_in_nav(config: MkDocsConfig, stats: list[dict[str, Any]]) -> None:
    """The statistic pages under Statistics in the navigation, by label.

    Where labels repeat, the period follows the label."""
    labels = [s["label"] for s in stats]
    titles = [
        f"{s['label']}, {s['period_text'] or 'no period given'}"
        if labels.count(s["label"]) > 1
        else s["label"]
        for s in stats
    ]
    pages = [
        {title: f"statistics/{s['statistic_id']}.md"}
        for title, s in zip(titles, stats, strict=True)
    ]
    for i, item in enumerate(config.nav or []):
        if isinstance(item, dict) and "Statistics" in item:  # again on each rebuild of mkdocs serve
            config.nav[i] = {"Statistics": ["statistics/index.md", *pages]}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = _root(config)
    package = read_package(root)  # read once, safely, for every page
    _BUILT.update(root=package.root, package=package, stats=render.statistics_view(package.tables))
    _BUILT.update(site_url=config.site_url or None)
    _statistics_in_nav(config, _BUILT["stats"])
    _BUILT["downloads"] = _downloads()
    for uri, content in _pages(root).items():
        files.append(File.generated(config, uri, content=content))
    for path in package_files(package.descriptor):
        files.append(File.generated(config, path, content=read_file(root, path)))
    for download in _BUILT["downloads"]:
        files.append(File.generated(config, download["url"], content=download["data"]))
    return files


def install_line(repo_url: str | None) -> str:
    """How to install from the repository, said only when the site knows its address.

    The address is mkdocs' `repo_url`."""
    if not repo_url:
        return (
            "From a clone of the repository, `python -m pip install .` "
            "installs it with the data inside."
        )
    command = f'python -m pip install "git+{repo_url}"'
    return f"From the repository, with the data inside:\n\n```sh\n{command}\n```"


def readme_section(root: Path, name: str) -> str:
    """A section of README.md between its markers.

    Written once, for the repository's readers and the site's."""
    text = read_file(root, "README.md").decode("utf-8")
    section = text.split(f"<!-- {name}:start -->\n", 1)[1].split(f"<!-- {name}:end -->", 1)[0]
    return section.replace(
        "the contributing guide",
        "the [contributing guide](contributing.md#check-or-rebuild-a-release)",
    )


def limits_sentence() -> str:
    """The validator's limits as the code sets them, so the methodology cannot drift from them."""
    from morocco_migration_2017 import provenance, reading, rules, validation

    return (
        f"Files are read up to {reading.MAX_FILE_BYTES // 2**20} MiB each, JSON files up to "
        f"{reading.MAX_JSON_BYTES // 2**20} MiB and {reading.MAX_JSON_DEPTH} levels deep; "
        f"a row holds at most {rules.MAX_CELLS:,} cells. A text cell holds at most "
        "the `maxLength` of its field in the Table Schema; "
        "the reader still takes a cell as large as its file (the "
        "`csv` module's 131,072-character limit is raised to match, for Frictionless too), "
        "so that an oversized cell is reported rather than refused unread. Each "
        f"stage runs under a time budget (`--timeout`, {validation.STAGE_SECONDS:g} s by default), "
        "so a pattern that backtracks is stopped and reported rather than left to hang. "
        "At most `--max-problems` problems "
        f"({validation.MAX_PROBLEMS:,} by default) are listed, and all are counted. "
        f"Dates must lie between {provenance.EARLIEST_DATE.date()} (Morocco's independence) "
        "and the package's `created` date."
    )


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    package, stats = _BUILT["package"], _BUILT["stats"]
    generated = {
        "statistics-table": lambda: render.statistics_table(stats, "statistics/"),
        "inferred-table": lambda: render.inferred_table(stats, package.tables, "../statistics/"),
        "lead": lambda: site_figures.lead(package.tables),
        "limits": limits_sentence,
        "figure-cards": lambda: site_figures.figure_cards(stats, "statistics/"),
        "timeline": lambda: site_figures.timeline(stats),
        "install": lambda: install_line(config.repo_url),
        "get-the-data": lambda: readme_section(_root(config), "get-the-data"),
        "licence": lambda: (
            "Licence: " + render.licence_link(package.descriptor["licenses"][0]) + "."
        ),
        "dataset-jsonld": lambda: site_jsonld.script(
            export.dataset(
                package, _BUILT["downloads"], _BUILT["site_url"], config.extra.get("catalog_url")
            )
        ),
    }

    def fill(match: re.Match[str]) -> str:
        if match.group(1) not in generated:
            raise ValueError(
                f"{page.file.src_uri}: no generator for placeholder {match.group(1)!r}"
            )
        return generated[match.group(1)]()

    return PLACEHOLDER.sub(fill, markdown)
