"""Reading a package that may be hostile: only regular files inside its root, within explicit limits, no URL.

Every file of a package (descriptor, schemas, CSVs, snapshots) is read through read_file(), and every JSON
file through read_json(), by validate, load*, the scripts and the docs build alike.
"""

from __future__ import annotations

import json
import os
import re
import stat
from itertools import accumulate
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"
MAX_FILE_BYTES = 64 * 2**20  # the largest data file; the snapshot is 2.6 kB, the CSVs a few kB
MAX_JSON_BYTES = 4 * 2**20  # the largest descriptor or schema
MAX_JSON_DEPTH = 32  # nesting of arrays and objects; ours reach 6
STAGE_SECONDS = 120.0  # the default time budget of each validation stage (validate --timeout)
# Standard profiles are named by URL but never fetched: Frictionless and the checkers know them.
OFFICIAL_PROFILES = frozenset(
    f"https://datapackage.org/profiles/2.0/{name}.json"
    for name in ("datapackage", "dataresource", "tableschema", "tabledialect")
)
_HERE = Path(__file__).resolve().parent
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class PackageError(Exception):
    """The package, or one of its files, cannot be read; the message names the file and the reason."""


def default_root() -> Path:
    """The wheel's bundled copy if there is one, else the checkout this module sits in."""
    for candidate in (_HERE / "_package", _HERE.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise PackageError(f"no {DESCRIPTOR} found beside {_HERE}; pass the package folder explicitly")


def resolve_root(root: str | Path | None) -> Path:
    """A package folder, given as the folder or its datapackage.json; the bundled package by default."""
    if root is None:
        return default_root()
    path = Path(root)
    path = (path.parent if path.name == DESCRIPTOR else path).resolve()
    if not path.is_dir():
        raise PackageError(f"{path}: no such folder")
    return path


def is_url(path: object) -> bool:
    return isinstance(path, str) and ("://" in path or path.startswith("file:"))


def unsafe_path_reason(relpath: object) -> str | None:
    """Why a path of the descriptor may not be used, or None if it is a relative path inside the package."""
    if not isinstance(relpath, str) or not relpath:
        return "path must be a non-empty string"
    if is_url(relpath):
        return "path must be a file inside the package, not a URL"
    if relpath.startswith(("/", "\\", "~")) or (len(relpath) > 1 and relpath[1] == ":"):
        return "path must be relative to datapackage.json, not absolute"
    if ".." in re.split(r"[/\\]", relpath):
        return "path must not leave the package folder ('..')"
    return None


def read_file(root: Path, relpath: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file inside root; PackageError for anything else, before it is opened."""
    reason = unsafe_path_reason(relpath)
    if reason:
        raise PackageError(f"{relpath}: {reason}")
    real = (root / relpath).resolve()
    if not real.is_relative_to(root.resolve()):
        raise PackageError(f"{relpath}: is a link to a file outside the package folder")
    try:
        info = os.stat(real)
    except OSError:
        raise PackageError(f"{relpath}: no such file") from None
    if not stat.S_ISREG(info.st_mode):
        raise PackageError(f"{relpath}: not a regular file (a folder, FIFO or device)")
    if info.st_size > limit:
        raise PackageError(f"{relpath}: {info.st_size} bytes, more than the limit of {limit}")
    # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it still cannot hang.
    with os.fdopen(os.open(real, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise PackageError(f"{relpath}: not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise PackageError(f"{relpath}: more than the limit of {limit} bytes")
    return data


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        raise PackageError(f"duplicate key {duplicated[0]!r} in one object")
    return dict(pairs)


def parse_json(data: bytes, name: str) -> Any:
    """JSON text with bounded nesting and no duplicate keys; PackageError naming the file otherwise."""
    try:
        text = data.decode("utf-8")
        steps = [_DEPTH_STEP[c] for c in _STRINGS.sub("", text) if c in _DEPTH_STEP]
        if max(accumulate(steps), default=0) > MAX_JSON_DEPTH:
            raise PackageError(f"nested more than {MAX_JSON_DEPTH} levels deep")
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except PackageError as err:
        raise PackageError(f"{name}: not a valid JSON file ({err})") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise PackageError(f"{name}: not valid UTF-8 JSON ({str(err)[:200]})") from None


def read_json(root: Path, relpath: str) -> Any:
    return parse_json(read_file(root, relpath, MAX_JSON_BYTES), relpath)


def read_descriptor(root: Path) -> dict[str, Any]:
    """datapackage.json as an object whose resources are objects; PackageError otherwise."""
    descriptor = read_json(root, DESCRIPTOR)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(entry, dict) for entry in resources):
        raise PackageError(f"{DESCRIPTOR}: not a data package ('resources' must be a list of objects)")
    return descriptor


def url_reason(value: object) -> str | None:
    """Why a profile or dialect reference would make a tool go online, or None."""
    if isinstance(value, str) and value not in OFFICIAL_PROFILES:
        return "must be one of the standard Data Package v2 profiles or an inline object; nothing is fetched"
    return None
