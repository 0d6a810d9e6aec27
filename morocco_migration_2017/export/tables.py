"""The tables as xlsx, Parquet and one JSON document."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from ..package import Package
from ..rules import constraints
from .common import NAME, atomic, citation, pinned_zip, records


def to_xlsx(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    """A "Read me" sheet, then a sheet per table: header frozen and filtered, enums as lists."""
    from openpyxl import Workbook

    book = Workbook()
    _read_me(package, book.active)
    for name, resource in package.resources.items():
        _table_sheet(book.create_sheet(name), resource, records(package, name))
    book.properties.created = book.properties.modified = package.created
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as saved:
        entries = [(info.filename, saved.read(info)) for info in saved.infolist()]
    # openpyxl stamps the save time as "modified"; pin it to the package's date, as every timestamp.
    stamp = rb"\g<1>" + package.created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    entries = [(n, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", stamp, d)) for n, d in entries]
    return [atomic(out / f"{NAME}.xlsx", pinned_zip(entries, package.created))]


def _read_me(package: Package, sheet: Any) -> None:
    """Title, version, licence, citation, each field's type and description, each figure's quote."""
    sheet.title = "Read me"
    descriptor, licence = package.descriptor, package.descriptor["licenses"][0]
    sheet.append(["Dataset", descriptor["title"]])
    for key in ("description", "version", "id"):
        sheet.append([key.capitalize(), descriptor[key]])
    sheet.append(["Licence", f"{licence['name']}: {licence['title']}"])
    sheet.append(["How to cite", citation(package)])
    sheet.append([])
    sheet.append(["Sheet", "Field", "Type", "Description"])
    for name, resource in package.resources.items():
        for field in resource.fields:
            kind, description = field.get("type", "string"), field.get("description", "")
            sheet.append([name, field["name"], kind, description])
    sheet.append([])
    sheet.append(["Figure", "Quote (the article's own words)"])
    for record in records(package, "statistics"):
        sheet.append([record["statistic_id"], record["quote"]])
    _as_text(sheet)
    _fit_widths(sheet)


def _table_sheet(sheet: Any, resource: Any, rows: list[dict[str, Any]]) -> None:
    sheet.append(resource.field_names)
    for record in rows:
        sheet.append([_xlsx_value(record[f["name"]], f) for f in resource.fields])
    _as_text(sheet)
    sheet.freeze_panes = "A2"  # the header stays in view
    sheet.auto_filter.ref = sheet.dimensions
    _enum_lists(sheet, resource.fields)
    _fit_widths(sheet)


def _as_text(sheet: Any) -> None:
    """Text is text, never a formula, whatever it starts with; dates show as dates."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd"


def _enum_lists(sheet: Any, fields: list[dict[str, Any]]) -> None:
    """Each column with an enum accepts only its values, as a drop-down list. A list Excel cannot
    hold (over 255 characters, or a value with a comma or a quote: a fork's) gets none."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    for number, field in enumerate(fields, 1):
        allowed = constraints(field).get("enum")
        if not allowed:
            continue
        listed = ",".join(str(value) for value in allowed)
        if len(listed) > 255 or '"' in listed or any("," in str(value) for value in allowed):
            continue
        blank = not constraints(field).get("required", False)  # a required column takes no blank
        rule = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=blank)
        rule.showErrorMessage = True
        rule.error = f"{field['name']} takes one of: {listed}"
        column = get_column_letter(number)
        rule.add(f"{column}2:{column}1048576")
        sheet.add_data_validation(rule)


WIDEST = 60  # characters; a longer cell wraps within its column


def _fit_widths(sheet: Any) -> None:
    """Each column as wide as its longest cell (header included), between 8 and 60 characters; a
    cell longer than its column wraps, so none is cut off."""
    from openpyxl.styles import Alignment

    for column in sheet.iter_cols():
        longest = max(
            (len(str(cell.value)) for cell in column if cell.value is not None), default=0
        )
        width = min(max(longest + 2, 8), WIDEST)
        sheet.column_dimensions[column[0].column_letter].width = width
        for cell in column:
            if cell.value is not None and len(str(cell.value)) + 2 > width:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _xlsx_value(value: Any, field: dict[str, Any]) -> Any:
    return (
        dt.datetime.fromisoformat(value)
        if value is not None and field.get("type") == "date"
        else value
    )


def to_parquet(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = {
        "integer": pa.int64(),
        "number": pa.float64(),
        "string": pa.string(),
        "date": pa.date32(),
    }
    written = []
    for name, resource in package.resources.items():
        fields = [
            pa.field(
                f["name"],
                kinds[f.get("type", "string")],
                not constraints(f).get("required"),
                _parquet_metadata(f),
            )
            for f in resource.fields
        ]
        schema = pa.schema(
            fields,
            metadata={"package": NAME, "version": package.descriptor["version"], "table": name},
        )
        rows = records(package, name)
        columns = {
            f["name"]: [_parquet_value(r[f["name"]], f) for r in rows] for f in resource.fields
        }
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
    return (
        dt.date.fromisoformat(value) if value is not None and field.get("type") == "date" else value
    )


def to_json(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    document = {
        "name": NAME,
        "version": package.descriptor["version"],
        "tables": {name: records(package, name) for name in package.resources},
    }
    return [
        atomic(
            out / f"{NAME}.json",
            (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
        )
    ]
