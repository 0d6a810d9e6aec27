"""The tables as xlsx, Parquet and one JSON document."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from ..package import Package, constraints
from .common import NAME, atomic, citation, pinned_zip, records


def to_xlsx(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = "About"
    about.append(["Dataset", package.descriptor["title"]])
    for key in ("description", "version", "id"):
        about.append([key.capitalize(), package.descriptor[key]])
    about.append(["Licence", f"{package.descriptor['licenses'][0]['name']}: {package.descriptor['licenses'][0]['title']}"])
    about.append(["How to cite", citation(package)])
    about.append([])
    about.append(["Sheet", "Field", "Type", "Description"])
    for name, resource in package.resources.items():
        for field in resource.fields:
            about.append([name, field["name"], field.get("type", "string"), field.get("description", "")])
    for name, resource in package.resources.items():
        sheet = book.create_sheet(name)
        sheet.append(resource.field_names)
        for record in records(package, name):
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
    return [atomic(out / f"{NAME}.xlsx", pinned_zip(entries, package.created))]


def _xlsx_value(value: Any, field: dict[str, Any]) -> Any:
    return dt.datetime.fromisoformat(value) if value is not None and field.get("type") == "date" else value


def to_parquet(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {"integer": pa.int64(), "number": pa.float64(), "string": pa.string(), "date": pa.date32()}
    written = []
    for name, resource in package.resources.items():
        fields = [
            pa.field(f["name"], kinds[f.get("type", "string")], not constraints(f).get("required"), _parquet_metadata(f))
            for f in resource.fields
        ]
        schema = pa.schema(fields, metadata={"package": NAME, "version": package.descriptor["version"], "table": name})
        rows = records(package, name)
        columns = {f["name"]: [_parquet_value(r[f["name"]], f) for r in rows] for f in resource.fields}
        buffer = io.BytesIO()
        pq.write_table(pa.table(columns, schema=schema), buffer)
        written.append(atomic(out / "parquet" / f"{name}.parquet", buffer.getvalue()))
    return written


def _parquet_metadata(field: dict[str, Any]) -> dict[str, str]:
    """The Table Schema's words for a column: title, type, constraints (as JSON) and description."""
    return {
        "title": field.get("title", ""),
        "type": field.get("type", "string"),
        "constraints": json.dumps(field.get("constraints", {}), ensure_ascii=False, sort_keys=True),
        "description": field.get("description", ""),
    }


def _parquet_value(value: Any, field: dict[str, Any]) -> Any:
    return dt.date.fromisoformat(value) if value is not None and field.get("type") == "date" else value


def to_json(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    document = {
        "name": NAME,
        "version": package.descriptor["version"],
        "tables": {name: records(package, name) for name in package.resources},
    }
    return [atomic(out / f"{NAME}.json", (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))]
