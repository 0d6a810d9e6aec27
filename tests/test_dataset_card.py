"""Issue 24: the zip's package folder holds a Hugging Face dataset card (README.md), and
`datasets.load_dataset(folder, name)` reads each of the six tables from it offline, typed from the Table Schemas:
every row and value as the package's loader gives it, dates as dates, whole numbers as integers, a text "NA" as
text. A card with a table's file missing, or a date typed as text, is seen failing.

datasets reads its offline switches when it is imported, so each load runs in a fresh Python with the Hub switched
off and every cache inside the test's temporary folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_offline import BLOCKER
from test_use_it_with import Block, block_with, client_env, run_block

import morocco_migration_2017 as mm
from edits import set_cell
from morocco_migration_2017.cli import main
from morocco_migration_2017.export import NAME, records
from morocco_migration_2017.export.card import CARD_FILE, DTYPES, SPLIT, card, dtype
from morocco_migration_2017.package import TYPES
from morocco_migration_2017.problems import PackageError
from morocco_migration_2017.validation import open_package

PACKAGE = open_package(None, validate=False)
TABLES = list(PACKAGE.resources)
PYTHON_TYPES = {"string": "str", "integer": "int", "number": "float", "date": "date"}

# Loads each table named on the command line from the folder; prints, per table, its columns, the Python types of
# its non-null values by column, and its rows with dates as ISO text, or the error that stopped it.
LOADER = """
import json, sys
import datasets

datasets.logging.set_verbosity_error()
datasets.disable_progress_bars()
folder, out = sys.argv[1], {}
for name in sys.argv[2:]:
    try:
        table = datasets.load_dataset(folder, name, split="train")
    except Exception as error:
        out[name] = {"error": f"{type(error).__name__}: {error}"}
        continue
    rows = table.to_list()
    kinds = {c: sorted({type(r[c]).__name__ for r in rows if r[c] is not None}) for c in table.column_names}
    plain = [{k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in r.items()} for r in rows]
    out[name] = {"columns": table.column_names, "kinds": kinds, "rows": plain}
print(json.dumps(out))
"""


def offline(cache: Path) -> dict[str, str]:
    """The environment of a user with no network: the Hub switched off, every socket to the network refused
    (test_offline's blocker), every cache under cache."""
    blocker = cache / "blocker"
    blocker.mkdir(parents=True, exist_ok=True)
    (blocker / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    switches = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1"}
    places = {"HF_HOME": str(cache), "HF_DATASETS_CACHE": str(cache / "datasets"), "PYTHONPATH": str(blocker)}
    return client_env(extra={**switches, **places})


def load(folder: Path, cache: Path, names: list[str]) -> dict[str, Any]:
    command = [sys.executable, "-c", LOADER, str(folder), *names]
    result = subprocess.run(command, env=offline(cache), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def faults(loaded: dict[str, Any]) -> list[str]:
    """What differs from the package as its loader reads it: a table not loaded, its columns, types or values."""
    found = []
    for name, got in loaded.items():
        resource = PACKAGE.resources[name]
        if "error" in got:
            found.append(f"{name}: {got['error'][:300]}")
            continue
        if got["columns"] != resource.field_names:
            found.append(f"{name}: columns {got['columns']}")
        for field in resource.fields:
            kinds = got["kinds"][field["name"]]
            if kinds and kinds != [PYTHON_TYPES[field.get("type", "string")]]:
                found.append(f"{name}.{field['name']}: {kinds}")
        if got["rows"] != records(PACKAGE, name):
            found.append(f"{name}: {len(got['rows'])} rows, not the package's {len(PACKAGE.tables[name])} as read")
    return found


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zip")
    assert main(["export", "--format=zip", "--out", str(out)]) == 0
    with zipfile.ZipFile(out / f"{NAME}.zip") as archive:
        archive.extractall(out)
    return out / NAME


def front_matter(folder: Path) -> dict[str, Any]:
    text = (folder / CARD_FILE).read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def rewritten(folder: Path, target: Path, meta: dict[str, Any]) -> Path:
    """A copy of the unzipped folder whose card has meta as its front matter, the body unchanged."""
    shutil.copytree(folder, target)
    body = (folder / CARD_FILE).read_text(encoding="utf-8").split("---\n", 2)[2]
    (target / CARD_FILE).write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False)}---\n{body}", encoding="utf-8")
    return target


def test_every_table_loads_offline_typed_and_value_for_value(unzipped: Path, tmp_path: Path) -> None:
    loaded = load(unzipped, tmp_path / "cache", TABLES)
    assert sorted(loaded) == sorted(TABLES) and len(TABLES) == 6
    assert not faults(loaded)
    connect = Block("python", "import socket; socket.create_connection(('example.org', 80))", "")
    blocked = run_block(connect, unzipped, offline(tmp_path / "cache"))
    assert "network access attempted" in blocked.stderr  # the loads above ran with the network refused
    for name in TABLES:
        assert len(loaded[name]["rows"]) == len(PACKAGE.tables[name]) > 0, name
    dates = [f["name"] for f in PACKAGE.resources["statistics"].fields if f["type"] == "date"]
    assert dates and all(loaded["statistics"]["kinds"][d] == ["date"] for d in dates)
    assert loaded["statistics"]["kinds"]["value"] == ["int"]
    assert None in [r["reported_value"] for r in loaded["cross_checks"]["rows"]]  # an empty integer cell is null


def test_a_missing_file_or_a_date_typed_as_text_is_caught(unzipped: Path, tmp_path: Path) -> None:
    meta = front_matter(unzipped)
    (mentions,) = [c for c in meta["configs"] if c["config_name"] == "mentions"]
    mentions["data_files"][0]["path"] = "data/no_such_table.csv"
    (statistics,) = [i for i in meta["dataset_info"] if i["config_name"] == "statistics"]
    (start,) = [f for f in statistics["features"] if f["name"] == "period_start"]
    start["dtype"] = "string"
    broken = rewritten(unzipped, tmp_path / "broken", meta)
    found = faults(load(broken, tmp_path / "cache", ["mentions", "statistics", "indicators"]))
    assert [f.split(":")[0] for f in found] == ["mentions", "statistics.period_start"], found


def test_a_text_na_stays_text_and_an_empty_cell_is_null(unzipped: Path, tmp_path: Path) -> None:
    folder = tmp_path / "na"
    shutil.copytree(unzipped, folder)
    set_cell(folder, "statistics", 2, "country_code", "NA")
    set_cell(folder, "statistics", 3, "country_code", "")
    rows = load(folder, tmp_path / "cache", ["statistics"])["statistics"]["rows"]
    assert [r["country_code"] for r in rows[:2]] == ["NA", None]


def test_the_pages_hugging_face_snippet_runs_in_the_unzipped_download(unzipped: Path, tmp_path: Path) -> None:
    block = block_with("load_dataset")
    result = run_block(block, unzipped, offline(tmp_path / "cache"))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "date32" in result.stdout and "2017-01-01" in result.stdout
    bare = tmp_path / "bare"
    bare.mkdir()
    assert run_block(block, bare, offline(tmp_path / "cache")).returncode != 0


def test_datasets_refuses_the_folder_as_dot_and_the_cards_own_snippet_runs(unzipped: Path, tmp_path: Path) -> None:
    """The fault the page names, and the card's snippet, run from the folder the zip was unpacked in."""
    block = block_with("load_dataset")
    assert "os.getcwd()" in block.code
    dot = run_block(block._replace(code=block.code.replace("os.getcwd()", '"."')), unzipped, offline(tmp_path / "c"))
    assert dot.returncode != 0 and "dataset_name should be specified but got None" in dot.stderr, dot.stderr
    text = (unzipped / CARD_FILE).read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0] + "print(len(statistics))\n"
    result = run_block(block._replace(code=code), unzipped.parent, offline(tmp_path / "c"))
    assert result.returncode == 0 and result.stdout.split() == [str(len(PACKAGE.tables["statistics"]))], result.stderr


def test_the_card_has_one_config_per_table_typed_from_its_schema(unzipped: Path) -> None:
    meta = front_matter(unzipped)
    assert [c["config_name"] for c in meta["configs"]] == TABLES
    assert [c.get("default", False) for c in meta["configs"]] == [True] + [False] * 5
    for config, info, (name, resource) in zip(meta["configs"], meta["dataset_info"], PACKAGE.resources.items(), strict=True):
        assert config["data_files"] == [{"split": SPLIT, "path": resource.path}]
        assert (unzipped / resource.path).is_file()
        assert config["keep_default_na"] is False and config["na_values"] == resource.schema["missingValues"] == [""]
        assert [f["name"] for f in info["features"]] == resource.field_names == [f["name"] for f in config["features"]]
        assert {f["dtype"] for f in config["features"]} == {"string"}
        assert [f["dtype"] for f in info["features"]] == [DTYPES[f["type"]] for f in resource.fields]
        assert info["config_name"] == name


def test_the_card_says_what_the_dataset_is_from_the_descriptor(unzipped: Path) -> None:
    text = (unzipped / CARD_FILE).read_text(encoding="utf-8")
    descriptor = PACKAGE.descriptor
    meta = front_matter(unzipped)
    assert meta["license"] == descriptor["licenses"][0]["name"].lower() == "cc-by-4.0"
    assert meta["pretty_name"] == descriptor["title"] and meta["tags"] == descriptor["keywords"]
    assert f"\n# {descriptor['title']}\n" in text and descriptor["description"] in text
    assert "not independently verified facts" in descriptor["description"]  # the caveat, in the body
    assert descriptor["version"] == mm.__version__ and f"\n{descriptor['version']}, of " in text
    assert descriptor["licenses"][0]["path"] in text
    assert f"@misc{{{NAME}-{descriptor['version']}," in text and "Cite the original article as well" in text
    assert text == card(PACKAGE)


def test_every_loader_type_has_a_dtype_and_another_is_refused() -> None:
    assert set(DTYPES) == set(TYPES)
    assert dtype({"name": "x"}) == "string"
    with pytest.raises(PackageError, match=r"'when'.*'datetime'"):
        dtype({"name": "when", "type": "datetime"})
