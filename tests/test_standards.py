"""Issue: valid for every Data Package tool. The descriptor against the vendored v2 profiles, and the real clients
people open the package with, each run on the package exactly as shipped (a scratch copy of it)."""

from __future__ import annotations

import csv
import itertools
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import morocco_migration_2017 as mm
from edits import ROOT

PROFILES = ROOT / "tests" / "fixtures" / "profiles-2.0"
BIN = Path(sys.executable).parent
TABLES = mm.table_names()


def profile(name: str) -> dict[str, Any]:
    return json.loads((PROFILES / f"{name}.json").read_text(encoding="utf-8"))


def inlined(root: Path = ROOT) -> dict[str, Any]:
    """datapackage.json with each schema file inlined, as the profile checkers take it."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        resource["schema"] = json.loads((root / resource["schema"]).read_text(encoding="utf-8"))
    return descriptor


def profile_errors(descriptor: dict[str, Any]) -> list[str]:
    """Every error of the descriptor against the package, resource, Table Schema and dialect profiles."""
    found = [(e, "datapackage") for e in jsonschema.Draft7Validator(profile("datapackage")).iter_errors(descriptor)]
    for resource in descriptor["resources"]:
        found += [(e, "dataresource") for e in jsonschema.Draft7Validator(profile("dataresource")).iter_errors(resource)]
        found += [
            (e, "tableschema") for e in jsonschema.Draft7Validator(profile("tableschema")).iter_errors(resource["schema"])
        ]
        found += [
            (e, "tabledialect") for e in jsonschema.Draft7Validator(profile("tabledialect")).iter_errors(resource["dialect"])
        ]
    return [f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message[:120]}" for e, name in found]


def test_the_vendored_profiles_are_the_ones_the_descriptor_names() -> None:
    sources = (PROFILES / "SOURCE.md").read_text(encoding="utf-8")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    for name in ("datapackage", "dataresource", "tableschema", "tabledialect"):
        jsonschema.Draft7Validator.check_schema(profile(name))
        assert f"{name}.json" in sources


def test_descriptor_is_valid_against_the_v2_profiles() -> None:
    assert profile_errors(inlined()) == []


def test_descriptor_has_a_stable_identifier() -> None:
    import uuid

    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert uuid.UUID(descriptor["id"]).version == 4


@pytest.mark.parametrize(
    ("name", "corrupt", "where"),
    [
        ("number-example", lambda d: d["resources"][0]["schema"]["fields"][3].update(example=50000), "fields/3"),
        ("text-resource", lambda d: d["resources"][0].update(type="text"), "type"),
        ("bad-field-type", lambda d: d["resources"][1]["schema"]["fields"][0].update(type="text"), "fields/0"),
    ],
)
def test_the_profile_check_can_fail(name: str, corrupt: Any, where: str) -> None:
    descriptor = inlined()
    corrupt(descriptor)
    assert any(where in error for error in profile_errors(descriptor)), name


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from edits import copy_package

    return copy_package(tmp_path_factory.mktemp("shipped"))


def run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=cwd, capture_output=True, text=True, timeout=120)


def test_frictionless_extract_gives_integers(shipped: Path) -> None:
    result = run(str(BIN / "frictionless"), "extract", "--json", "datapackage.json", cwd=shipped)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["statistics"]
    assert len(rows) == 6 and all(type(r["value"]) is int and type(r["quote_start"]) is int for r in rows)


@pytest.fixture(scope="module")
def frictionless_db(shipped: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from frictionless import Package

    db = tmp_path_factory.mktemp("sqlite") / "package.db"
    Package(str(shipped / "datapackage.json")).publish(f"sqlite:///{db}")
    return db


def test_frictionless_publishes_every_table_to_sqlite(frictionless_db: Path) -> None:
    with sqlite3.connect(frictionless_db) as db:
        for name in TABLES:
            assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(mm.load(name)), name


@pytest.fixture(scope="module")
def datasette_db(shipped: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("datasette")
    result = run(
        str(BIN / "datapackage-to-datasette"),
        str(out / "morocco.db"),
        "datapackage.json",
        str(out / "metadata.json"),
        cwd=shipped,
    )
    assert result.returncode == 0, result.stderr
    return out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_and_get(folder: Path, database: str, path: str) -> Any:
    """Start datasette on a local port, read one JSON page, stop it."""
    port = _free_port()
    command = [
        str(BIN / "datasette"),
        "serve",
        str(folder / database),
        "--port",
        str(port),
        "--metadata",
        str(folder / "metadata.json"),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                    return json.loads(response.read())
            except OSError:
                time.sleep(0.1)
        raise AssertionError(server.stderr.read().decode() if server.poll() is not None else "datasette did not answer")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_datapackage_to_datasette_imports_every_row(datasette_db: Path) -> None:
    with sqlite3.connect(datasette_db / "morocco.db") as db:
        for name in TABLES:
            assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == len(mm.load(name)), name


def test_datasette_serves_statistics_with_declared_types(datasette_db: Path) -> None:
    rows = serve_and_get(datasette_db, "morocco.db", "/morocco/statistics.json?_shape=array")
    assert len(rows) == 6
    for row in rows:
        assert type(row["value"]) is int and type(row["quote_start"]) is int and type(row["quote_end"]) is int
        assert row["period_end"] is None or (len(row["period_end"]) == 10 and row["period_end"][4] == "-")


def test_legacy_datapackage_library_reads_every_table_with_relations(shipped: Path) -> None:
    import datapackage

    package = datapackage.Package(str(shipped / "datapackage.json"))
    assert package.valid, package.errors
    for name in TABLES:
        rows = package.get_resource(name).read(keyed=True, relations=True)
        assert len(rows) == len(mm.load(name)), name
    statistic = package.get_resource("statistics").read(keyed=True, relations=True)[0]
    assert statistic["statement_id"]["claimant"] == mm.load("statements")["claimant"][0]


@pytest.mark.parametrize("table", TABLES)
def test_csvkit_sniffs_every_csv(table: str, shipped: Path) -> None:
    result = run(str(BIN / "csvstat"), f"data/{table}.csv", cwd=shipped)
    assert result.returncode == 0 and "Row count" in result.stdout, result.stderr
    sniffed = csv.Sniffer().sniff((shipped / f"data/{table}.csv").read_text(encoding="utf-8"))
    assert (sniffed.delimiter, sniffed.quotechar) == (",", '"')


@pytest.mark.parametrize("table", TABLES)
def test_duckdb_and_polars_read_every_csv(table: str, shipped: Path) -> None:
    import duckdb
    import polars as pl

    expected = len(mm.load(table))
    assert duckdb.sql(f"SELECT count(*) FROM read_csv_auto('{shipped / 'data' / table}.csv')").fetchall()[0][0] == expected
    assert pl.read_csv(shipped / "data" / f"{table}.csv").height == expected


def test_one_type_per_column_in_every_tool(shipped: Path, frictionless_db: Path) -> None:
    """value and reported_value are integers in load(), SQLite, DuckDB, polars and frictionless extract."""
    import duckdb
    import polars as pl

    kinds = {
        "load": str(mm.load("statistics")["value"].dtype),
        "load cross_checks": str(mm.load("cross_checks")["reported_value"].dtype),
    }
    with sqlite3.connect(frictionless_db) as db:
        kinds["sqlite"] = db.execute("SELECT DISTINCT typeof(value) FROM statistics").fetchone()[0]
        kinds["sqlite cross_checks"] = db.execute("SELECT typeof(reported_value) FROM cross_checks LIMIT 1").fetchall()[0][0]
    kinds["duckdb"] = duckdb.sql(
        f"SELECT typeof(value) FROM read_csv_auto('{shipped}/data/statistics.csv') LIMIT 1"
    ).fetchall()[0][0]
    kinds["polars"] = str(pl.read_csv(shipped / "data/statistics.csv")["value"].dtype)
    extract = run(str(BIN / "frictionless"), "extract", "--json", "datapackage.json", cwd=shipped)
    kinds["frictionless"] = type(json.loads(extract.stdout)["statistics"][0]["value"]).__name__
    assert kinds == {
        "load": "Int64",
        "load cross_checks": "Int64",
        "sqlite": "integer",
        "sqlite cross_checks": "integer",
        "duckdb": "BIGINT",
        "polars": "Int64",
        "frictionless": "int",
    }


def test_read_back_values_agree_across_tools(frictionless_db: Path) -> None:
    with sqlite3.connect(frictionless_db) as db:
        stored = dict(db.execute("SELECT statistic_id, value FROM statistics").fetchall())
    loaded = dict(zip(mm.load()["statistic_id"], mm.load()["value"], strict=True))
    assert stored == {k: int(v) for k, v in loaded.items()}


def test_the_snippets_on_the_use_it_with_page_run(shipped: Path) -> None:
    """Each Python snippet of docs/use-it-with.md runs against the shipped package (R and Excel cannot here)."""
    page = (ROOT / "docs" / "use-it-with.md").read_text(encoding="utf-8")
    chunks = page.split("```python\n")
    assert len(chunks) >= 5
    for before, block in itertools.pairwise(chunks):
        if "*Run by `tests/" in before.rsplit("```", 1)[-1]:  # another client's environment runs it
            continue
        code = block.split("```", 1)[0]
        result = subprocess.run([sys.executable, "-c", code], cwd=shipped, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, code + result.stderr
    shell = [b.split("```", 1)[0] for b in page.split("```sh\n")[1:]]
    assert any("frictionless validate datapackage.json" in b for b in shell)


def test_workflow_is_clean_for_zizmor() -> None:
    result = run(str(BIN / "zizmor"), "--offline", ".github/workflows/", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_text_resource_would_break_the_sqlite_import(tmp_path: Path) -> None:
    """Why the snapshot is not a resource: with one of type text, Frictionless's SQLite publish stops."""
    from frictionless import Package

    from edits import copy_package

    broken = copy_package(tmp_path / "p")
    descriptor = json.loads((broken / "datapackage.json").read_text())
    descriptor["resources"].append({"name": "snap", "type": "text", "path": "data/sources/northafricapost-20703.txt"})
    (broken / "datapackage.json").write_text(json.dumps(descriptor))
    with pytest.raises(Exception, match=r"CREATE TABLE|snap"):
        Package(str(broken / "datapackage.json")).publish(f"sqlite:///{tmp_path / 'x.db'}")
    shutil.rmtree(broken)
