"""Safe file writing and canonical CSV for the maintenance scripts: atomic, idempotent, never lossy.

Not part of the installed package: only scripts/ use it.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from morocco_migration_2017.reading import read_file


class MaintenanceError(Exception):
    """A change the scripts refuse to make; the files are left as they were."""


def atomic_write(path: Path, data: bytes) -> None:
    """Replace path with data in one step: a temporary file in the same folder, then a rename."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_all(changes: dict[Path, bytes]) -> None:
    """Write every changed file, each atomically, only after all of them were computed without error."""
    for path, data in changes.items():
        atomic_write(path, data)


def read_rows(root: Path, relpath: str) -> list[list[str]]:
    """A CSV of the package as rows of text, read safely, tolerating a BOM and CRLF; refuses anything lossy."""
    path = root / relpath
    try:
        text = read_file(root, relpath).decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise MaintenanceError(f"{path}: not UTF-8 (offset {err.start}); convert it by hand first") from None
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    width = len(rows[0]) if rows else 0
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise MaintenanceError(f"{path}: row {number} has {len(row)} cells, the header {width}; fix it by hand")
    return rows


def render_rows(rows: list[list[str]]) -> bytes:
    """The canonical form: UTF-8 without BOM, LF, commas, quotes only where needed."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return out.getvalue().encode("utf-8")


def apply_changes(changes: dict[Path, bytes], root: Path, check: bool, stale: str, done: str) -> int:
    """Report each changed file; in check mode exit 1 if any, else write them all (creating folders)."""
    for path in changes:
        print(f"{stale if check else done}: {path.relative_to(root)}")
    if check:
        return 1 if changes else 0
    for path in changes:
        path.parent.mkdir(parents=True, exist_ok=True)
    write_all(changes)
    return 0
