"""Issue: exports in every format, generated from the package, byte-reproducible, and read back value for value."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import morocco_migration_2017 as mm
from morocco_migration_2017.cli import main
from morocco_migration_2017.export import WRITERS

TABLES = mm.load_all()


def expected(name: str) -> list[dict[str, Any]]:
    """load_all()'s table as plain values, independently of the exporter: int, str, date, None."""
    frame = TABLES[name]
    rows = []
    for record in frame.to_dict("records"):
        row = {}
        for key, value in record.items():
            if pd.isna(value):
                row[key] = None
            elif isinstance(value, pd.Timestamp):
                row[key] = value.date()
            elif pd.api.types.is_integer(value):
                row[key] = int(value)
            else:
                row[key] = str(value)
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    assert main(["export", *[f"--format={f}" for f in WRITERS], "--out", str(out)]) == 0
    return out


def test_two_runs_give_identical_bytes(exported: Path, tmp_path: Path) -> None:
    assert main(["export", *[f"--format={f}" for f in WRITERS], "--out", str(tmp_path)]) == 0
    first = {p.relative_to(exported): p.read_bytes() for p in exported.rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert first == second and len(first) == 13


def test_xlsx_round_trips_with_typed_cells(exported: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(exported / "morocco-migration-2017.xlsx")
    assert book.sheetnames == ["Read me", *TABLES]
    about = [row for row in book["Read me"].iter_rows(values_only=True)]
    assert about[0][1] == json.loads((mm.default_root() / "datapackage.json").read_text())["title"]
    assert any(row[0] == "How to cite" and "original article" in row[1] for row in about)
    assert ("statistics", "value", "integer") in {row[:3] for row in about}
    for name in TABLES:
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == list(TABLES[name].columns)
        read = [
            dict(zip(rows[0], (v.date() if isinstance(v, dt.datetime) else v for v in row), strict=True)) for row in rows[1:]
        ]
        assert read == expected(name), name


def test_xlsx_sheets_are_ready_to_filter_and_hold_their_enums(exported: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(exported / "morocco-migration-2017.xlsx")
    for name in TABLES:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == sheet.dimensions, name
        header = [cell.value for cell in sheet[1]]
        schema = json.loads((mm.default_root() / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
        enums = {f["name"]: f["constraints"]["enum"] for f in schema["fields"] if "enum" in f.get("constraints", {})}
        required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
        lists = {}
        for rule in sheet.data_validations.dataValidation:
            column = header[next(iter(rule.sqref.ranges)).min_col - 1]
            lists[column] = rule.formula1.strip('"').split(",")
            assert rule.type == "list" and rule.showErrorMessage, (name, column)
            assert bool(rule.allow_blank) == (column not in required), (name, column)
            (cells,) = rule.sqref.ranges  # the whole column below the header
            assert (cells.min_col, cells.min_row, cells.max_row) == (cells.max_col, 2, 1048576), (name, column)
        assert lists == {k: [str(v) for v in values] for k, values in enums.items()}, name
        for number, title in enumerate(header, 1):
            width = sheet.column_dimensions[sheet.cell(1, number).column_letter].width
            assert width >= min(len(title) + 2, 60), (name, title)
        wrapped = 0
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                width = sheet.column_dimensions[cell.column_letter].width
                too_long = cell.value is not None and len(str(cell.value)) + 2 > width
                assert bool(cell.alignment.wrap_text) == too_long, (name, cell.coordinate)
                wrapped += too_long
        assert wrapped or name != "statistics"  # the quotes are longer than 60 characters: they wrap


def test_xlsx_read_me_quotes_each_figure(exported: Path) -> None:
    from openpyxl import load_workbook

    rows = list(load_workbook(exported / "morocco-migration-2017.xlsx")["Read me"].iter_rows(values_only=True))
    start = rows.index(("Figure", "Quote (the article's own words)", None, None)) + 1
    quotes = {row[0]: row[1] for row in rows[start:]}
    assert quotes == {r["statistic_id"]: r["quote"] for r in expected("statistics")}
    for row in rows[:6]:
        assert row[0] in {"Dataset", "Description", "Version", "Id", "Licence", "How to cite"}


def test_parquet_round_trips_with_types_and_descriptions(exported: Path) -> None:
    import pyarrow.parquet as pq

    for name in TABLES:
        table = pq.read_table(exported / "parquet" / f"{name}.parquet")
        assert table.to_pylist() == expected(name), name
        assert table.schema.metadata[b"version"].decode() == mm.__version__
        field = mm.schema(name).columns[table.schema.names[0]]
        assert table.schema.field(0).metadata[b"description"].decode() == field.description
    assert str(pq.read_table(exported / "parquet" / "statistics.parquet").schema.field("value").type) == "int64"


@pytest.mark.parametrize("name", list(TABLES))
def test_parquet_keeps_required_fields_non_null_and_the_schema_words(exported: Path, name: str) -> None:
    import pyarrow.parquet as pq

    stored = pq.ParquetFile(exported / "parquet" / f"{name}.parquet")
    schema = stored.schema_arrow
    table_schema = json.loads((mm.default_root() / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    for field in table_schema["fields"]:
        column = schema.field(field["name"])
        assert column.nullable is not field["constraints"].get("required", False), field["name"]
        physical = stored.schema.column(schema.get_field_index(field["name"]))
        assert (physical.max_definition_level == 0) is field["constraints"].get("required", False), field["name"]
        words = {k.decode(): v.decode() for k, v in column.metadata.items()}
        assert words == {
            "title": field["title"],
            "type": field["type"],
            "constraints": json.dumps(field["constraints"], ensure_ascii=False, sort_keys=True),
            "description": field["description"],
        }, field["name"]


def test_sqlite_round_trips_with_keys(exported: Path) -> None:
    with sqlite3.connect(exported / "morocco-migration-2017.db") as db:
        db.row_factory = sqlite3.Row
        for name in TABLES:
            read = [dict(row) for row in db.execute(f'SELECT * FROM "{name}"')]
            plain = [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()} for row in expected(name)]
            assert read == plain, name
        keys = db.execute("SELECT * FROM pragma_foreign_key_list('statistics')").fetchall()
        assert {k["table"] for k in keys} == {"indicators", "statements", "sources"}
        assert db.execute("SELECT count(*) FROM pragma_table_info('statistics') WHERE pk > 0").fetchone()[0] == 1


def test_json_round_trips_typed(exported: Path) -> None:
    document = json.loads((exported / "morocco-migration-2017.json").read_text(encoding="utf-8"))
    assert document["version"] == mm.__version__
    for name in TABLES:
        plain = [{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in row.items()} for row in expected(name)]
        assert document["tables"][name] == plain, name


def test_zip_is_the_data_package_and_validates(exported: Path, tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(exported / "morocco-migration-2017.zip") as archive:
        archive.extractall(tmp_path)
    unpacked = tmp_path / "morocco-migration-2017"
    for path in [*(mm.default_root() / "data").rglob("*"), *(mm.default_root() / "schemas").glob("*.json")]:
        if path.is_file():
            assert (unpacked / path.relative_to(mm.default_root())).read_bytes() == path.read_bytes()
    assert main(["validate", str(unpacked)]) == 0


def test_datasette_shows_the_descriptions_from_metadata(exported: Path) -> None:
    from test_standards import serve_and_get

    page = serve_and_get(exported, "morocco-migration-2017.db", "/-/metadata.json")
    table = page["databases"]["morocco-migration-2017"]["tables"]["statistics"]
    assert table["columns"]["value"] == mm.schema("statistics").columns["value"].description
    rows = serve_and_get(exported, "morocco-migration-2017.db", "/morocco-migration-2017/statistics.json?_shape=array")
    by_id = {r["statistic_id"]: r["value"] for r in expected("statistics")}
    assert {r["statistic_id"]: r["value"] for r in rows} == by_id


def test_load_and_validate_never_import_the_export_libraries(tmp_path: Path) -> None:
    # pyarrow is left out of the list: pandas 3 itself imports it, when installed, for its string dtype.
    code = (
        "import sys, morocco_migration_2017 as mm; mm.load_all(); "
        "from morocco_migration_2017.validation import validate_package; validate_package(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl' or m == 'morocco_migration_2017.export'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
