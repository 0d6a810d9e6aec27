"""Issue 24: the SQLite export opened with Datasette shows each table's title, description and the licence.

Datasette 0.65 reads its metadata from a file given beside the database, keyed by the database's name,
which is the file's stem. `morocco-migration-2017 export --format sqlite` writes both. Datasette runs
in-process here (its Python API and test client), so nothing listens on a port."""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import morocco_migration_2017 as mm
from edits import ROOT, copy_package
from morocco_migration_2017.cli import main

DATABASE = "morocco-migration-2017"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sqlite")
    assert main(["export", "--format", "sqlite", "--out", str(out)]) == 0
    return out


def metadata_of(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "metadata.json").read_text(encoding="utf-8"))


def get(database: Path, path: str, metadata: dict[str, Any] | None) -> str:
    """One page of Datasette serving database with metadata, read through its in-process client."""
    from datasette.app import Datasette

    async def fetch() -> str:
        response = await Datasette([str(database)], metadata=metadata).client.get(path)
        assert response.status_code == 200, path
        return response.text

    return asyncio.run(fetch())


def shown(page: str, text: str) -> bool:
    return html.escape(text) in page


def heading(page: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.DOTALL)
    assert match, "no h1"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def descriptor_facts() -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """The licence and source, and each table's title and description, read from the descriptor and schemas."""
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    tables = {}
    for resource in descriptor["resources"]:
        schema = json.loads((ROOT / resource["schema"]).read_text(encoding="utf-8"))
        tables[resource["name"]] = {"title": resource["title"], "description": schema["description"]}
    return descriptor, tables


@pytest.mark.parametrize("table", mm.table_names())
def test_each_table_page_shows_its_title_description_and_the_licence(exported: Path, table: str) -> None:
    descriptor, tables = descriptor_facts()
    page = get(exported / f"{DATABASE}.db", f"/{DATABASE}/{table}", metadata_of(exported))
    assert heading(page) == tables[table]["title"]
    assert shown(page, tables[table]["description"])
    assert shown(page, descriptor["licenses"][0]["name"]) and shown(page, descriptor["licenses"][0]["path"])
    assert shown(page, descriptor["sources"][0]["title"]) and shown(page, descriptor["sources"][0]["path"])


def test_without_the_metadata_file_none_of_it_is_shown(exported: Path) -> None:
    descriptor, tables = descriptor_facts()
    page = get(exported / f"{DATABASE}.db", f"/{DATABASE}/statistics", None)
    assert heading(page) == "statistics"
    assert not shown(page, tables["statistics"]["description"])
    assert not shown(page, descriptor["licenses"][0]["name"])


def test_metadata_keyed_by_another_name_is_not_shown(exported: Path) -> None:
    """What datapackage-to-datasette does: its key is the file's name, `x.db`; Datasette's is the stem."""
    metadata = metadata_of(exported)
    metadata["databases"] = {f"{DATABASE}.db": metadata["databases"][DATABASE]}
    page = get(exported / f"{DATABASE}.db", f"/{DATABASE}/statistics", metadata)
    assert not shown(page, descriptor_facts()[1]["statistics"]["description"])


def datapackage_to_datasette(folder: Path) -> Path:
    command = [str(BIN / "datapackage-to-datasette"), "morocco.db", str(ROOT / "datapackage.json"), "metadata.json"]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return folder / "metadata.json"


def test_datapackage_to_datasette_keys_its_metadata_by_the_file_name(tmp_path: Path) -> None:
    """The upstream fault the docs name: Datasette shows none of datapackage-to-datasette's metadata."""
    written = json.loads(datapackage_to_datasette(tmp_path).read_text(encoding="utf-8"))
    assert list(written["databases"]) == ["morocco.db"]
    page = get(tmp_path / "morocco.db", "/morocco/statistics", written)
    assert heading(page) == "statistics"
    assert not shown(page, descriptor_facts()[1]["statistics"]["description"])


def page_block(marker: str) -> str:
    """The fenced block of docs/use-it-with.md that contains marker."""
    page = (ROOT / "docs" / "use-it-with.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in page.split("```sh\n")[1:]]
    found = [b for b in blocks if marker in b]
    assert len(found) == 1, marker
    return found[0]


def test_the_pages_rekeying_workaround_makes_datasette_show_it(tmp_path: Path) -> None:
    """The page's commands, run as written up to `datasette serve` (which would not return), in a copy."""
    folder = copy_package(tmp_path / "package")
    workaround = page_block("with_entries").split("datasette serve", 1)[0]
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    run = ["bash", "-e", "-c", workaround]
    result = subprocess.run(run, cwd=folder, capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    rekeyed = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    page = get(folder / "morocco.db", "/morocco/statistics", rekeyed)
    resource = next(r for r in descriptor_facts()[0]["resources"] if r["name"] == "statistics")
    assert heading(page) == resource["title"]
    assert shown(page, resource["description"])  # datapackage-to-datasette takes the resource's
