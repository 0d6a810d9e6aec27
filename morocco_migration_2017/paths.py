"""Where the data package lives: inside an installed wheel or in a checkout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DESCRIPTOR = "datapackage.json"
_HERE = Path(__file__).resolve().parent


class PackageError(Exception):
    """The data package cannot be read at all (missing or unparsable descriptor)."""


def default_root() -> Path:
    """The wheel's bundled copy if there is one, else the checkout this module sits in."""
    for candidate in (_HERE / "_package", _HERE.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise PackageError(f"no {DESCRIPTOR} found beside {_HERE}; pass the package folder explicitly")


def resolve_root(root: str | Path | None) -> Path:
    """Accept a folder or a path to datapackage.json; default to the bundled package."""
    if root is None:
        return default_root()
    path = Path(root)
    if path.name == DESCRIPTOR:
        path = path.parent
    if not (path / DESCRIPTOR).is_file():
        raise PackageError(f"{path / DESCRIPTOR}: no such file")
    return path


def read_json(path: Path) -> Any:
    """Parse a JSON file, turning every failure into a one-line PackageError."""
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise PackageError(f"{path}: no such file") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PackageError(f"{path}: not valid UTF-8 JSON ({err})") from None


def read_descriptor(root: Path) -> dict[str, Any]:
    descriptor = read_json(root / DESCRIPTOR)
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PackageError(f"{root / DESCRIPTOR}: not a data package (no 'resources' list)")
    return descriptor


def unsafe_path_reason(relpath: object) -> str | None:
    """Why a resource or schema path may not be used, or None if it is a safe relative path."""
    if not isinstance(relpath, str) or not relpath:
        return "path must be a non-empty string"
    if "://" in relpath:
        return "path must be a file inside the package, not a URL"
    if relpath.startswith(("/", "\\")) or (len(relpath) > 1 and relpath[1] == ":"):
        return "path must be relative to datapackage.json, not absolute"
    if ".." in Path(relpath).parts or ".." in relpath.split("\\"):
        return "path must not leave the package folder ('..')"
    return None
