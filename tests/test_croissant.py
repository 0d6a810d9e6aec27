"""Issue: Croissant 1.1, generated from the package. The site serves croissant.json beside datapackage.json;
mlcroissant (the reference implementation) validates it with no error and no warning, offline, and loads every
record set equal to its CSV. The same document ships in the zip, where it works the same."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import morocco_migration_2017 as mm
from edits import ROOT
from site_build import SITE_URL

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
TYPES = {"integer": "sc:Integer", "number": "sc:Float", "string": "sc:Text", "date": "sc:Date"}


def mlcroissant_validate(document: Path) -> subprocess.CompletedProcess[str]:
    command = [str(BIN / "mlcroissant"), "validate", "--jsonld", str(document)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=document.parent)


def complaints(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The warning and error lines of mlcroissant's log (absl marks them W and E)."""
    return [line for line in (result.stdout + result.stderr).splitlines() if line[:1] in ("W", "E") or "  - " in line]


def schema(table: str) -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))


def csv_rows(folder: Path, table: str) -> list[dict[str, str]]:
    with (folder / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def as_csv_text(value: Any) -> str:
    """A value mlcroissant loaded, written as the CSV writes it."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    return str(value)


def loaded(document: Path) -> dict[str, list[dict[str, str]]]:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(document))
    tables = {}
    for record_set in dataset.metadata.record_sets:
        prefix = f"{record_set.uuid}/"
        tables[record_set.name] = [
            {key.removeprefix(prefix): as_csv_text(value) for key, value in record.items()}
            for record in dataset.records(record_set.uuid)
        ]
    return tables


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from morocco_migration_2017.export import export

    out = tmp_path_factory.mktemp("zip")
    (archive,) = export(["zip"], out)
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(out)
    return out / "morocco-migration-2017"


@pytest.fixture(scope="module")
def document(site: Path) -> dict[str, Any]:
    return json.loads((site / "croissant.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("where", ["site", "zip"])
def test_mlcroissant_validates_it_without_a_warning(where: str, site: Path, unzipped: Path) -> None:
    folder = site if where == "site" else unzipped
    result = mlcroissant_validate(folder / "croissant.json")
    assert result.returncode == 0 and complaints(result) == [], result.stderr
    assert "Done." in result.stderr


def test_the_no_warning_check_can_fail(site: Path, tmp_path: Path) -> None:
    broken = json.loads((site / "croissant.json").read_text(encoding="utf-8"))
    broken["version"] = "two"
    (tmp_path / "croissant.json").write_text(json.dumps(broken), encoding="utf-8")
    assert any("MAJOR.MINOR.PATCH" in line for line in complaints(mlcroissant_validate(tmp_path / "croissant.json")))
    del broken["distribution"][0]["sha256"]
    (tmp_path / "croissant.json").write_text(json.dumps(broken), encoding="utf-8")
    assert mlcroissant_validate(tmp_path / "croissant.json").returncode == 1


@pytest.mark.parametrize("where", ["site", "zip"])
def test_mlcroissant_loads_every_record_set_equal_to_its_csv(where: str, site: Path, unzipped: Path) -> None:
    folder = site if where == "site" else unzipped
    tables = loaded(folder / "croissant.json")
    assert list(tables) == mm.table_names()
    for table, rows in tables.items():
        assert rows == csv_rows(ROOT, table), table


def test_a_changed_csv_is_refused_by_its_checksum(site: Path, tmp_path: Path) -> None:
    """The comparison above can fail: beside a CSV changed after the document was made, loading stops on the hash."""
    import shutil

    import mlcroissant as mlc

    shutil.copytree(site / "data", tmp_path / "data")
    shutil.copy2(site / "croissant.json", tmp_path / "croissant.json")
    path = tmp_path / "data" / "statistics.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",50000,", ",50001,", 1), encoding="utf-8")
    with pytest.raises(mlc.GenerationError) as raised:
        loaded(tmp_path / "croissant.json")
    assert "hash" in str(raised.value.__cause__).lower()


def test_every_csv_and_the_snapshot_is_a_file_object_with_its_sha256(document: dict[str, Any]) -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    files = {f["contentUrl"]: f for f in document["distribution"]}
    expected = [r["path"] for r in descriptor["resources"]] + [s["path"] for s in descriptor["sources"] if "hash" in s]
    assert sorted(files) == sorted(expected)
    for path, entry in files.items():
        data = (ROOT / path).read_bytes()
        assert entry["@type"] == "cr:FileObject" and entry["sha256"] == hashlib.sha256(data).hexdigest(), path
        assert entry["contentSize"] == f"{len(data)} B" and entry["encodingFormat"]
    (pin,) = [s for s in descriptor["sources"] if "hash" in s]
    assert pin["hash"] == "sha256:" + files[pin["path"]]["sha256"]


def test_one_record_set_per_table_with_typed_fields_its_key_and_its_references(document: dict[str, Any]) -> None:
    record_sets = {r["name"]: r for r in document["recordSet"]}
    assert list(record_sets) == mm.table_names()
    here = SITE_URL + "croissant.json#"  # the site is built with its address: ids are absolute
    for table, record_set in record_sets.items():
        assert record_set["@id"] == here + table
        table_schema = schema(table)
        fields = {f["name"]: f for f in record_set["field"]}
        assert list(fields) == [f["name"] for f in table_schema["fields"]]
        for f in table_schema["fields"]:
            assert fields[f["name"]]["dataType"] == TYPES[f["type"]], f"{table}.{f['name']}"
            assert fields[f["name"]]["source"]["extract"]["column"] == f["name"]
        assert record_set["key"] == [{"@id": f"{here}{table}/{k}"} for k in table_schema["primaryKey"]]
        declared = {
            (field, key["reference"]["resource"], target)
            for key in table_schema.get("foreignKeys", [])
            for field, target in zip(key["fields"], key["reference"]["fields"], strict=True)
        }
        referenced = {
            (name, Path(f["references"]["fileObject"]["@id"]).stem, f["references"]["extract"]["column"])
            for name, f in fields.items()
            if "references" in f
        }
        assert referenced == declared, table


def test_the_dataset_is_described_from_the_package_and_the_citation_file(document: dict[str, Any]) -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert document["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert document["version"] == descriptor["version"] == str(cff["version"])
    assert document["license"] == descriptor["licenses"][0]["path"]
    assert document["datePublished"] == descriptor["created"][:10]
    assert [c["name"] for c in document["creator"]] == [c["title"] for c in descriptor["contributors"]]
    assert document["citeAs"].startswith("@misc{") and cff["title"] in document["citeAs"]
    assert f"version = {{{cff['version']}}}" in document["citeAs"]
    assert document["url"] == SITE_URL
    assert "not verified" in document["rai:dataLimitations"]
