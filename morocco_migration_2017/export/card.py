"""A Hugging Face dataset card for the zip's package folder: README.md, whose YAML front matter
lets `datasets.load_dataset(folder, name)` read each table typed from its Table Schema, offline,
and whose body says what the dataset is, from datapackage.json and CITATION.cff."""

from __future__ import annotations

import copy
from typing import Any

from ..package import Package, Resource
from ..problems import PackageError
from .common import NAME, citation, cite_as, the_row

CARD_FILE = "README.md"
SPLIT = "train"  # the one split of each table: the Hub's name for a table that is not split
# Table Schema type -> datasets dtype, for every type the loader reads (package.TYPES). No format
# changes the dtype: a uri or an email is text. A missing value is a null in any dtype, so integer
# is int64 even where a column has empty cells.
DTYPES = {"string": "string", "integer": "int64", "number": "float64", "date": "date32"}
# The Hub's ids of the licences a Data Package may name; any other is "other", with name and link.
HUB_LICENSES = {
    "CC-BY-4.0": "cc-by-4.0",
    "CC-BY-SA-4.0": "cc-by-sa-4.0",
    "CC0-1.0": "cc0-1.0",
    "ODC-By-1.0": "odc-by",
    "ODbL-1.0": "odbl",
    "PDDL-1.0": "pddl",
}
# The CSV reader's arguments: an empty cell is the only missing value (a text "NA" stays text),
# as the Table Schemas' missingValues say.
READ_AS_WRITTEN = {"keep_default_na": False, "na_values": [""]}
# Why the card gives each column twice: pandas, which the csv builder reads with, guesses types
# ("007" becomes 7, a large integer in a column with an empty cell a rounded float); read as text,
# each cell is then cast exactly by Arrow to the dtype of dataset_info.
WHY = (
    "# configs read every cell as text (features: string), so that nothing guesses a type;",
    "# each column is then cast to its dtype in dataset_info, typed from the Table Schemas.",
    "# An empty cell is the only missing value.",
)


def dtype(field: dict[str, Any]) -> str:
    """A field's datasets dtype, from its Table Schema type; PackageError for a type with none."""
    kind = field.get("type", "string")
    if kind not in DTYPES:
        raise PackageError(f"field {field.get('name')!r}: type {kind!r} has no datasets dtype")
    return DTYPES[kind]


def features(resource: Resource, typed: bool = True) -> list[dict[str, str]]:
    """The table's columns in the card's form, typed (dataset_info) or all text (configs)."""
    return [
        {"name": field["name"], "dtype": dtype(field) if typed else "string"}
        for field in resource.fields
    ]


def config(resource: Resource, default: bool) -> dict[str, Any]:
    """One table's config: its CSV as the one split, read as written, every column as text."""
    entry: dict[str, Any] = {"config_name": resource.name}
    entry["data_files"] = [{"split": SPLIT, "path": resource.path}]
    if default:
        entry["default"] = True
    read = copy.deepcopy(READ_AS_WRITTEN)  # a list of its own in each config: YAML with no aliases
    return {**entry, **read, "features": features(resource, typed=False)}


def hub_license(descriptor: dict[str, Any]) -> dict[str, str]:
    licence = descriptor["licenses"][0]
    if licence.get("name") in HUB_LICENSES:
        return {"license": HUB_LICENSES[licence["name"]]}
    named = licence.get("title") or licence.get("name") or "see the Licence section"
    return {"license": "other", "license_name": named, "license_link": licence.get("path", "")}


def metadata(package: Package) -> dict[str, Any]:
    """The card's YAML: licence, names, language, tags, a config per table, its typed features."""
    descriptor, resources = package.descriptor, list(package.resources.values())
    article = the_row(package, "sources", source_role="primary")
    return {
        **hub_license(descriptor),
        "pretty_name": descriptor["title"],
        "language": [article["language"]],
        "tags": descriptor.get("keywords", []),
        "configs": [config(r, default=i == 0) for i, r in enumerate(resources)],
        "dataset_info": [{"config_name": r.name, "features": features(r)} for r in resources],
    }


def tables_section(package: Package) -> list[str]:
    lines = [
        "## Tables",
        "",
        "| config | title | rows | description |",
        "| --- | --- | --- | --- |",
    ]
    for name, resource in package.resources.items():
        entry = resource.entry
        row = (f"`{name}`", entry.get("title", name), str(len(package.tables[name])))
        cells = [*row, entry.get("description", "")]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return [*lines, ""]


def load_section(package: Package) -> list[str]:
    first = next(iter(package.resources))
    return [
        "## Load it",
        "",
        f"Unzip the download, then, with 🤗 datasets, name the table (the default is `{first}`):",
        "",
        "```python",
        "from datasets import load_dataset",
        "",
        f'{first} = load_dataset("{NAME}", "{first}", split="{SPLIT}")',
        "```",
        "",
        "Dates load as dates and whole numbers as int64; an empty cell is the only missing value.",
        "",
    ]


def about_section(package: Package) -> list[str]:
    descriptor = package.descriptor
    licences = [
        f"- [{lic.get('title', lic.get('name'))}]({lic.get('path', '')})"
        for lic in descriptor["licenses"]
    ]
    sources = [f"- [{s['title']}]({s['path']})" for s in descriptor.get("sources", [])]
    return [
        "## Licence",
        "",
        *licences,
        "",
        "## Sources",
        "",
        *sources,
        "",
        "## Version",
        "",
        f"{descriptor['version']}, of {package.created.date().isoformat()} (`{descriptor['id']}`).",
        "",
    ]


def cite_section(package: Package, site_url: str | None = None) -> list[str]:
    return [
        "## How to cite",
        "",
        citation(package),
        "",
        "```bibtex",
        cite_as(package, site_url),
        "```",
        "",
    ]


def card(package: Package, site_url: str | None = None) -> str:
    """README.md for the package folder: the YAML front matter, then the title, description,
    tables, how to load them, licence, sources, version and citation (its url the site's)."""
    import yaml

    front = yaml.safe_dump(metadata(package), sort_keys=False, allow_unicode=True, width=100)
    body = [f"# {package.descriptor['title']}", "", package.descriptor["description"], ""]
    for section in (tables_section, load_section, about_section):
        body += section(package)
    body += cite_section(package, site_url)
    return "\n".join(["---", *WHY, front.rstrip("\n"), "---", "", *body]).rstrip("\n") + "\n"
