"""The tables as one SQLite database, with the metadata.json Datasette reads."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from ..package import Package, Resource
from .common import NAME, atomic, records

_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "string": "TEXT", "date": "TEXT"}


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


def to_sqlite(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=out, prefix=f".{NAME}.", suffix=".db")
    os.close(handle)
    with sqlite3.connect(temp) as db:
        for name, resource in package.resources.items():
            db.execute(_create_table(resource))
            marks = ", ".join("?" for _ in resource.fields)
            db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', [tuple(r.values()) for r in records(package, name)])
    db.close()
    os.chmod(temp, 0o644)
    os.replace(temp, out / f"{NAME}.db")
    metadata = json.dumps(datasette_metadata(package, NAME), indent=2, ensure_ascii=False) + "\n"
    return [out / f"{NAME}.db", atomic(out / "metadata.json", metadata.encode("utf-8"))]
