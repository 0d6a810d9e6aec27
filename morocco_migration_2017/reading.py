"""Safe files: a package may be hostile, so only regular files inside its root are read, within
limits, never a URL; JSON is strict (UTF-8, no duplicate key, bounded nesting)."""

import contextlib
import json
import os
import re
import stat
from itertools import accumulate
from pathlib import Path
from typing import Any

from .problems import PackageError

DESCRIPTOR = "datapackage.json"
MAX_FILE_BYTES = 64 * 2**20  # the largest data file; the snapshot is 2.6 kB, the CSVs a few kB
MAX_JSON_BYTES = 4 * 2**20  # the largest descriptor or schema
MAX_JSON_DEPTH = 32  # nesting of arrays and objects; ours reach 6
_HERE = Path(__file__).resolve().parent


def default_root() -> Path:
    """The release installed with this module: the wheel's bundled copy, else its checkout."""
    for candidate in (_HERE / "_package", _HERE.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise PackageError(f"no {DESCRIPTOR} found beside {_HERE}; pass the package folder explicitly")


def resolve_root(root: str | Path | None) -> Path:
    """A package folder, given as the folder or its datapackage.json; the release by default."""
    path = Path(root) if root is not None else default_root()
    with contextlib.suppress(OSError, ValueError, RuntimeError):
        path = (path.parent if path.name == DESCRIPTOR else path).resolve()
        if path.is_dir():
            return path
    raise PackageError(f"{path}: no such folder")


def is_url(path: object) -> bool:
    return isinstance(path, str) and ("://" in path or path.startswith("file:"))


def unsafe_path_reason(relpath: object) -> str | None:
    """Why a path of the descriptor may not be used, or None: a relative path inside the package."""
    if not isinstance(relpath, str) or not relpath:
        return "path must be a non-empty string"
    if is_url(relpath):
        return "path must be a file inside the package, not a URL"
    if relpath.startswith(("/", "\\", "~")) or relpath[1:2] == ":":
        return "path must be relative to datapackage.json, not absolute"
    if ".." in re.split(r"[/\\]", relpath):
        return "path must not leave the package folder ('..')"
    return None


def _refusal(root: Path, relpath: str, limit: int) -> tuple[str | None, Path]:
    """Why the file may not be opened (or None), and where it really is."""
    reason = unsafe_path_reason(relpath)
    if reason:
        return reason, root
    real = (root / relpath).resolve()
    if not real.is_relative_to(root.resolve()):
        return "is a link to a file outside the package folder", real
    info = os.stat(real)
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a folder, FIFO or device)", real
    if info.st_size > limit:
        return f"{info.st_size} bytes, more than the limit of {limit}", real
    return None, real


def read_file(root: Path, relpath: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file inside root; PackageError naming the file for anything else."""
    try:
        reason, real = _refusal(root, relpath, limit)
        if reason:
            raise PackageError(f"{relpath}: {reason}")
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening cannot hang.
        with os.fdopen(os.open(real, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise PackageError(f"{relpath}: not a regular file")
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise PackageError(f"{relpath}: no such file") from None
    except (OSError, ValueError, RuntimeError) as err:  # a loop of links, no permission, a NUL
        why = getattr(err, "strerror", None) or err
        raise PackageError(f"{relpath}: cannot be read ({why})") from None
    if len(data) > limit:
        raise PackageError(f"{relpath}: more than the limit of {limit} bytes")
    return data


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of a JSON file; ValueError naming the first key that it holds twice."""
    keys = [key for key, _ in pairs]
    if len(set(keys)) < len(keys):
        twice = next(key for key in keys if keys.count(key) > 1)
        raise ValueError(f"duplicate key {twice!r} in one object")
    return dict(pairs)


def nesting_depth(text: str) -> int:
    """How deep the arrays and objects of JSON text nest, counted on its brackets outside strings
    (before json.loads would recurse into them)."""
    brackets = re.sub(r'"(?:[^"\\]|\\.)*"', "", text)
    steps = [1 if c in "[{" else -1 for c in brackets if c in "[]{}"]
    return max(accumulate(steps), default=0)


def parse_json(data: bytes, name: str) -> Any:
    """JSON text with bounded nesting and no duplicate keys, else PackageError naming the file."""
    try:
        text = data.decode("utf-8")
        if nesting_depth(text) > MAX_JSON_DEPTH:
            why = f"nested more than {MAX_JSON_DEPTH} levels deep"
            raise PackageError(f"{name}: not a valid JSON file ({why})")
        return json.loads(text, object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise PackageError(f"{name}: not valid UTF-8 JSON ({str(err)[:200]})") from None
