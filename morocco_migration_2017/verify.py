"""Is this copy a release? Else every difference from the nearest one, read from releases/."""

import csv
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

from .package import Package, package_files
from .problems import PackageError, printable
from .reading import DESCRIPTOR, MAX_FILE_BYTES, MAX_JSON_BYTES, parse_json, read_file, resolve_root

RELEASES = Path(__file__).resolve().parent / "releases"
SHOWN = 1000  # differences kept, printed and listed in --json; all are counted
_ABSENT = object()  # a value a JSON file does not have
_ORDER = " (order of names)"  # the path of a named list's order
Files = dict[str, bytes]  # each file's bytes, by its path in the package
Copy = tuple[str, str | None, Files, list[str]]  # label, its one table, files, added


@dataclass(frozen=True)
class Difference:
    file: str
    what: str  # added, removed or changed
    row: str | None = None  # a table's primary key
    field: str | None = None  # a table's field, or a JSON file's path ($.a.b[0])
    release: Any = None
    copy: Any = None
    position: int | None = None  # the character where a text first differs

    def line(self) -> str:
        """The difference as one printable line: where, what, and the value on each side."""
        field_label = "" if str(self.field).startswith("$") else "field "
        where = (("row ", self.row), ("character ", self.position), (field_label, self.field))
        at = [self.file] + [f"{label}{value}" for label, value in where if value is not None]
        sides = (("release", self.release), ("copy", self.copy))
        shown = ", ".join(f"{side} {value!r}" for side, value in sides if value is not None)
        return printable(f"{', '.join(at)}: {self.what}" + (f" ({shown})" if shown else ""))


@dataclass
class Verdict:
    path: str
    release: str | None  # the release the copy is identical to
    nearest: str | None
    differences: list[Difference] = field(default_factory=list)  # the first SHOWN
    count: int = 0  # every difference, counted

    def lines(self, limit: int = SHOWN) -> list[str]:
        """The verdict, then the first `limit` differences, one per line."""
        head = f"identical to release {self.release}"
        if not self.release:
            first = min(limit, len(self.differences))
            end = f" (first {first:,} shown):" if self.count > limit else ":"
            head = f"matches no release; nearest {self.nearest}, {self.count:,} difference(s){end}"
        shown = [f"  {d.line()}" for d in self.differences[:limit]]
        return [printable(f"{self.path}: {head}"), *shown]


def releases() -> dict[str, dict[str, Any]]:
    """Each release's manifest, with its files as "content"; oldest first."""
    found = {}
    for path in sorted(RELEASES.glob("*.json"), key=lambda p: [int(n) for n in p.stem.split(".")]):
        with zipfile.ZipFile(path.with_suffix(".zip")) as z:
            content = {name: z.read(name) for name in z.namelist()}
        found[path.stem] = {**json.loads(path.read_text("utf-8")), "content": content}
    return found


def _what(release: Any, copy: Any, absent: Any = None) -> str:
    """Removed if the copy lacks it, added if the release lacks it, else changed."""
    return "removed" if copy is absent else "added" if release is absent else "changed"


def _rows(data: bytes, key: list[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """A table's rows, one at a time, each with its primary key (else its line number)."""
    reader = csv.reader(io.StringIO(data.decode(), newline=""), strict=True)
    header = next(reader, [])
    for line, cells in enumerate(reader, 2):
        row = dict(zip(header, cells, strict=False))
        yield ", ".join(row.get(p, f"(line {line})") for p in key), row


def _row(name: str, key: str, was: dict[str, str], row: dict[str, str]) -> Iterator[Difference]:
    """A row's differences from the release's row of its key, field by field."""
    for column in dict.fromkeys([*was, *row]):
        a, b = was.get(column), row.get(column)
        if a != b:
            yield Difference(name, _what(a, b), key, column, a, b)


def _cells(name: str, old: bytes, new: bytes, key: list[str]) -> Iterator[Difference]:
    """A table's differences by row and field: a row whose key the release has is compared with
    it; any other row, or a repeat of a key, is added; a release's row the copy lacks, removed."""
    release, seen = dict(_rows(old, key)), set()
    for row_key, row in _rows(new, key):
        was = None if row_key in seen else release.get(row_key)
        if was is not None:
            seen.add(row_key)
        yield from _row(name, row_key, was or {}, row)
    for row_key in (k for k in release if k not in seen):
        yield from _row(name, row_key, release[row_key], {})


def _steps(value: Any) -> tuple[list[tuple[str, Any]], list[str] | None]:
    """A JSON value's children, each with its path step; a list of distinct names, by name."""
    if isinstance(value, dict):
        return [(f".{k}", v) for k, v in value.items()], None
    if not isinstance(value, list):
        return [], None
    names = [str(v["name"]) for v in value if isinstance(v, dict) and "name" in v]
    if 0 < len(set(names)) == len(value):
        return [(f"[name={n}]", v) for n, v in zip(names, value, strict=True)], names
    return [(f"[{i}]", v) for i, v in enumerate(value)], None


def _flat(value: Any, path: str = "$") -> dict[str, Any]:
    """A JSON value as {path: value} of its leaves, each named list's order as one more leaf."""
    steps, names = _steps(value)
    found = {k: v for step, sub in steps for k, v in _flat(sub, path + step).items()}
    return found | {path + _ORDER: names} if names else found or {path: value}


def _paths(name: str, old: bytes, new: bytes) -> Iterator[Difference]:
    """A JSON file's differences by path; a name added or removed is not a change of order."""
    before, after = (_flat(parse_json(data, name)) for data in (old, new))
    for where in dict.fromkeys([*before, *after]):
        a, b = before.get(where, _ABSENT), after.get(where, _ABSENT)
        if where.endswith(_ORDER) and (_ABSENT in (a, b) or set(a) != set(b)):
            continue
        if type(a) is not type(b) or a != b:
            values = (None if v is _ABSENT else v for v in (a, b))
            yield Difference(name, _what(a, b, _ABSENT), None, where, *values)


def _changed(name: str, old: bytes, new: bytes, keys: dict[str, list[str]]) -> Iterator[Difference]:
    """A changed file's differences as the release reads it, else where its text first differs."""
    if name in keys:
        found = _cells(name, old, new, keys[name])
    else:
        found = _paths(name, old, new) if name.endswith(".json") else iter(())
    named = False
    try:
        for difference in found:
            named = True
            yield difference
    except (PackageError, UnicodeDecodeError, csv.Error):
        named = False
    if not named:  # where its text first differs, and the next 40 characters on each side
        a, b = old.decode("utf-8", "replace"), new.decode("utf-8", "replace")
        at = len(os.path.commonprefix([a, b]))  # noqa: RUF071 by character: texts, not paths
        end = at + 40
        yield Difference(name, "changed", release=a[at:end], copy=b[at:end], position=at)


def compare(release: Files, copy: Files, keys: dict[str, list[str]]) -> Iterator[Difference]:
    """Every difference between a release's files and a copy's, one at a time."""
    for name in [*release, *(name for name in sorted(copy) if name not in release)]:
        old, new = release.get(name), copy.get(name)
        if old is None or new is None:
            yield Difference(name, _what(old, new))
        elif old != new:
            yield from _changed(name, old, new, keys)


def _added(root: Path, named: set[str]) -> list[str]:
    """Files in data/ and schemas/ the descriptor does not name (links too); SHOWN + 1 at most."""
    found: list[str] = []
    for folder, subfolders, names in chain(os.walk(root / "data"), os.walk(root / "schemas")):
        links = [d for d in subfolders if os.path.islink(os.path.join(folder, d))]
        relpaths = (Path(folder, n).relative_to(root).as_posix() for n in sorted(names + links))
        found.extend(relpath for relpath in relpaths if relpath not in named)
        if len(found) > SHOWN:
            break
    return found


def _package(path: str | Path | None, raw: Files | None, known: dict) -> Copy:
    """A package's files that its descriptor or any release names, and the files it added."""
    pkg = Package(root := resolve_root(path), raw=raw or {})
    names = package_files(pkg.descriptor) + [n for r in known.values() for n in r["files"]]
    limit = {n: MAX_JSON_BYTES if n.endswith(".json") else MAX_FILE_BYTES for n in names}
    files = [n for n in dict.fromkeys(names) if n in pkg.raw or os.path.lexists(root / n)]
    copy = {n: pkg.read(n, limit[n]) for n in files}
    return str(root), None, copy, _added(root, set(copy))


def _table(target: Path, known: dict) -> Copy:
    """One table's CSV, known by its header (newest release first), else by its file name."""
    data = read_file(target.parent.resolve(), target.name)  # a link out of its folder is refused
    tables = [(t, r["content"][t]) for r in reversed(known.values()) for t in r["tables"]]
    header = data.split(b"\n", 1)[0] + b"\n"
    only = next((t for t, old in tables if old.startswith(header)), None)
    only = only or next((t for t, _ in tables if Path(t).stem == target.stem), None)
    if only is None:
        why = "neither its header nor its name is that of a table of any release"
        raise PackageError(f"{target.name}: {why}")
    return f"{target} (as {only})", only, {only: data}, []


def _read_copy(path: str | Path | None, raw: Files | None, known: dict) -> Copy:
    """The copy at path: a package (by default), or one table's CSV."""
    target = Path(path or ".")
    if path is None or not target.is_file() or target.name == DESCRIPTOR:
        return _package(path, raw, known)
    return _table(target, known)


def _files_differing(mine: dict[str, dict], theirs: dict[str, dict]) -> list[Difference]:
    """Each file whose hash or size is not the release's, by name."""
    names = sorted(n for n in mine.keys() | theirs.keys() if mine.get(n) != theirs.get(n))
    return [Difference(n, _what(theirs.get(n), mine.get(n))) for n in names]


def _nearest(mine: dict[str, dict], known: dict, only: str | None) -> tuple[str, dict, int]:
    """The release with the fewest files unlike the copy's (the newest of equals), its manifest
    (of the one table only, if only) and how many files differ."""
    files = {
        v: {n: e for n, e in r["files"].items() if only in (None, n)} for v, r in known.items()
    }
    distance = {v: len(_files_differing(mine, f)) for v, f in files.items() if f}
    nearest = min(reversed(list(distance)), key=distance.__getitem__)
    return nearest, files[nearest], distance[nearest]


def verify(
    path: str | Path | None = None, raw: dict[str, bytes] | None = None, files_only: bool = False
) -> Verdict:
    """Is the package at path (its folder or datapackage.json; this package by default), or one
    table's CSV, a release? raw: the files validate read; files_only: name only the files that
    differ, at a cost that does not grow with their rows."""
    known = releases()
    label, only, copy, added = _read_copy(path, raw, known)
    mine = {n: {"sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)} for n, d in copy.items()}
    nearest, theirs, distance = _nearest(mine, known, only)
    if files_only:
        found = _files_differing(mine, theirs)
    else:
        release = {n: known[nearest]["content"][n] for n in theirs}
        found = compare(release, copy, known[nearest]["tables"]) if distance else []
    found = chain(found, (Difference(name, "added") for name in added if name not in theirs))
    shown = list(islice(found, SHOWN))  # the rest are counted, never held
    count = len(shown) + sum(1 for _ in found)
    return Verdict(label, None if count else nearest, nearest, shown, count)
