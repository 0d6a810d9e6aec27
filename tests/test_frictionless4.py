"""Issue: every Frictionless generation opens the package. frictionless 4.40.11 (the last 4.x, the one pandera's
`frictionless` extra installs) validates and extracts it, run from its own virtual environment, as a user of it has.

frictionless 4 checks every field's `example` once the last field of a schema has one, and then rejects a required
field that has none; so every field of every schema carries an example, a real value of its column.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import morocco_migration_2017 as mm
from edits import ROOT, set_cell

VERSION = "4.40.11"
pytestmark = pytest.mark.slow


def client_venv(requirement: str) -> Path:
    """A virtual environment with one client installed, cached between runs under the temp folder."""
    folder = Path(tempfile.gettempdir()) / "morocco-migration-2017-clients" / requirement.replace("=", "-")
    done = folder / "installed"
    if not done.is_file():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True, timeout=300)
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "-q", requirement]
        subprocess.run(pip, check=True, timeout=600, env=env)
        done.write_text(requirement + "\n")
    return folder / "bin"


@pytest.fixture(scope="module")
def frictionless4() -> Path:
    return client_venv(f"frictionless=={VERSION}") / "frictionless"


def run(exe: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args, "datapackage.json"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_it_is_that_version(frictionless4: Path) -> None:
    code = "import frictionless; print(frictionless.__version__)"
    out = subprocess.run([str(frictionless4.parent / "python"), "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == VERSION


def test_frictionless4_validates_the_package(frictionless4: Path, package_copy: Path) -> None:
    result = run(frictionless4, "validate", "--json", cwd=package_copy)
    report = json.loads(result.stdout)
    assert report["valid"], [e["message"] for task in report["tasks"] for e in task["errors"]] + report["errors"]
    assert [task["resource"]["name"] for task in report["tasks"]] == mm.table_names()


def test_frictionless4_can_say_invalid(frictionless4: Path, package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 2, "value_bound", "roughly")
    assert not json.loads(run(frictionless4, "validate", "--json", cwd=package_copy).stdout)["valid"]


def test_frictionless4_extracts_typed_rows(frictionless4: Path, package_copy: Path) -> None:
    result = run(frictionless4, "extract", "--json", cwd=package_copy)
    assert result.returncode == 0, result.stderr
    tables = json.loads(result.stdout)
    for name in mm.table_names():
        assert len(tables[f"data/{name}.csv"]) == len(mm.load(name)), name
    statistics = tables["data/statistics.csv"]
    assert all(type(row["value"]) is int for row in statistics)
    assert [row["statistic_id"] for row in statistics] == list(mm.load()["statistic_id"])


def _columns(root: Path, table: str) -> dict[str, set[str]]:
    with (root / "data" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {name: {row[name] for row in rows} for name in rows[0]}


def examples_not_in_the_data(root: Path = ROOT) -> list[str]:
    wrong = []
    for table in mm.table_names():
        schema = json.loads((root / "schemas" / f"{table}.schema.json").read_text(encoding="utf-8"))
        columns = _columns(root, table)
        for field in schema["fields"]:
            if field.get("example") not in columns[field["name"]] - {""}:
                wrong.append(f"{table}.{field['name']}: {field.get('example')!r}")
    return wrong


def test_every_field_has_an_example_taken_from_its_column() -> None:
    assert examples_not_in_the_data() == []


def test_an_invented_example_is_found(package_copy: Path) -> None:
    path = package_copy / "schemas" / "indicators.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"][2]["example"] = "Something nobody counted."
    path.write_text(json.dumps(schema), encoding="utf-8")
    assert examples_not_in_the_data(package_copy) == ["indicators.definition: 'Something nobody counted.'"]
