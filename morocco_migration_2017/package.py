"""The package as read, once: what validate, load*, show, the exports and the docs all take.

read_package() reads a package that may be hostile: only regular files inside its root, within limits, never a
URL. Its files stage judges the copy by the rules (Table Schemas, dialects, profiles) of the release installed
with this module, naming each difference; checks each CSV's bytes and the snapshot pins; then the tables are
typed. strict=True raises on the first problem; strict=False records them for validate.
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
MAX_FILE_BYTES = 64 * 2**20  # the largest data file; the snapshot is 2.6 kB, the CSVs a few kB
MAX_JSON_BYTES = 4 * 2**20  # the largest descriptor or schema
MAX_CELLS = 1000  # cells of one row (the widest table has 17): a longer row is refused before any parser reads it
MAX_JSON_DEPTH = 32  # nesting of arrays and objects; ours reach 6
PROFILES = (
    "https://datapackage.org/profiles/2.0/"  # standard profiles are named by URL, never fetched
)
# The type vocabulary, read by the loader, the pandera translator and the files stage: Table Schema type ->
# (pandas dtype, the lexical form accepted, its words in an error). ASCII digits only, as every other tool reads.
TYPES: dict[str, tuple[str, str | None, str | None]] = {
    "string": ("string", None, None),
    "integer": (
        "Int64",
        r"-?(0|[1-9][0-9]{0,17})",
        "a whole number in ASCII digits, no leading zero",
    ),
    "number": ("float64", r"-?(0|[1-9][0-9]{0,17})(\.[0-9]{1,17})?", "a number in ASCII digits"),
    "date": ("datetime64[us]", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date written YYYY-MM-DD"),
}
CONSTRAINTS = (
    "required",
    "unique",
    "pattern",
    "enum",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
)
# How the loader reads every table; a rule that would make Frictionless read otherwise is refused, not ignored.
READS = {
    "scheme": "file",
    "format": "csv",
    "mediatype": "text/csv",
    "encoding": "utf-8",
    "type": "table",
}
DIALECT = {
    "$schema": f"{PROFILES}tabledialect.json",
    "delimiter": ",",
    "lineTerminator": "\n",
    "quoteChar": '"',
}
DIALECT |= {"doubleQuote": True, "header": True}
DEFAULTS = {**READS, **DIALECT, "missingValues": [""]}
DOCS = ("title", "description", "example", "examples", "categories")  # words, not rules
TABLE_SCHEMA = f"{PROFILES}tableschema.json"
FETCHED = (
    "must be one of the standard Data Package v2 profiles or an inline object; nothing is fetched"
)
_HERE = Path(__file__).resolve().parent


def _files(file: str, message: str, **where: Any) -> Problem:
    return Problem("files", file, message, **where)


def default_root() -> Path:
    """The release installed with this module: the wheel's bundled copy, else the checkout it sits in."""
    for candidate in (_HERE / "_package", _HERE.parent):
        if (candidate / DESCRIPTOR).is_file():
            return candidate
    raise PackageError(f"no {DESCRIPTOR} found beside {_HERE}; pass the package folder explicitly")


def resolve_root(root: str | Path | None) -> Path:
    """A package folder, given as the folder or its datapackage.json; the release by default."""
    path = Path(root) if root is not None else default_root()
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
    if relpath.startswith(("/", "\\", "~")) or relpath[1:2] == ":":
        return "path must be relative to datapackage.json, not absolute"
    return (
        "path must not leave the package folder ('..')"
        if ".." in re.split(r"[/\\]", relpath)
        else None
    )


def read_file(root: Path, relpath: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file inside root; PackageError naming the file for anything else, OS errors too."""
    try:
        reason = unsafe_path_reason(relpath)
        real = root if reason else (root / relpath).resolve()
        if not reason and not real.is_relative_to(root.resolve()):
            reason = "is a link to a file outside the package folder"
        info = None if reason else os.stat(real)
        if info and not stat.S_ISREG(info.st_mode):
            reason = "not a regular file (a folder, FIFO or device)"
        elif info and info.st_size > limit:
            reason = f"{info.st_size} bytes, more than the limit of {limit}"
        if reason:
            raise PackageError(f"{relpath}: {reason}")
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it still cannot hang.
        with os.fdopen(os.open(real, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise PackageError(f"{relpath}: not a regular file")
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise PackageError(f"{relpath}: no such file") from None
    except (
        OSError,
        ValueError,
        RuntimeError,
    ) as err:  # a loop of links, no permission, a NUL, a name too long
        raise PackageError(
            f"{relpath}: cannot be read ({getattr(err, 'strerror', None) or err})"
        ) from None
    if len(data) > limit:
        raise PackageError(f"{relpath}: more than the limit of {limit} bytes")
    return data


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({key for key, _ in pairs}) < len(pairs):
        raise ValueError(
            f"duplicate key {next(k for k, _ in pairs if [p[0] for p in pairs].count(k) > 1)!r} in one object"
        )
    return dict(pairs)


def parse_json(data: bytes, name: str) -> Any:
    """JSON text with bounded nesting and no duplicate keys; PackageError naming the file otherwise."""
    try:
        text = data.decode("utf-8")
        steps = [
            1 if c in "[{" else -1 for c in re.sub(r'"(?:[^"\\]|\\.)*"', "", text) if c in "[]{}"
        ]
        if max(accumulate(steps), default=0) > MAX_JSON_DEPTH:
            raise PackageError(
                f"{name}: not a valid JSON file (nested more than {MAX_JSON_DEPTH} levels deep)"
            )
        return json.loads(text, object_pairs_hook=_unique_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise PackageError(f"{name}: not valid UTF-8 JSON ({str(err)[:200]})") from None


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
                unbounded, many = unbounded + (arg[1] == _parser.MAXREPEAT), arg[1] > 1
                if _parser.MAXREPEAT != arg[1] > 1000:
                    return "a repetition count above 1000"
                if many and in_repeat:
                    return "a repetition inside a repetition can backtrack catastrophically"
                stack.append((arg[2], in_repeat or many))
            elif name == "BRANCH":
                if in_repeat:
                    return "an alternation inside a repetition can backtrack catastrophically"
                stack += [(branch, in_repeat) for branch in arg[1]]
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                stack.append((arg[-1] if name == "SUBPATTERN" else arg, in_repeat))
    return "more than one unbounded repetition" if unbounded > 1 else None


def _refusals(schema: Any) -> list[tuple[str | None, str]]:
    """(field, why) for each rule of a fork's Table Schema that the reader would not honour."""
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(
        isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields
    ):
        return [("fields", "'fields' must be a list of objects with a name")]
    found = (
        [("missingValues", "only an empty cell is missing")]
        if schema.get("missingValues", [""]) != [""]
        else []
    )
    found += [("$schema", FETCHED)] if schema.get("$schema", TABLE_SCHEMA) != TABLE_SCHEMA else []
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else key if isinstance(key, list) else [None]
    names, fks = [f["name"] for f in fields], schema.get("foreignKeys", [])
    shaped = isinstance(fks, list) and all(
        isinstance(k, dict) and isinstance(k.get("reference"), dict) for k in fks
    )
    found += [] if shaped else [("foreignKeys", "must be a list of objects, each with a reference")]
    found += (
        [] if all(k in names for k in key) else [("primaryKey", "must name fields of the schema")]
    )
    for f in fields:
        rules, keys = (
            f.get("constraints", {}),
            [k for k in f if k not in (*DOCS, "name", "type", "format", "constraints")],
        )
        found += (
            [(f["name"], f"type must be one of {', '.join(TYPES)}")]
            if f.get("type", "string") not in TYPES
            else []
        )
        found += [
            (f["name"], f"{k} is not honoured by the reader") for k in keys if k != "x-pattern"
        ]
        if not isinstance(rules, dict) or set(rules) - set(CONSTRAINTS):
            found.append(
                (
                    f["name"],
                    f"constraints must be an object with keys among {', '.join(CONSTRAINTS)}",
                )
            )
            continue
        shapes = {
            "enum": list,
            "required": bool,
            "unique": bool,
            "minLength": int,
            "maxLength": int,
        } | {
            bound: (str if f.get("type") == "date" else (int, float))
            for bound in ("minimum", "maximum")
        }
        wrong = [
            k
            for k, v in rules.items()
            if k in shapes and not (isinstance(v, shapes[k]) and _readable(v))
        ]
        found += [(f["name"], f"constraints.{k} is not a {k} the reader can read") for k in wrong]
        reasons = [
            backtracking_reason(p) if isinstance(p, str) else "not a string" for p in patterns(f)
        ]
        found += [(f["name"], f"pattern refused: {why}") for why in reasons if why]
    return found


def _readable(value: Any) -> bool:
    """A constraint's value as the loader and pandera read it: a date is an ISO date that exists."""
    try:
        return not isinstance(value, str) or dt.date.fromisoformat(value) is not None
    except ValueError:
        return False


def _plain(value: Any) -> Any:
    """A rule without its documentation, with fields and resources keyed by name (and their order kept)."""
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, dict) and isinstance(v.get("name"), str) for v in value)
    ):
        return {f"[{v['name']}]": _plain(v) for v in value} | {" order": [v["name"] for v in value]}
    if not isinstance(value, dict):
        return value
    return {
        k: _plain(v) for k, v in value.items() if k not in DOCS and (k, v) != ("type", "string")
    }


def differences(release: Any, copy: Any, at: str = "") -> list[tuple[str, str, Any]]:
    """(JSON path, how, the release's value) for each rule the copy does not share; a rule left out is its default."""
    if not (isinstance(release, dict) and isinstance(copy, dict)):
        return [] if release == copy and type(release) is type(copy) else [(at, "changed", release)]
    found: list[tuple[str, str, Any]] = []
    for key in dict.fromkeys([*release, *copy]):
        where = f"{at}.{key}".lstrip(".").replace(".[", "[").replace(". ", " ")
        was, now = (side.get(key, DEFAULTS.get(key, DOCS)) for side in (release, copy))
        if key == " order" and set(release.get(key, ())) != set(copy.get(key, ())):
            continue  # a field added or removed is named as such
        if DOCS in (was, now):
            found.append(
                (where, "added" if was is DOCS else "removed", None if was is DOCS else was)
            )
        else:
            found += differences(was, now, where)
    return found


def _judge(pkg: Package, descriptor: dict[str, Any], release: dict[str, Resource]) -> list[Problem]:
    """Each difference of the copy's rules from the release's, naming file and JSON path, and the resources the
    later stages read. The problems: those differences, or for a fork those of its descriptor and its own Table
    Schemas screened (the differences of its schemas are kept in pkg.differences)."""
    keep, problems, schemas = ("$schema", "profile", "resources"), [], {}
    pairs = [
        (
            DESCRIPTOR,
            *(
                {k: _plain(v) for k, v in d.items() if k in keep}
                for d in (descriptor, pkg.descriptor)
            ),
        )
    ]
    for name, resource in release.items():
        file = resource.entry["schema"]
        if any(
            e.get("name") == name and e.get("schema") == file for e in pkg.descriptor["resources"]
        ):
            try:  # a schema moved or removed is a difference of the descriptor
                schemas[name] = pkg.read_json(file)
                pairs.append((file, _plain(resource.schema), _plain(schemas[name])))
            except PackageError as err:
                problems.append(_files(file, str(err).removeprefix(f"{file}: ")))
    for file, was, now in pairs:
        for where, how, value in differences(was, now):
            shown = "none" if value is None else json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 120 else shown[:119] + "…"
            found = _files(
                file, f"{where or 'the file'} {how} (release {descriptor.get('version')}: {shown})"
            )
            (pkg.differences if file != DESCRIPTOR and pkg.rules == "copy" else problems).append(
                found
            )
    pkg.resources = dict(release)
    for (
        name,
        schema,
    ) in schemas.items():  # the copy's own words; its rules are the release's, or screened
        found = _refusals(schema) if pkg.rules == "copy" else []
        problems += [_files(release[name].entry["schema"], why, field=at) for at, why in found]
        pkg.resources[name] = (
            Resource(name, release[name].path, schema, release[name].entry)
            if not found
            else release[name]
        )
    return problems


def check_csv(relpath: str, data: bytes) -> list[Problem]:
    """The byte rules Frictionless does not enforce: UTF-8 without BOM, LF, one final newline, commas."""
    if data.startswith(b"\xef\xbb\xbf"):
        return [
            _files(
                relpath,
                "file starts with a UTF-8 byte-order mark (BOM); save as UTF-8 without BOM",
                row=1,
            )
        ]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        at = err.start
        message = f"not UTF-8, the encoding it declares (byte {data[at]:#04x} at offset {at}); re-save as UTF-8"
        return [_files(relpath, message, row=data.count(b"\n", 0, at) + 1, field="encoding")]
    widest = max(
        data.split(b"\n"), key=lambda line: line.count(b",")
    )  # bounds the work of every parser after this
    wide = f"a line holds more than {MAX_CELLS:,} commas; no row of the package may have more cells than that"
    found = [
        (widest.count(b",") > MAX_CELLS, wide, data.find(widest)),
        (
            b"\r" in data,
            "carriage return found (CRLF line endings?); use LF line endings only",
            data.find(b"\r"),
        ),
        (not data.endswith(b"\n"), "last line does not end with a newline (LF)", len(data)),
        (data.endswith(b"\n\n"), "blank line at the end of the file; remove it", len(data) - 1),
        (
            b"," not in data.split(b"\n", 1)[0] != b"",
            "header is not comma-separated; the package's CSVs use commas",
            0,
        ),
    ]
    return [
        _files(relpath, message, row=data.count(b"\n", 0, at) + 1)
        for broken, message, at in found
        if broken
    ]


def _package_problems(pkg: Package) -> list[Problem]:
    """The descriptor's date and licences, and the snapshot pins: each pinned file read safely, its hash and size."""
    problems, now, licences = (
        [],
        pd.Timestamp.now("UTC").tz_localize(None),
        pkg.descriptor.get("licenses", []),
    )
    try:
        created = (
            pd.Timestamp(dt.datetime.fromisoformat(pkg.descriptor["created"]))
            if "created" in pkg.descriptor
            else now
        )
        pkg.created = (
            created := created.tz_convert(None) if created.tzinfo else created
        ).normalize()
        if created > now:
            problems.append(
                _files(
                    DESCRIPTOR,
                    "created must not be after the moment of validation",
                    field="created",
                )
            )
    except (ValueError, TypeError):
        problems.append(
            _files(DESCRIPTOR, "created must be an ISO 8601 date-time", field="created")
        )
    for licence in licences if isinstance(licences, list) else [licences]:
        path = licence.get("path") if isinstance(licence, dict) else licence
        try:  # a URL is where the licence is published, never fetched
            path is None or (
                isinstance(path, str) and path.startswith(("https://", "http://"))
            ) or pkg.read(path)
        except PackageError:
            message = "a licence's path must be an http(s) URL or a file inside the package"
            problems.append(_files(DESCRIPTOR, message, field="licenses", value=path))
    sources = pkg.descriptor.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
        return [*problems, _files(DESCRIPTOR, "sources must be a list of objects", field="sources")]
    for number, source in [
        (n, s) for n, s in enumerate(sources) if not is_url(s.get("path"))
    ]:  # a URL: never fetched
        try:
            data = pkg.read(source.get("path"))
            pkg.snapshots[source["path"]] = data.decode("utf-8")
        except (PackageError, UnicodeDecodeError) as err:
            problems.append(
                _files(
                    DESCRIPTOR,
                    f"sources[{number}]: {err}",
                    field="sources",
                    value=source.get("path"),
                )
            )
            continue
        if source.get("hash") != (
            pin := f"sha256:{hashlib.sha256(data).hexdigest()}"
        ) or source.get("bytes") != len(data):
            message = (
                f"sources[{number}]: hash and bytes must be {pin} and {len(data)}, as the file is"
            )
            problems.append(_files(source["path"], message, field="hash", value=source.get("hash")))
    return problems


def package_files(descriptor: dict[str, Any]) -> list[str]:
    """Every file of the package, relative to its root: descriptor, data, schemas and pinned snapshots."""
    named = [entry.get(key) for entry in descriptor["resources"] for key in ("path", "schema")]
    named += [
        source.get("path") for source in descriptor.get("sources", []) if isinstance(source, dict)
    ]
    return [DESCRIPTOR, *dict.fromkeys(path for path in named if unsafe_path_reason(path) is None)]


def typed_column(resource: Resource, column: pd.Series, field: dict[str, Any]) -> pd.Series:
    """One column typed from its field, or DataPackageError naming the first cell that does not fit."""
    (dtype, syntax, words), enum = (
        TYPES[field.get("type", "string")],
        constraints(field).get("enum"),
    )
    present = column.notna()
    if enum is not None:
        bad, message, typed = (
            present & ~column.isin(enum),
            f"must be one of {', '.join(map(str, enum))}",
            None,
        )
    elif syntax is None:
        return column.astype(dtype)
    else:
        bad, message, typed = (
            present & ~column.str.fullmatch(syntax).fillna(False).astype(bool),
            f"must be {words}",
            None,
        )
        if not bad.any() and dtype.startswith("datetime"):
            typed = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce").astype(dtype)
            bad, message = present & typed.isna(), "must be a date that exists"
    if bad.any():
        at = bad.idxmax()
        raise DataPackageError(
            Problem(
                "load", resource.path, message, row=int(at) + 2, field=column.name, value=column[at]
            )
        )
    if enum is not None:
        return column.astype(pd.CategoricalDtype(categories=enum))
    return typed if typed is not None else pd.to_numeric(column).astype(dtype)


def typed_table(resource: Resource, data: bytes) -> pd.DataFrame:
    """A CSV's bytes as a frame typed from its schema; row i is spreadsheet row i + 2. Only an empty cell is missing."""
    import pyarrow as pa
    from pyarrow import csv

    parse = csv.ParseOptions(
        newlines_in_values=True, ignore_empty_lines=False
    )  # a row of other width is refused
    types = dict.fromkeys(resource.field_names, pa.string())
    texts = csv.ConvertOptions(
        column_types=types,
        null_values=[""],
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    try:
        whole = csv.ReadOptions(
            block_size=max(len(data), 1 << 20)
        )  # one block: a cell spanning two is no error
        raw = csv.read_csv(io.BytesIO(data), whole, parse, texts).to_pandas()
    except (
        ValueError,
        pa.ArrowException,
    ) as arrow:  # pandas's own reader names the line where it can
        reason = arrow
        try:
            pd.read_csv(io.BytesIO(data), dtype=str)
        except (ValueError, UnicodeDecodeError) as detail:
            reason = detail
        raise DataPackageError(
            Problem("load", resource.path, f"cannot be read as CSV: {str(reason)[:200]}")
        ) from None
    if list(raw.columns) != resource.field_names:
        message = f"the header must be the schema's fields: {', '.join(resource.field_names)}"
        raise DataPackageError(
            Problem("load", resource.path, message, row=1, value=",".join(map(str, raw.columns)))
        )
    return pd.DataFrame(
        {f["name"]: typed_column(resource, raw[f["name"]], f) for f in resource.fields},
        index=raw.index,
    )


@dataclass
class Package:
    """A package read once (PackageError without a descriptor): its descriptor, tables with their schemas, bytes,
    snapshots, typed frames, date, problems."""

    root: Path
    rules: str = "release"  # whose rules judge it: the release's, or (for a fork) the copy's own
    raw: dict[str, bytes] = field(
        default_factory=dict
    )  # every file read, by path: each is read once
    descriptor: dict[str, Any] = field(init=False)
    resources: dict[str, Resource] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    created: pd.Timestamp | None = None
    problems: list[Problem] = field(default_factory=list)
    differences: list[Problem] = field(
        default_factory=list
    )  # of the copy's rules from the release's

    def __post_init__(
        self,
    ) -> None:  # datapackage.json must be an object whose resources are objects
        self.descriptor = self.read_json(DESCRIPTOR)
        resources = self.descriptor.get("resources") if isinstance(self.descriptor, dict) else None
        if not isinstance(resources, list) or not all(
            isinstance(entry, dict) for entry in resources
        ):
            raise PackageError(
                f"{DESCRIPTOR}: not a data package ('resources' must be a list of objects)"
            )

    def read(self, relpath: str, limit: int = MAX_FILE_BYTES) -> bytes:
        if relpath not in self.raw:
            self.raw[relpath] = read_file(self.root, relpath, limit)
        return self.raw[relpath]

    def read_json(self, relpath: str) -> Any:
        return parse_json(self.read(relpath, MAX_JSON_BYTES), relpath)

    def path_of(self, table: str) -> str:
        """A table's CSV path; any other name is already a file's path (a JSON file of the package)."""
        return self.resources[table].path if table in self.resources else table

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
                self.tables[name] = typed_table(resource, self.raw[resource.path])
            except DataPackageError as err:
                problems.append(err.problem)
        return problems


def release_rules(own: Package | None = None) -> tuple[dict[str, Any], dict[str, Resource]]:
    """The descriptor and tables of the release installed with this module, whose rules judge every copy (own: the
    release itself, already opened, whose files are then read only once)."""
    own = own or Package(default_root())
    return own.descriptor, {
        e["name"]: Resource(e["name"], e["path"], own.read_json(e["schema"]), e)
        for e in own.descriptor["resources"]
    }


def files_stage(pkg: Package) -> list[Problem]:
    """The copy's rules against the release's (or a fork's own, screened), then each CSV's bytes and the pins."""
    own = pkg.root == default_root()
    descriptor, release = release_rules(pkg if own else None)
    problems = [] if own else _judge(pkg, descriptor, release)
    pkg.resources = pkg.resources or release
    for resource in pkg.resources.values():
        try:
            problems += check_csv(resource.path, pkg.read(resource.path))
        except PackageError as err:
            problems.append(_files(resource.path, str(err).removeprefix(f"{resource.path}: ")))
    return problems + _package_problems(pkg)


def read_package(
    root: str | Path | None = None, *, strict: bool = True, rules: str = "release"
) -> Package:
    """The package at root (the release by default), read once and judged by the release's rules (rules="copy":
    by its own, for a fork), its files stage run. strict: DataPackageError with the first problem, tables typed;
    else problems recorded, tables left to validate. PackageError without a descriptor. validation.open_package
    adds every later stage of validate."""
    if rules not in ("release", "copy"):
        raise ValueError(f"rules must be 'release' or 'copy', not {rules!r}")
    pkg = Package(resolve_root(root), rules)
    pkg.problems = files_stage(pkg)
    for problem in (pkg.problems or pkg.type_tables())[:1] if strict else ():
        raise DataPackageError(problem)
    return pkg
