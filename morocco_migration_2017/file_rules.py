"""Byte-level rules for every CSV that Frictionless does not enforce: UTF-8 without BOM, LF, a final newline, commas."""

from __future__ import annotations

from .problems import Problem

CHECK = "files"


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def check_csv(relpath: str, data: bytes) -> list[Problem]:
    """Every byte-level rule for one CSV file of the package, given its bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return [Problem(CHECK, relpath, "file starts with a UTF-8 byte-order mark (BOM); save as UTF-8 without BOM", row=1)]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        message = (
            f"not UTF-8, the encoding it declares (byte {data[err.start]:#04x} at offset {err.start}); re-save as UTF-8"
        )
        return [Problem(CHECK, relpath, message, row=_line_of(data, err.start), field="encoding")]
    problems = []
    if b"\r" in data:
        message = "carriage return found (CRLF line endings?); use LF line endings only"
        problems.append(Problem(CHECK, relpath, message, row=_line_of(data, data.index(b"\r"))))
    if not data.endswith(b"\n"):
        problems.append(Problem(CHECK, relpath, "last line does not end with a newline (LF)", row=_line_of(data, len(data))))
    elif data.endswith(b"\n\n"):
        problems.append(Problem(CHECK, relpath, "blank line at the end of the file; remove it", row=data.count(b"\n")))
    header = data.split(b"\n", 1)[0]
    if b"," not in header and (b"\t" in header or b";" in header):
        message = "header is not comma-separated (tab or semicolon found); the package's CSVs use commas"
        problems.append(Problem(CHECK, relpath, message, row=1))
    return problems
