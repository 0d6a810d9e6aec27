"""The package in other formats, generated from it and never edited: xlsx, Parquet, SQLite (+ Datasette
metadata), JSON and a zip of the Data Package itself. Byte-reproducible: every timestamp is the package's
`created`. Needs the `[export]` extra (openpyxl, pyarrow); load() and validate never import this module.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from .package import Resource, open_package, package_files, read_file

NAME = "morocco-migration-2017"
_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "string": "TEXT", "date": "TEXT"}


class Package:
    """The tables (typed and validated), their schemas and the descriptor of one package."""

    def __init__(self, root: str | Path | None) -> None:
        pkg = open_package(root, validate=True)  # read once
        self.root, self.descriptor, self.resources, self.tables = pkg.root, pkg.descriptor, pkg.resources, pkg.tables
        self.created = dt.datetime.fromisoformat(self.descriptor["created"].replace("Z", "+00:00")).replace(tzinfo=None)

    def records(self, name: str) -> list[dict[str, Any]]:
        """Rows as plain Python values: int, float, str, ISO date text, None for empty."""
        kinds = {f["name"]: f.get("type", "string") for f in self.resources[name].fields}
        return [{k: _plain(v, kinds[k]) for k, v in row.items()} for row in self.tables[name].to_dict("records")]

    def citation(self) -> str:
        article = self.descriptor["sources"][0]
        return (
            f"{self.descriptor['contributors'][0]['title']} ({self.created.year}). {self.descriptor['title']}, version "
            f"{self.descriptor['version']} ({self.descriptor['id']}). "
            f"Cite the original article as well: {article['title']}, {article['path']}"
        )


def _plain(value: Any, kind: str) -> Any:
    if pd.isna(value):
        return None
    return {"date": lambda v: v.date().isoformat(), "integer": int, "number": float}.get(kind, str)(value)


def _atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temp, 0o644)
    os.replace(temp, path)
    return path


def _pinned_zip(entries: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """A zip whose bytes depend only on its entries: fixed order, fixed timestamps, fixed permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def to_xlsx(package: Package, out: Path) -> list[Path]:
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = "About"
    about.append(["Dataset", package.descriptor["title"]])
    for key in ("description", "version", "id"):
        about.append([key.capitalize(), package.descriptor[key]])
    about.append(["Licence", f"{package.descriptor['licenses'][0]['name']}: {package.descriptor['licenses'][0]['title']}"])
    about.append(["How to cite", package.citation()])
    about.append([])
    about.append(["Sheet", "Field", "Type", "Description"])
    for name, resource in package.resources.items():
        for field in resource.fields:
            about.append([name, field["name"], field.get("type", "string"), field.get("description", "")])
    for name, resource in package.resources.items():
        sheet = book.create_sheet(name)
        sheet.append(resource.field_names)
        for record in package.records(name):
            sheet.append([_xlsx_value(record[f["name"]], f) for f in resource.fields])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is text, never a formula, whatever it starts with
                elif isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
    book.properties.created = book.properties.modified = package.created
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        entries = [(info.filename, saved.read(info)) for info in saved.infolist()]
    # openpyxl stamps the save time as "modified"; pin it to the package's date like every other timestamp.
    stamp = package.created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [(n, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, d)) for n, d in entries]
    return [_atomic(out / f"{NAME}.xlsx", _pinned_zip(entries, package.created))]


def _xlsx_value(value: Any, field: dict[str, Any]) -> Any:
    return dt.datetime.fromisoformat(value) if value is not None and field.get("type") == "date" else value


def to_parquet(package: Package, out: Path) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string(), "date": pa.date32()}
    written = []
    for name, resource in package.resources.items():
        fields = [
            pa.field(
                f["name"], kinds[f.get("type", "string")], nullable=True, metadata={"description": f.get("description", "")}
            )
            for f in resource.fields
        ]
        schema = pa.schema(fields, metadata={"package": NAME, "version": package.descriptor["version"], "table": name})
        records = package.records(name)
        columns = {f["name"]: [_parquet_value(r[f["name"]], f) for r in records] for f in resource.fields}
        buffer = io.BytesIO()
        pq.write_table(pa.table(columns, schema=schema), buffer)
        written.append(_atomic(out / "parquet" / f"{name}.parquet", buffer.getvalue()))
    return written


def _parquet_value(value: Any, field: dict[str, Any]) -> Any:
    return dt.date.fromisoformat(value) if value is not None and field.get("type") == "date" else value


def _create_table(resource: Resource) -> str:
    columns = [
        f'"{f["name"]}" {_SQL_TYPES[f.get("type", "string")]}'
        + (" NOT NULL" if f.get("constraints", {}).get("required") else "")
        for f in resource.fields
    ]
    columns.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in resource.primary_key) + ")")
    for key in resource.foreign_keys:
        target = key["reference"]
        columns.append(
            f'FOREIGN KEY ({", ".join(key["fields"])}) REFERENCES "{target["resource"]}" ({", ".join(target["fields"])})'
        )
    return f'CREATE TABLE "{resource.name}" (\n  ' + ",\n  ".join(columns) + "\n)"


def datasette_metadata(package: Package, database: str) -> dict[str, Any]:
    """The metadata.json Datasette reads: titles, descriptions (of tables and columns), licence, source."""
    article = package.descriptor["sources"][0]
    tables = {
        name: {
            "title": package.descriptor["resources"][i]["title"],
            "description": resource.schema.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in resource.fields},
        }
        for i, (name, resource) in enumerate(package.resources.items())
    }
    return {
        "title": package.descriptor["title"],
        "description": package.descriptor["description"],
        "license": package.descriptor["licenses"][0]["name"],
        "license_url": package.descriptor["licenses"][0]["path"],
        "source": article["title"],
        "source_url": article["path"],
        "databases": {database: {"tables": tables}},
    }


def to_sqlite(package: Package, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=out, prefix=f".{NAME}.", suffix=".db")
    os.close(handle)
    with sqlite3.connect(temp) as db:
        for name, resource in package.resources.items():
            db.execute(_create_table(resource))
            marks = ", ".join("?" for _ in resource.fields)
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', [tuple(r.values()) for r in package.records(name)])
    db.close()
    os.chmod(temp, 0o644)
    os.replace(temp, out / f"{NAME}.db")
    metadata = json.dumps(datasette_metadata(package, NAME), indent=2, ensure_ascii=False) + "\n"
    return [out / f"{NAME}.db", _atomic(out / "metadata.json", metadata.encode("utf-8"))]


def to_json(package: Package, out: Path) -> list[Path]:
    document = {
        "name": NAME,
        "version": package.descriptor["version"],
        "tables": {name: package.records(name) for name in package.resources},
    }
    return [_atomic(out / f"{NAME}.json", (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))]


def to_zip(package: Package, out: Path) -> list[Path]:
    entries = [(f"{NAME}/{path}", read_file(package.root, path)) for path in package_files(package.descriptor)]
    return [_atomic(out / f"{NAME}.zip", _pinned_zip(entries, package.created))]


WRITERS: dict[str, Callable[[Package, Path], list[Path]]] = {
    "xlsx": to_xlsx,
    "parquet": to_parquet,
    "sqlite": to_sqlite,
    "json": to_json,
    "zip": to_zip,
}


def export(formats: list[str], out: str | Path = "dist/exports", root: str | Path | None = None) -> list[Path]:
    """Write each format into out; returns the files written. The tables are validated (pandera) first."""
    package = Package(root)
    return [path for fmt in dict.fromkeys(formats) for path in WRITERS[fmt](package, Path(out))]


__all__ = ["WRITERS", "datasette_metadata", "export"]
