"""Byte-level rules for every CSV that Frictionless does not enforce: UTF-8 without BOM, LF, commas, no formulas."""

from __future__ import annotations

import csv
import io
import re

from .problems import Problem

CHECK = "file-rules"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A cell that may start with a trigger: at a line start or after a comma, optionally quoted.
_SUSPECT = re.compile(r'(?:^|,)"?[=+\-@\t]', re.MULTILINE)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _encoding_problems(data: bytes, name: str) -> list[Problem]:
    if data.startswith(b"\xef\xbb\xbf"):
        return [Problem(CHECK, name, "file starts with a UTF-8 byte-order mark (BOM); save as UTF-8 without BOM", row=1)]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        return [
            Problem(
                CHECK,
                name,
                f"not valid UTF-8 (byte {data[err.start]:#04x} at offset {err.start}); re-save the file as UTF-8",
                row=_line_of(data, err.start),
            )
        ]
    return []


def _layout_problems(data: bytes, name: str) -> list[Problem]:
    problems = []
    if b"\r" in data:
        problems.append(
            Problem(
                CHECK,
                name,
                "carriage return found (CRLF line endings?); use LF line endings only",
                row=_line_of(data, data.index(b"\r")),
            )
        )
    if data and not data.endswith(b"\n"):
        problems.append(Problem(CHECK, name, "last line does not end with a newline (LF)", row=_line_of(data, len(data))))
    if data.endswith(b"\n\n"):
        problems.append(Problem(CHECK, name, "blank line at the end of the file; remove it", row=data.count(b"\n")))
    header = data.split(b"\n", 1)[0]
    if b"," not in header and (b"\t" in header or b";" in header):
        problems.append(
            Problem(
                CHECK, name, "header is not comma-separated (tab or semicolon found); the package's CSVs use commas", row=1
            )
        )
    return problems


def _cell_problems(text: str, name: str) -> list[Problem]:
    """Rows whose cell count differs from the header, and cells a spreadsheet would run as formulas."""
    suspect = _SUSPECT.search(text) is not None
    problems = []
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    for number, cells in enumerate(rows, start=2):
        if cells and len(cells) != len(header):
            problems.append(
                Problem(
                    CHECK,
                    name,
                    f"row has {len(cells)} cells but the header has {len(header)} (a short or long row)",
                    row=number,
                )
            )
        if suspect:
            problems += _formula_cells(cells, header, number, name)
    return problems


def _formula_cells(cells: list[str], header: list[str], number: int, name: str) -> list[Problem]:
    return [
        Problem(
            CHECK,
            name,
            f"text starts with {cell[0]!r}, which a spreadsheet runs as a formula; reword the cell",
            row=number,
            field=header[i] if i < len(header) else f"column {i + 1}",
            value=cell,
        )
        for i, cell in enumerate(cells)
        if cell.startswith(FORMULA_TRIGGERS)
    ]


def check_csv(relpath: str, data: bytes | None) -> list[Problem]:
    """Every byte-level rule for one CSV file of the package, given its bytes (None: the file is missing)."""
    if data is None:
        return [Problem(CHECK, relpath, "file is missing")]
    problems = _encoding_problems(data, relpath)
    if problems:
        return problems
    return _layout_problems(data, relpath) + _cell_problems(data.decode("utf-8"), relpath)
