"""Is this copy a release? Else every difference from the nearest one, named offline from the files in releases/."""

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

from .package import DESCRIPTOR, MAX_FILE_BYTES, MAX_JSON_BYTES, Package, package_files, parse_json, read_file, resolve_root
from .problems import PackageError, printable

RELEASES = Path(__file__).resolve().parent / "releases"
SHOWN = 1000  # differences kept, printed and listed in --json; all are counted
_ABSENT = object()  # a value a JSON file does not have


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
        where = {"row ": self.row, "character ": self.position, "" if str(self.field)[:1] == "$" else "field ": self.field}
        at = ", ".join([self.file] + [f"{label}{value}" for label, value in where.items() if value is not None])
        shown = [f"{side} {v!r}" for side, v in (("release", self.release), ("copy", self.copy)) if v is not None]
        return printable(f"{at}: {self.what}" + f" ({', '.join(shown)})" * bool(shown))


@dataclass
class Verdict:
    path: str
    release: str | None  # the release the copy is identical to
    nearest: str | None
    differences: list[Difference] = field(default_factory=list)  # the first SHOWN
    count: int = 0  # every difference, counted

    def lines(self, limit: int = SHOWN) -> list[str]:
        differ = f"matches no release; nearest {self.nearest}, {self.count:,} difference(s)"
        differ += f" (first {min(limit, len(self.differences)):,} shown):" if self.count > limit else ":"
        head = printable(f"{self.path}: " + (f"identical to release {self.release}" if self.release else differ))
        return [head] + [f"  {difference.line()}" for difference in self.differences[:limit]]


def releases() -> dict[str, dict[str, Any]]:  # each release's manifest, with its files as "content"; oldest first
    found = {}
    for path in sorted(RELEASES.glob("*.json"), key=lambda p: [int(part) for part in p.stem.split(".")]):
        with zipfile.ZipFile(path.with_suffix(".zip")) as z:
            found[path.stem] = {**json.loads(path.read_text("utf-8")), "content": {n: z.read(n) for n in z.namelist()}}
    return found


def _rows(data: bytes, key: list[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """A table's rows, one at a time, each with its primary key (else its line number)."""
    reader = csv.reader(io.StringIO(data.decode(), newline=""), strict=True)
    header = next(reader, [])
    for line, cells in enumerate(reader, 2):
        row = dict(zip(header, cells, strict=False))
        yield ", ".join(row.get(p, f"(line {line})") for p in key), row


def _cells(name: str, old: bytes, new: bytes, key: list[str]) -> Iterator[Difference]:
    """A table's differences by row and field, the copy read one row at a time (the release's rows are held): a row
    whose key the release has is compared with it; any other row, or a repeat of a key, is added."""
    release, seen = dict(_rows(old, key)), set()
    for row_key, row in _rows(new, key):
        was = None if row_key in seen else release.get(row_key)
        if was is not None:
            seen.add(row_key)
        for column in dict.fromkeys([*(was or ()), *row]):
            a, b = (was or {}).get(column), row.get(column)
            if a != b:
                yield Difference(
                    name, "removed" if b is None else "added" if a is None else "changed", row_key, column, a, b
                )
    for row_key in (k for k in release if k not in seen):
        yield from (Difference(name, "removed", row_key, column, value) for column, value in release[row_key].items())


def _paths(name: str, old: bytes, new: bytes) -> Iterator[Difference]:
    """A JSON file's differences by path (fields and resources by name), one per value."""

    def flat(value: Any, path: str) -> dict[str, Any]:
        names = [str(v["name"]) for v in value if isinstance(v, dict) and "name" in v] if isinstance(value, list) else []
        steps = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        named = 0 < len(set(names)) == len(value)  # fields and resources by name, and their order
        steps = [(f"name={v['name']}", v) for v in value] if named else steps
        form = "{}.{}" if isinstance(value, dict) else "{}[{}]"
        found = {k: v for s, sub in steps for k, v in flat(sub, form.format(path, s)).items()}
        return found | ({f"{path} (order of names)": names} if named else {}) if found or named else {path: value}

    before, after = (flat(parse_json(data, name), "$") for data in (old, new))
    for where in dict.fromkeys([*before, *after]):
        a, b = before.get(where, _ABSENT), after.get(where, _ABSENT)
        if where.endswith(" (order of names)") and (_ABSENT in (a, b) or set(a) != set(b)):
            continue  # a name added or removed is named as such
        if type(a) is not type(b) or a != b:
            what = "removed" if b is _ABSENT else "added" if a is _ABSENT else "changed"
            yield Difference(name, what, None, where, *(None if v is _ABSENT else v for v in (a, b)))


def compare(release: dict[str, bytes], copy: dict[str, bytes], keys: dict[str, list[str]]) -> Iterator[Difference]:
    """Every difference between a release's files and a copy's, one at a time: a file, a table's cell, a JSON path,
    else the position where a text first differs."""
    for name in [*release, *(name for name in sorted(copy) if name not in release)]:
        old, new = release.get(name), copy.get(name)
        if old is None or new is None or old == new:
            yield from [Difference(name, "added" if old is None else "removed")] * (old != new)
            continue
        named = False
        try:  # read as the release reads its files
            found = (
                _cells(name, old, new, keys[name])
                if name in keys
                else _paths(name, old, new)
                if name.endswith(".json")
                else ()
            )
            for difference in found:
                named = True
                yield difference
        except (PackageError, UnicodeDecodeError, csv.Error):
            named = False  # unreadable from here on: name where the text first differs
        if not named:
            a, b = old.decode("utf-8", "replace"), new.decode("utf-8", "replace")
            at = len(os.path.commonprefix([a, b]))  # noqa: RUF071 (characters, not path parts)
            yield Difference(name, "changed", release=a[at : at + 40], copy=b[at : at + 40], position=at)


def _added(root: Path, named: set[str]) -> list[str]:
    """Files in the package's own folders (data/, schemas/) that its descriptor does not name: what a copy added.
    Links are listed, never followed; at most SHOWN + 1 are looked for."""
    found: list[str] = []
    for top in ("data", "schemas"):
        for folder, subfolders, names in os.walk(root / top):
            links = [d for d in subfolders if os.path.islink(os.path.join(folder, d))]
            for name in sorted(names + links):
                relpath = Path(folder, name).relative_to(root).as_posix()
                found += [relpath] * (relpath not in named)
            if len(found) > SHOWN:
                return found
    return found


def verify(path: str | Path | None = None, raw: dict[str, bytes] | None = None, files_only: bool = False) -> Verdict:
    """Is the package at path (its folder or datapackage.json; this package by default), or one table's CSV, a release?
    raw: the files as already read (validate's Package.raw), so that none is read twice. files_only: name only the
    files that differ, at a cost that does not grow with their rows (validate's one line)."""
    known, target, only = releases(), Path(path or "."), None
    if path is None or not target.is_file() or target.name == DESCRIPTOR:
        pkg = Package(root := resolve_root(path), raw=raw or {})  # a file the copy names but lacks is a removed file
        names, label = package_files(pkg.descriptor) + [n for r in known.values() for n in r["files"]], str(root)
        limit = {n: MAX_JSON_BYTES if n.endswith(".json") else MAX_FILE_BYTES for n in names}  # as validate reads them
        copy = {n: pkg.read(n, limit[n]) for n in dict.fromkeys(names) if n in pkg.raw or os.path.lexists(root / n)}
    else:  # one table's CSV, known by its header, else by its file name
        data = read_file(target.parent.resolve(), target.name)  # a link that leaves its folder is refused
        tables = [(t, r["content"][t]) for r in reversed(known.values()) for t in r["tables"]]
        only = next((t for t, old in tables if old.startswith(data.split(b"\n", 1)[0] + b"\n")), None)
        only = only or next((t for t, _ in tables if Path(t).stem == target.stem), None)
        if only is None:
            raise PackageError(f"{target.name}: neither its header nor its name is that of a table of any release")
        label, copy = f"{target} (as {only})", {only: data}
    mine = {n: {"sha256": hashlib.sha256(d).hexdigest(), "bytes": len(d)} for n, d in copy.items()}  # its manifest
    files = {v: {n: e for n, e in r["files"].items() if only in (None, n)} for v, r in known.items()}
    distance = {v: sum(mine.get(n) != f.get(n) for n in mine.keys() | f.keys()) for v, f in files.items() if f}
    nearest = min(reversed(list(distance)), key=distance.__getitem__)
    release = {n: known[nearest]["content"][n] for n in files[nearest]}
    added = _added(root, set(copy)) if only is None else []
    if files_only:
        what = {(False, True): "removed", (True, False): "added", (True, True): "changed"}
        found = [Difference(n, what[n in mine, n in files[nearest]]) for n in sorted(mine.keys() | files[nearest].keys())]
        found = [d for d in found if mine.get(d.file) != files[nearest].get(d.file)]
    else:
        found = compare(release, copy, known[nearest]["tables"]) if distance[nearest] else []
    found = chain(found, (Difference(name, "added") for name in added if name not in files[nearest]))
    shown = list(islice(found, SHOWN))  # the rest are counted, never held
    count = len(shown) + sum(1 for _ in found)
    return Verdict(label, None if count else nearest, nearest, shown, count)
