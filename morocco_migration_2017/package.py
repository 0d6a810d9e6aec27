"""The package as read: one object that validate, load*, show, the exports and the docs share.

open_package() reads a package that may be hostile: only regular files inside its root, within explicit limits,
never a URL. Its files stage compares the copy's rules (Table Schemas, dialects, profiles) with those of the release
installed with this module, checks each CSV's bytes and the snapshots' pins; then the tables are typed from the
release's schemas. strict=True raises on the first problem; strict=False records them for validate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

import pandas as pd

from .problems import DataPackageError, PackageError, Problem

DESCRIPTOR = "datapackage.json"
TABLES = ("statistics", "statements", "indicators", "sources", "mentions", "cross_checks")
MAX_FILE_BYTES = 64 * 2**20  # the largest data file; the snapshot is 2.6 kB, the CSVs a few kB
MAX_JSON_BYTES = 4 * 2**20  # the largest descriptor or schema
MAX_JSON_DEPTH = 32  # nesting of arrays and objects; ours reach 6
PROFILES = "https://datapackage.org/profiles/2.0/"  # standard profiles are named by URL, never fetched
# The type vocabulary, read by the loader, the pandera translator and the files stage: Table Schema type ->
# (pandas dtype, the lexical form accepted, how an error words it). ASCII digits only: int() and float() also
# take full-width and other scripts' digits, which no other tool reads.
TYPES: dict[str, tuple[str, str | None, str | None]] = {
    "string": ("string", None, None),
    "integer": ("Int64", r"-?(0|[1-9][0-9]{0,17})", "a whole number in ASCII digits, no leading zero"),
    "number": ("float64", r"-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?", "a number in ASCII digits"),
    "date": ("datetime64[us]", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date written YYYY-MM-DD"),
}
CONSTRAINTS = ("required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength")
# What the reader honours, and nothing else: a copy (under --rules copy) may state these or leave them out.
DIALECT = {"$schema": f"{PROFILES}tabledialect.json", "delimiter": ",", "lineTerminator": "\n", "quoteChar": '"'}
DIALECT |= {"doubleQuote": True, "header": True}
READS = {"scheme": "file", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "type": "table"}
DOCS = ("title", "description", "example", "examples", "categories")  # words, not rules
_RESOURCE, _TABLE = f"{PROFILES}dataresource.json", f"{PROFILES}tableschema.json"
_DEFAULTS = {"missingValues": [""], "encoding": "utf-8", "scheme": "file", "mediatype": "text/csv", **DIALECT}
_PROFILE = "must be one of the standard Data Package v2 profiles or an inline object; nothing is fetched"
_HERE = Path(__file__).resolve().parent
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def default_root() -> Path:
    """The release installed with this module: the wheel's bundled copy, else the checkout it sits in."""
    for candidate in (_HERE / "_package", _HERE.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise PackageError(f"no {DESCRIPTOR} found beside {_HERE}; pass the package folder explicitly")


def resolve_root(root: str | Path | None) -> Path:
    """A package folder, given as the folder or its datapackage.json; the release by default."""
    if root is None:
        return default_root()
    path = Path(root)
    try:
        path = (path.parent if path.name == DESCRIPTOR else path).resolve()
        if path.is_dir():
            return path
    except (OSError, ValueError, RuntimeError):
        pass
    raise PackageError(f"{path}: no such folder")


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
    return "path must not leave the package folder ('..')" if ".." in re.split(r"[/\\]", relpath) else None


def read_file(root: Path, relpath: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file inside root; PackageError naming the file for anything else, OS errors too."""
    reason = unsafe_path_reason(relpath)
    if reason:
        raise PackageError(f"{relpath}: {reason}")
    try:
        real = (root / relpath).resolve()
        if not real.is_relative_to(root.resolve()):
            raise PackageError(f"{relpath}: is a link to a file outside the package folder")
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            raise PackageError(f"{relpath}: not a regular file (a folder, FIFO or device)")
        if info.st_size > limit:
            raise PackageError(f"{relpath}: {info.st_size} bytes, more than the limit of {limit}")
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it still cannot hang.
        with os.fdopen(os.open(real, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise PackageError(f"{relpath}: not a regular file")
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise PackageError(f"{relpath}: no such file") from None
    except (OSError, ValueError, RuntimeError) as err:  # a loop of links, no permission, a NUL, a name too long
        raise PackageError(f"{relpath}: cannot be read ({getattr(err, 'strerror', None) or err})") from None
    if len(data) > limit:
        raise PackageError(f"{relpath}: more than the limit of {limit} bytes")
    return data


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) < len(keys):
        raise PackageError(f"duplicate key {next(k for k in keys if keys.count(k) > 1)!r} in one object")
    return dict(pairs)


def read_json(root: Path, relpath: str) -> Any:
    """A JSON file with bounded size and nesting and no duplicate keys; PackageError naming the file otherwise."""
    try:
        text = read_file(root, relpath, MAX_JSON_BYTES).decode("utf-8")
        steps = [1 if c in "[{" else -1 for c in _STRINGS.sub("", text) if c in "[]{}"]
        if max(accumulate(steps), default=0) > MAX_JSON_DEPTH:
            raise PackageError(f"{relpath}: not a valid JSON file (nested more than {MAX_JSON_DEPTH} levels deep)")
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except PackageError as err:
        raise PackageError(
            str(err) if str(err).startswith(relpath) else f"{relpath}: not a valid JSON file ({err})"
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise PackageError(f"{relpath}: not valid UTF-8 JSON ({str(err)[:200]})") from None


def read_descriptor(root: Path) -> dict[str, Any]:
    """datapackage.json as an object whose resources are objects; PackageError otherwise."""
    descriptor = read_json(root, DESCRIPTOR)
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(entry, dict) for entry in resources):
        raise PackageError(f"{DESCRIPTOR}: not a data package ('resources' must be a list of objects)")
    return descriptor


@dataclass(frozen=True)
class Resource:
    """A table of the package: its descriptor entry and its Table Schema, already read."""

    name: str
    path: str
    schema: dict[str, Any]
    entry: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.schema["fields"]

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        return next(f for f in self.fields if f["name"] == name)

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey", [])
        return [key] if isinstance(key, str) else list(key)

    @property
    def foreign_keys(self) -> list[dict[str, Any]]:
        return self.schema.get("foreignKeys", [])


def constraints(field: dict[str, Any]) -> dict[str, Any]:
    return field.get("constraints", {})


def patterns(field: dict[str, Any]) -> list[str]:
    """The field's pattern, and its x-pattern: the same rule for an optional field, kept out of `constraints`
    because Frictionless's SQLite export hands an empty cell to REGEXP and crashes."""
    return [p for p in (constraints(field).get("pattern"), field.get("x-pattern")) if p is not None]


def category_labels(field: dict[str, Any]) -> dict[str, str]:
    """The documented meaning of each enum value (Table Schema v2 'categories')."""
    return {entry["value"]: entry.get("label", "") for entry in field.get("categories", [])}


def backtracking_reason(pattern: str) -> str | None:
    """Why a pattern could take exponential or polynomial time, or None: a repeated group may hold no
    repetition or alternation of its own (a `?` is fine), and only one repetition may be unbounded."""
    from re import _parser  # type: ignore[attr-defined]  # the standard library's own regex parser

    try:
        stack, unbounded = [(_parser.parse(pattern), False)], 0
    except (re.error, RecursionError, OverflowError) as err:
        return f"not a valid regular expression ({err})"
    while stack:
        node, in_repeat = stack.pop()
        for op, arg in node:
            name = str(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS", "ASSERT", "ASSERT_NOT"):
                return "back-references and look-arounds are not allowed"
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _, high, body = arg
                unbounded += high == _parser.MAXREPEAT
                if _parser.MAXREPEAT != high > 1000:
                    return "a repetition count above 1000"
                if high > 1 and in_repeat:
                    return "a repetition inside a repetition can backtrack catastrophically"
                stack.append((body, in_repeat or high > 1))
            elif name == "BRANCH":
                if in_repeat:
                    return "an alternation inside a repetition can backtrack catastrophically"
                stack += [(branch, in_repeat) for branch in arg[1]]
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                stack.append((arg[-1] if name == "SUBPATTERN" else arg, in_repeat))
    return "more than one unbounded repetition" if unbounded > 1 else None


def _entry_refusals(entry: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(key, why) for each rule of a copy's resource entry that the reader would not honour."""
    found = [(key, unsafe_path_reason(entry.get(key))) for key in ("path", "schema")]
    found += [(k, f"must be {v!r}, the only one read") for k, v in READS.items() if _lower(entry.get(k, v)) != v]
    found += [(k, _PROFILE) for k in ("$schema", "profile") if isinstance(entry.get(k), str) and entry[k] != _RESOURCE]
    ok = (*READS, *DOCS, "name", "path", "schema", "dialect", "$schema", "profile")
    found += [(k, "is not honoured by the reader") for k in entry if k not in ok]
    dialect = entry.get("dialect", {})
    if not isinstance(dialect, dict):
        return [*found, ("dialect", "must be an inline object; nothing is fetched")]
    return found + [
        (f"dialect.{k}", f"must be {DIALECT.get(k)!r}, the only one read") for k in dialect if dialect[k] != DIALECT.get(k)
    ]


def _schema_refusals(schema: Any) -> list[tuple[str, str | None]]:
    """(field, why) for each rule of a copy's Table Schema that the reader would not honour."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        return [("fields", "'fields' must be a list of objects with a name")]
    found = [("missingValues", "only an empty cell is missing")] if schema.get("missingValues", [""]) != [""] else []
    found += [("$schema", _PROFILE)] if schema.get("$schema", _TABLE) != _TABLE else []
    for f in fields:
        rules, name = f.get("constraints", {}), f["name"]
        found += [(name, f"type must be one of {', '.join(TYPES)}")] if f.get("type", "string") not in TYPES else []
        ok = (*DOCS, "name", "type", "format", "constraints", "x-pattern")
        found += [(name, f"{k} is not honoured by the reader") for k in f if k not in ok]
        if not isinstance(rules, dict) or set(rules) - set(CONSTRAINTS):
            found.append((name, f"constraints must be an object with keys among {', '.join(CONSTRAINTS)}"))
            continue
        reasons = [backtracking_reason(p) if isinstance(p, str) else "must be a string" for p in patterns(f)]
        found += [(name, f"pattern refused: {why}") for why in reasons if why]
    return found


def _lower(value: Any) -> str:
    return str(value).lower().replace("_", "-").replace("utf8", "utf-8")


def _plain(value: Any) -> Any:
    """A rule without its documentation, its fields and resources by name (and their order)."""
    if isinstance(value, list) and value and all(isinstance(v, dict) and isinstance(v.get("name"), str) for v in value):
        return {"[" + v["name"] + "]": _plain(v) for v in value} | {" order": [v["name"] for v in value]}
    if not isinstance(value, dict):
        return value
    return {k: _plain(v) for k, v in value.items() if k not in DOCS and (k, v) != ("type", "string")}


def differences(release: Any, copy: Any, at: str = "") -> list[tuple[str, str, Any]]:
    """(JSON path, 'removed'/'added'/'changed', the release's value) for each rule the copy does not share; a rule
    left out counts as its default."""
    if not (isinstance(release, dict) and isinstance(copy, dict)):
        return [] if release == copy and type(release) is type(copy) else [(at, "changed", release)]
    found = []
    for key in dict.fromkeys([*release, *copy]):
        where = f"{at}.{key}".lstrip(".").replace(".[", "[").replace(". ", " ")
        was, now = (side.get(key, _DEFAULTS.get(key, differences)) for side in (release, copy))
        if key == " order" and set(release.get(key, ())) != set(copy.get(key, ())):
            continue  # a field added or removed is named as such
        if was is differences or now is differences:
            found.append((where, "added" if was is differences else "removed", None if was is differences else was))
        else:
            found += differences(was, now, where)
    return found


def _rule_problems(root: Path, descriptor: dict[str, Any], release: Package) -> list[Problem]:
    """Every difference between the copy's rules and the release's, naming the file and the JSON path."""
    version, problems = release.descriptor.get("version"), []

    def report(file: str, found: list[tuple[str, str, Any]]) -> None:
        for where, how, was in found:
            shown = "none" if was is None else json.dumps(was, ensure_ascii=False)
            shown = shown if len(shown) <= 120 else shown[:119] + "…"
            problems.append(Problem("files", file, f"{where or 'the file'} {how} (release {version}: {shown})"))

    keep = ("$schema", "profile", "resources")
    rules = {k: _plain(v) for k, v in descriptor.items() if k in keep}
    report(DESCRIPTOR, differences({k: _plain(v) for k, v in release.descriptor.items() if k in keep}, rules))
    for name, resource in release.resources.items():
        entry = next((e for e in descriptor["resources"] if e.get("name") == name), None)
        if entry and entry.get("schema") == resource.entry["schema"]:
            try:
                copy = _plain(read_json(root, entry["schema"]))
            except PackageError as err:
                problems.append(Problem("files", entry["schema"], str(err).removeprefix(f"{entry['schema']}: ")))
                continue
            report(resource.entry["schema"], differences(_plain(resource.schema), copy))
    return problems


def inspect_package(root: Path, descriptor: dict[str, Any]) -> tuple[dict[str, Resource], list[Problem]]:
    """The package's own rules, screened for what the reader would not honour: its tables, and the problems."""
    resources: dict[str, Resource] = {}
    problems = [
        Problem("files", DESCRIPTOR, f"{key}: {_PROFILE}", field=key)
        for key in ("$schema", "profile")
        if isinstance(descriptor.get(key), str) and descriptor[key] != f"{PROFILES}datapackage.json"
    ]
    for entry in descriptor["resources"]:
        name, schema = entry.get("name"), {}
        found = [
            Problem("files", DESCRIPTOR, f"resource {name!r}: {key}: {why}", field=key.split(".")[0], value=entry.get(key))
            for key, why in _entry_refusals(entry)
            if why
        ]
        if not found and (not isinstance(name, str) or name in resources):
            found = [Problem("files", DESCRIPTOR, "every resource needs a unique name", field="name", value=name)]
        if not found:
            try:
                schema = read_json(root, entry["schema"])
                found = [Problem("files", entry["schema"], why, field=field) for field, why in _schema_refusals(schema)]
            except PackageError as err:
                found = [Problem("files", entry["schema"], str(err).removeprefix(f"{entry['schema']}: "))]
        problems += found
        if not found:
            resources[name] = Resource(name, entry["path"], schema, entry)
    return resources, problems


def check_csv(relpath: str, data: bytes) -> list[Problem]:
    """The byte rules Frictionless does not enforce: UTF-8 without BOM, LF, one final newline, commas."""
    if data.startswith(b"\xef\xbb\xbf"):
        return [
            Problem("files", relpath, "file starts with a UTF-8 byte-order mark (BOM); save as UTF-8 without BOM", row=1)
        ]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        message = (
            f"not UTF-8, the encoding it declares (byte {data[err.start]:#04x} at offset {err.start}); re-save as UTF-8"
        )
        return [Problem("files", relpath, message, row=data.count(b"\n", 0, err.start) + 1, field="encoding")]
    found = [
        (b"\r" in data, "carriage return found (CRLF line endings?); use LF line endings only", data.find(b"\r")),
        (not data.endswith(b"\n"), "last line does not end with a newline (LF)", len(data)),
        (data.endswith(b"\n\n"), "blank line at the end of the file; remove it", len(data) - 1),
        (
            data[:1] != b"" and b"," not in data.split(b"\n", 1)[0],
            "header is not comma-separated; the package's CSVs use commas",
            0,
        ),
    ]
    return [Problem("files", relpath, message, row=data.count(b"\n", 0, at) + 1) for broken, message, at in found if broken]


def _package_problems(pkg: Package) -> list[Problem]:
    """The descriptor's date and licences, and its snapshot pins: each pinned file read safely, hash and size."""
    problems, now = [], pd.Timestamp.now("UTC").tz_localize(None)
    try:
        created = pkg.descriptor.get("created")
        pkg.created = pd.Timestamp(dt.datetime.fromisoformat(created)) if created is not None else now
        pkg.created = pkg.created.tz_convert(None) if pkg.created.tzinfo else pkg.created
        if pkg.created > now:
            problems.append(
                Problem("files", DESCRIPTOR, "created must not be after the moment of validation", field="created")
            )
        pkg.created = pkg.created.normalize()
    except (ValueError, TypeError):
        problems.append(Problem("files", DESCRIPTOR, "created must be an ISO 8601 date-time", field="created"))
    licences = pkg.descriptor.get("licenses", [])
    for licence in licences if isinstance(licences, list) else [licences]:
        path = licence.get("path") if isinstance(licence, dict) else licence
        if path is not None and not is_url(path) and not _inside(pkg.root, path):
            message = "a licence's path must be a URL or a file inside the package"
            problems.append(Problem("files", DESCRIPTOR, message, field="licenses", value=path))
    sources = pkg.descriptor.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        return [*problems, Problem("files", DESCRIPTOR, "sources must be a list of objects", field="sources")]
    for number, source in enumerate(sources):
        path = source.get("path")
        if is_url(path):
            continue  # where the report was published: a reference, never fetched
        try:
            data = read_file(pkg.root, path)
            pkg.snapshots[path] = data.decode("utf-8")
        except (PackageError, UnicodeDecodeError) as err:
            problems.append(Problem("files", DESCRIPTOR, f"sources[{number}]: {err}", field="sources", value=path))
            continue
        pin = f"sha256:{hashlib.sha256(data).hexdigest()}"
        if source.get("hash") != pin or source.get("bytes") != len(data):
            message = f"sources[{number}]: hash and bytes must be {pin} and {len(data)}, as the file is"
            problems.append(Problem("files", path, message, field="hash", value=source.get("hash")))
    return problems


def package_files(descriptor: dict[str, Any]) -> list[str]:
    """Every file of the package, relative to its root: descriptor, data, schemas and pinned snapshots."""
    named = [entry.get(key) for entry in descriptor["resources"] for key in ("path", "schema")]
    named += [source.get("path") for source in descriptor.get("sources", []) if isinstance(source, dict)]
    return [DESCRIPTOR, *dict.fromkeys(path for path in named if unsafe_path_reason(path) is None)]


def _inside(root: Path, path: Any) -> bool:
    try:
        return read_file(root, path) is not None
    except PackageError:
        return False


def typed_column(resource: Resource, column: pd.Series, field: dict[str, Any]) -> pd.Series:
    """One column typed from its field, or DataPackageError naming the first cell that does not fit."""
    kind, enum, present = field.get("type", "string"), constraints(field).get("enum"), column.notna()

    def refuse(bad: pd.Series, message: str) -> None:
        if bad.any():
            at = bad.idxmax()
            raise DataPackageError(
                Problem("load", resource.path, message, row=int(at) + 2, field=column.name, value=column[at])
            )

    if enum is not None:
        refuse(present & ~column.isin(enum), f"must be one of {', '.join(map(str, enum))}")
        return column.astype(pd.CategoricalDtype(categories=enum))
    dtype, syntax, words = TYPES[kind]
    if syntax is None:
        return column.astype(dtype)
    refuse(present & ~column.str.fullmatch(syntax).fillna(False).astype(bool), f"must be {words}")
    if kind == "date":
        typed = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce").astype(dtype)
        refuse(present & typed.isna(), "must be a date that exists")
        return typed
    return pd.to_numeric(column).astype(dtype)


def typed_table(resource: Resource, data: bytes) -> pd.DataFrame:
    """A CSV's bytes as a frame typed from its schema; row i is spreadsheet row i + 2. Only an empty cell is missing."""
    try:
        options = {"dtype": str, "keep_default_na": False, "na_values": [""], "skip_blank_lines": False}
        raw = pd.read_csv(io.BytesIO(data), encoding="utf-8", sep=",", **options)
    except (ValueError, UnicodeDecodeError) as err:
        raise DataPackageError(Problem("load", resource.path, f"cannot be read as CSV: {str(err)[:200]}")) from None
    if list(raw.columns) != resource.field_names:
        message = f"the header must be the schema's fields: {', '.join(resource.field_names)}"
        raise DataPackageError(Problem("load", resource.path, message, row=1, value=",".join(map(str, raw.columns))))
    return pd.DataFrame({f["name"]: typed_column(resource, raw[f["name"]], f) for f in resource.fields}, index=raw.index)


@dataclass
class Package:
    """A package read once: its descriptor, tables with their schemas, bytes, snapshots, typed frames and date."""

    root: Path
    descriptor: dict[str, Any]
    resources: dict[str, Resource] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    created: pd.Timestamp | None = None
    problems: list[Problem] = field(default_factory=list)
    rules: str = "release"  # whose rules judged it: the release's, or the copy's own (for a fork)
    differences: list[Problem] = field(default_factory=list)  # the copy's rules against the release's

    def path_of(self, table: str) -> str:
        return self.resources[table].path

    def snapshot_of(self) -> dict[str, str]:
        """Each source's snapshot text, by source_id, for sources whose snapshot was read."""
        sources = self.tables["sources"].dropna(subset=["snapshot_path"])
        pairs = zip(sources["source_id"], sources["snapshot_path"], strict=True)
        return {sid: self.snapshots[path] for sid, path in pairs if path in self.snapshots}

    def type_tables(self) -> list[Problem]:
        """Fill tables from the bytes; a problem for each table with a cell its type does not read."""
        problems = []
        for name, resource in self.resources.items():
            try:
                self.tables[name] = typed_table(resource, self.files[name])
            except DataPackageError as err:
                problems.append(err.problem)
        return problems


def _release() -> Package:
    """The release installed with this module, whose rules judge every copy."""
    release = Package(default_root(), read_descriptor(default_root()))
    release.resources, problems = inspect_package(release.root, release.descriptor)
    if problems:
        raise PackageError(f"{release.root}: the installed release breaks its own rules; reinstall it")
    return release


def files_stage(pkg: Package) -> list[Problem]:
    """The copy's rules against the release's (or screened, for a fork), then each CSV's bytes and the pins."""
    pkg.resources, problems = inspect_package(pkg.root, pkg.descriptor)
    if pkg.root != default_root():
        release = _release()
        pkg.differences = _rule_problems(pkg.root, pkg.descriptor, release)
        if pkg.rules != "copy":
            problems, pkg.resources = list(pkg.differences), release.resources
    named = [entry.get("name") for entry in pkg.descriptor["resources"]]
    problems += [Problem("files", DESCRIPTOR, f"resource {t!r} is missing") for t in TABLES if t not in named]
    for name, resource in pkg.resources.items():
        try:
            pkg.files[name] = read_file(pkg.root, resource.path)
            problems += check_csv(resource.path, pkg.files[name])
        except PackageError as err:
            problems.append(Problem("files", resource.path, str(err).removeprefix(f"{resource.path}: ")))
    return problems + _package_problems(pkg)


def open_package(
    root: str | Path | None = None, *, strict: bool = True, rules: str = "release", validate: bool = False
) -> Package:
    """The package at root (the release by default), read once, judged by the release's rules (rules="copy":
    by its own, for a fork). strict: DataPackageError with the first problem, typed tables, and with validate=True
    the pandera schemas too; else problems recorded, tables left to validate. PackageError without a descriptor."""
    if rules not in ("release", "copy"):
        raise ValueError(f"rules must be 'release' or 'copy', not {rules!r}")
    pkg = Package(resolve_root(root), {}, rules=rules)
    pkg.descriptor = read_descriptor(pkg.root)
    pkg.problems = files_stage(pkg)
    if strict:
        for problem in pkg.problems or pkg.type_tables():
            raise DataPackageError(problem)
        if validate:
            from .pandera_schemas import pandera_problems

            for name, resource in pkg.resources.items():
                for problem in pandera_problems(resource, pkg.tables[name]):
                    raise DataPackageError(problem)
    return pkg
