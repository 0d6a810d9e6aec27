"""Byte-level rules Frictionless does not enforce: UTF-8 without BOM, LF, a final newline, commas; and the
pins (sha256 and size) of the snapshots named in the descriptor's sources."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .problems import Problem
from .safe_read import DESCRIPTOR, PackageError, is_url, read_file

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
    found = [
        (b"\r" in data, "carriage return found (CRLF line endings?); use LF line endings only", data.find(b"\r")),
        (not data.endswith(b"\n"), "last line does not end with a newline (LF)", len(data)),
        (data.endswith(b"\n\n"), "blank line at the end of the file; remove it", len(data) - 1),
        (
            b"," not in data.split(b"\n", 1)[0] and data[:1] != b"",
            "header is not comma-separated; the package's CSVs use commas",
            0,
        ),
    ]
    return [Problem(CHECK, relpath, message, row=_line_of(data, at)) for broken, message, at in found if broken]


def sources_of(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """The descriptor's sources that are objects (check_pins reports any that are not)."""
    sources = descriptor.get("sources", [])
    return [s for s in sources if isinstance(s, dict)] if isinstance(sources, list) else []


def check_pins(root: Path, descriptor: dict[str, Any], texts: dict[str, str]) -> list[Problem]:
    """Each local file of the descriptor's sources is read safely and has its pinned hash and size; its text
    goes into texts. A source given as a URL is where the report was published: a reference, never fetched."""
    sources = descriptor.get("sources", [])
    if not isinstance(sources, list) or len(sources_of(descriptor)) != len(sources):
        return [Problem(CHECK, DESCRIPTOR, "sources must be a list of objects", field="sources")]
    problems = []
    for number, source in enumerate(sources):
        path = source.get("path")
        if is_url(path):
            continue
        try:
            data = read_file(root, path)
            texts[path] = data.decode("utf-8")
        except (PackageError, UnicodeDecodeError) as err:
            problems.append(Problem(CHECK, DESCRIPTOR, f"sources[{number}]: {err}", field="sources", value=path))
            continue
        pin = f"sha256:{hashlib.sha256(data).hexdigest()}"
        if source.get("hash") != pin or source.get("bytes") != len(data):
            message = f"sources[{number}]: hash and bytes must be {pin} and {len(data)}, as the file is"
            problems.append(Problem(CHECK, path, message, field="hash", value=source.get("hash")))
    return problems
