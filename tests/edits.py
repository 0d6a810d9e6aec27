"""Small, exact corruptions of a scratch package, for tests that show a check can fail."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_PARTS = ("datapackage.json", "data", "schemas")


def copy_package(target: Path) -> Path:
    """A scratch copy of the data package (descriptor, data, schemas) in target."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PACKAGE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def read_table(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_table(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))


def set_cell(root: Path, table: str, row: int, field: str, value: str) -> None:
    """Set one cell; row is the spreadsheet row number (the header is row 1)."""
    path = root / "data" / f"{table}.csv"
    rows = read_table(path)
    rows[row - 1][rows[0].index(field)] = value
    write_table(path, rows)


def get_cell(root: Path, table: str, row: int, field: str) -> str:
    rows = read_table(root / "data" / f"{table}.csv")
    return rows[row - 1][rows[0].index(field)]


def edit_rows(root: Path, table: str, change: Any) -> None:
    """Apply change(rows) -> rows to a table, keeping canonical CSV."""
    path = root / "data" / f"{table}.csv"
    write_table(path, change(read_table(path)))


def replace_bytes(path: Path, old: bytes, new: bytes, count: int = 1) -> None:
    data = path.read_bytes()
    assert old in data, f"{old!r} not in {path}"
    path.write_bytes(data.replace(old, new, count))


def edit_descriptor(root: Path, change: Any) -> None:
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in descriptor["resources"] if r["name"] == name)
