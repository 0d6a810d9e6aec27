"""The release's rules, and a fork's screened: judge compares the copy's rules with the release's,
a fork's Table Schemas are screened (SCHEMA_RULES, FIELD_RULES, PATTERN_RULES), and the file checks
read each CSV's bytes (CSV_RULES), the descriptor's date and licences, and the snapshot pins."""

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from re import _parser  # type: ignore[attr-defined]  # the standard library's own regex parser
from typing import Any

import pandas as pd

from .problems import PackageError, Problem
from .reading import DESCRIPTOR, is_url

MAX_CELLS = 1000  # cells of one row (the widest has 17): a longer row is refused before any parser
PROFILES = "https://datapackage.org/profiles/2.0/"  # a standard profile is a name, never fetched
# The types the reader reads: Table Schema type -> (pandas dtype, the lexical form accepted, its
# words in an error), for the loader, the pandera translator and the files stage. ASCII digits only.
WHOLE = r"-?(0|[1-9][0-9]{0,17})"
TYPES: dict[str, tuple[str, str | None, str | None]] = {
    "string": ("string", None, None),
    "integer": ("Int64", WHOLE, "a whole number in ASCII digits, no leading zero"),
    "number": ("float64", WHOLE + r"(\.[0-9]{1,17})?", "a number in ASCII digits"),
    "date": ("datetime64[us]", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", "a date written YYYY-MM-DD"),
}
CONSTRAINTS = ("required", "unique", "pattern", "enum")
CONSTRAINTS += ("minimum", "maximum", "minLength", "maxLength")
# How the loader reads every table; a rule that would make Frictionless read otherwise is refused.
READS = {"scheme": "file", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"}
READS |= {"type": "table"}
DIALECT = {"$schema": f"{PROFILES}tabledialect.json", "delimiter": ",", "lineTerminator": "\n"}
DIALECT |= {"quoteChar": '"', "doubleQuote": True, "header": True}
DEFAULTS = {**READS, **DIALECT, "missingValues": [""]}
DOCS = ("title", "description", "example", "examples", "categories")  # words, not rules
TABLE_SCHEMA = f"{PROFILES}tableschema.json"
FETCHED = "must be one of the standard Data Package v2 profiles or an inline object"
FETCHED += "; nothing is fetched"
_ABSENT = object()  # a rule that one side does not state, and that has no default
_files = partial(Problem, "files")  # a problem of the files stage


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
    """The field's pattern, and its x-pattern: the same rule for an optional field, kept out of
    `constraints` because Frictionless's SQLite export hands an empty cell to REGEXP and crashes."""
    return [p for p in (constraints(field).get("pattern"), field.get("x-pattern")) if p is not None]


def list_of_objects(value: Any, key: str | None = None, kind: type = object) -> bool:
    """Whether a value is a list of objects, each holding a value of that kind at key if given."""
    objects = isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return objects and (key is None or all(isinstance(v.get(key), kind) for v in value))


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_LOOKS = ("GROUPREF", "GROUPREF_EXISTS", "ASSERT", "ASSERT_NOT")
_UNBOUNDED, _INSIDE = _parser.MAXREPEAT, "inside a repetition can backtrack catastrophically"
# The pattern screen, in order: the operations a rule applies to, whether a part of a pattern breaks
# it (n: a repetition's count; inside: within a repetition of more than one), and why it is refused.
PATTERN_RULES: tuple[tuple[tuple[str, ...], Callable[[int, bool], bool], str], ...] = (
    (_LOOKS, lambda n, inside: True, "back-references and look-arounds are not allowed"),
    (_REPEATS, lambda n, inside: n > 1000 and n != _UNBOUNDED, "a repetition count above 1000"),
    (_REPEATS, lambda n, inside: inside and n > 1, f"a repetition {_INSIDE}"),
    (("BRANCH",), lambda n, inside: inside, f"an alternation {_INSIDE}"),
)


def _parts(tree: Any) -> list[tuple[str, int | None, bool]]:
    """Each part of a parsed pattern, depth first: its operation, its count, inside a repetition?"""
    found, stack = [], [(tree, False)]
    while stack:
        node, inside = stack.pop()
        for op, arg in node:
            name = str(op)
            found.append((name, arg[1] if name in _REPEATS else None, inside))
            if name in _REPEATS:
                stack.append((arg[2], inside or arg[1] > 1))
            elif name == "BRANCH":
                stack += [(branch, inside) for branch in arg[1]]
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                stack.append((arg[-1] if name == "SUBPATTERN" else arg, inside))
    return found


def backtracking_reason(pattern: str) -> str | None:
    """Why a pattern could take exponential or polynomial time (PATTERN_RULES), or None."""
    try:
        parts = _parts(_parser.parse(pattern))
    except (_parser.error, RecursionError, OverflowError) as err:
        return f"not a valid regular expression ({err})"
    for name, count, inside in parts:
        for applies, breaks, why in PATTERN_RULES:
            if name in applies and breaks(count, inside):
                return why
    unbounded = [count for _, count, _ in parts if count == _UNBOUNDED]
    return "more than one unbounded repetition" if len(unbounded) > 1 else None


def _key_names_unknown(schema: dict[str, Any]) -> bool:
    key = schema.get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    names = [f["name"] for f in schema["fields"]]
    return not isinstance(key, list) or any(k not in names for k in key)


def _foreign_keys_misshaped(schema: dict[str, Any]) -> bool:
    return not list_of_objects(schema.get("foreignKeys", []), "reference", dict)


ONLY_EMPTY = "only an empty cell is missing"
# A fork's Table Schema as a whole: what is checked, whether the schema breaks the rule, and why.
SCHEMA_RULES: tuple[tuple[str, Callable[[dict[str, Any]], bool], str], ...] = (
    ("missingValues", lambda s: s.get("missingValues", [""]) != [""], ONLY_EMPTY),
    ("$schema", lambda s: s.get("$schema", TABLE_SCHEMA) != TABLE_SCHEMA, FETCHED),
    ("foreignKeys", _foreign_keys_misshaped, "must be a list of objects, each with a reference"),
    ("primaryKey", _key_names_unknown, "must name fields of the schema"),
)
_READ = (*DOCS, "name", "type", "format", "constraints", "x-pattern")  # the keys a field may have
# The value each constraint must hold for the reader to read it; a date field's bounds are dates.
SHAPES = {"enum": list, "required": bool, "unique": bool, "minLength": int, "maxLength": int}
SHAPES |= {"minimum": (int, float), "maximum": (int, float)}


def _readable(field: dict[str, Any], key: str) -> bool:
    """A constraint's value is of its shape, as the loader and pandera read it (a date's: ISO)."""
    value = constraints(field)[key]
    if key in ("minimum", "maximum") and field.get("type") == "date":
        try:
            return isinstance(value, str) and dt.date.fromisoformat(value) is not None
        except ValueError:
            return False
    return isinstance(value, SHAPES.get(key, object))


def _misshaped(field: dict[str, Any]) -> bool:
    rules = field.get("constraints", {})
    return not isinstance(rules, dict) or bool(set(rules) - set(CONSTRAINTS))


def _screened_out(f: dict[str, Any]) -> list[str]:
    found = [backtracking_reason(p) if isinstance(p, str) else "not a string" for p in patterns(f)]
    return [why for why in found if why]


ONE_OF_TYPES = f"type must be one of {', '.join(TYPES)}"
AMONG = f"constraints must be an object with keys among {', '.join(CONSTRAINTS)}"
UNREADABLE = "constraints.{0} is not a {0} the reader can read"
# Each field of a fork's Table Schema, in order: what is checked, the parts of the field that break
# the rule, and why the reader would not honour each ({0}); its constraints' rules need an object.
FIELD_RULES: tuple[tuple[str, Callable[[dict[str, Any]], list[str]], str], ...] = (
    ("its type", lambda f: [] if f.get("type", "string") in TYPES else ["type"], ONE_OF_TYPES),
    ("its keys", lambda f: [k for k in f if k not in _READ], "{0} is not honoured by the reader"),
    ("its constraints", lambda f: ["constraints"] if _misshaped(f) else [], AMONG),
)
CONSTRAINT_RULES: tuple[tuple[str, Callable[[dict[str, Any]], list[str]], str], ...] = (
    ("each constraint", lambda f: [k for k in constraints(f) if not _readable(f, k)], UNREADABLE),
    ("its patterns", _screened_out, "pattern refused: {0}"),
)


def refusals(schema: Any) -> list[tuple[str | None, str]]:
    """(field, why) for each rule of a fork's Table Schema that the reader would not honour."""
    if not isinstance(schema, dict) or not list_of_objects(schema.get("fields"), "name", str):
        return [("fields", "'fields' must be a list of objects with a name")]
    found = [(what, why) for what, breaks, why in SCHEMA_RULES if breaks(schema)]
    for f in schema["fields"]:
        rules = FIELD_RULES if _misshaped(f) else FIELD_RULES + CONSTRAINT_RULES
        for _, breaks, why in rules:
            found += [(f["name"], why.format(part)) for part in breaks(f)]
    return found


def plain_rules(value: Any) -> Any:
    """A rule without its documentation, fields and resources keyed by name (their order kept)."""
    if value and list_of_objects(value, "name", str):
        order = {" order": [v["name"] for v in value]}
        return {f"[{v['name']}]": plain_rules(v) for v in value} | order
    if not isinstance(value, dict):
        return value
    kept = {k: v for k, v in value.items() if k not in DOCS and (k, v) != ("type", "string")}
    return {k: plain_rules(v) for k, v in kept.items()}


def _key_differences(release: dict, copy: dict, key: str, at: str) -> list[tuple[str, str, Any]]:
    """How the copy's rule at one key differs from the release's; a rule left out is its default."""
    was, now = (side.get(key, DEFAULTS.get(key, _ABSENT)) for side in (release, copy))
    if key == " order" and set(release.get(key, ())) != set(copy.get(key, ())):
        return []  # a field added or removed is named as such
    if was is _ABSENT:
        return [(at, "added", None)]
    if now is _ABSENT:
        return [(at, "removed", was)]
    return differences(was, now, at)


def differences(release: Any, copy: Any, at: str = "") -> list[tuple[str, str, Any]]:
    """(JSON path, how, the release's value) for each rule the copy does not share (or default)."""
    if not (isinstance(release, dict) and isinstance(copy, dict)):
        same = release == copy and type(release) is type(copy)
        return [] if same else [(at, "changed", release)]
    found = []
    for key in dict.fromkeys([*release, *copy]):
        where = f"{at}.{key}".lstrip(".").replace(".[", "[").replace(". ", " ")
        found += _key_differences(release, copy, key, where)
    return found


def _compared(
    descriptor: dict[str, Any], tables: dict[str, Resource], copy: dict, read_json: Callable
) -> tuple[list[tuple[str, Any, Any]], dict[str, Any], list[Problem]]:
    """(file, the release's rules, the copy's) for each file compared, its schemas, problems."""
    keep = ("$schema", "profile", "resources")
    rules = [{k: plain_rules(v) for k, v in d.items() if k in keep} for d in (descriptor, copy)]
    pairs, schemas, problems = [(DESCRIPTOR, *rules)], {}, []
    for name, table in tables.items():
        file = table.entry["schema"]
        if any(e.get("name") == name and e.get("schema") == file for e in copy["resources"]):
            try:
                schemas[name] = read_json(file)
                pairs.append((file, plain_rules(table.schema), plain_rules(schemas[name])))
            except PackageError as err:
                problems.append(_files(file, str(err).removeprefix(f"{file}: ")))
    return pairs, schemas, problems


def _difference(file: str, where: str, how: str, value: Any, version: Any) -> Problem:
    """A difference of the copy's rules, with the release's value cut to 120 characters."""
    shown = "none" if value is None else json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 120 else shown[:119] + "…"
    return _files(file, f"{where or 'the file'} {how} (release {version}: {shown})")


def judge(
    descriptor: dict, tables: dict[str, Resource], copy: dict, read_json: Callable, screened: bool
) -> tuple[list[Problem], list[Problem], dict[str, Resource]]:
    """The copy's rules are the release's: each difference is a problem naming file and JSON path;
    a fork's own Table Schemas are screened instead, their differences kept apart."""
    pairs, schemas, problems = _compared(descriptor, tables, copy, read_json)
    apart: list[Problem] = []
    for file, was, now in pairs:
        found = [_difference(file, *d, descriptor.get("version")) for d in differences(was, now)]
        (apart if screened and file != DESCRIPTOR else problems).extend(found)
    resources = dict(tables)
    for name, schema in schemas.items():  # the copy's own words; its rules are the release's
        refused = refusals(schema) if screened else []
        problems += [_files(tables[name].entry["schema"], why, field=at) for at, why in refused]
        resources[name] = tables[name] if refused else replace(tables[name], schema=schema)
    return problems, apart, resources


def _widest_line(data: bytes) -> int | None:
    """Where the line with most commas starts, if over MAX_CELLS: it bounds every parser after."""
    widest = max(data.split(b"\n"), key=lambda line: line.count(b","))
    return data.find(widest) if widest.count(b",") > MAX_CELLS else None


BOM = b"\xef\xbb\xbf"
BOM_FOUND = "file starts with a UTF-8 byte-order mark (BOM); save as UTF-8 without BOM"
WIDE = f"a line holds more than {MAX_CELLS:,} commas; no row of the package may have more cells "
WIDE += "than that"
CR_FOUND = "carriage return found (CRLF line endings?); use LF line endings only"
BLANK_AT_END = "blank line at the end of the file; remove it"
NO_COMMAS = "header is not comma-separated; the package's CSVs use commas"
# The byte rules of a CSV that is UTF-8 without BOM, in the order they are reported: where the file
# first breaks the rule (None: it holds), and the rule broken. Frictionless enforces none of them.
CSV_RULES: tuple[tuple[Callable[[bytes], int | None], str], ...] = (
    (_widest_line, WIDE),
    (lambda d: d.find(b"\r") if b"\r" in d else None, CR_FOUND),
    (lambda d: None if d.endswith(b"\n") else len(d), "last line does not end with a newline (LF)"),
    (lambda d: len(d) - 1 if d.endswith(b"\n\n") else None, BLANK_AT_END),
    (lambda d: 0 if re.match(rb"[^\n,]+(\n|\Z)", d) else None, NO_COMMAS),
)


def check_csv(relpath: str, data: bytes) -> list[Problem]:
    """Every CSV is UTF-8 (as declared) without BOM, with LF line endings, a final newline and
    commas: the byte rules Frictionless does not enforce."""
    if data.startswith(BOM):
        return [_files(relpath, BOM_FOUND, row=1)]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        byte = f"byte {data[err.start]:#04x} at offset {err.start}"
        message = f"not UTF-8, the encoding it declares ({byte}); re-save as UTF-8"
        return [_files(relpath, message, row=data.count(b"\n", 0, err.start) + 1, field="encoding")]
    broken = [(where(data), message) for where, message in CSV_RULES]  # where: an offset
    rows = [(data.count(b"\n", 0, at) + 1, why) for at, why in broken if at is not None]
    return [_files(relpath, why, row=row) for row, why in rows]


def created_is_past(descriptor: dict[str, Any]) -> tuple[pd.Timestamp | None, list[Problem]]:
    """The descriptor's created is an ISO 8601 date-time, not after the moment of validation."""
    now = pd.Timestamp.now("UTC").tz_localize(None)
    try:
        when = descriptor.get("created")
        created = pd.Timestamp(dt.datetime.fromisoformat(when)) if "created" in descriptor else now
        created = created.tz_convert(None) if created.tzinfo else created
        day = created.normalize()
    except (ValueError, TypeError):
        return None, [_files(DESCRIPTOR, "created must be an ISO 8601 date-time", field="created")]
    late = "created must not be after the moment of validation"
    return day, ([_files(DESCRIPTOR, late, field="created")] if created > now else [])


def licences_are_published(descriptor: dict[str, Any], read: Callable) -> list[Problem]:
    """Each licence's path is an http(s) URL (never fetched) or a file inside the package."""
    problems, licences = [], descriptor.get("licenses", [])
    for licence in licences if isinstance(licences, list) else [licences]:
        path = licence.get("path") if isinstance(licence, dict) else licence
        url = isinstance(path, str) and path.startswith(("https://", "http://"))
        try:
            if path is not None and not url:
                read(path)
        except PackageError:
            message = "a licence's path must be an http(s) URL or a file inside the package"
            problems.append(_files(DESCRIPTOR, message, field="licenses", value=path))
    return problems


def snapshots_match_their_pins(descriptor: dict, read: Callable) -> tuple[dict, list[Problem]]:
    """Each source that is not a URL (never fetched) is a snapshot: a UTF-8 file inside the package
    whose sha256 hash and size in bytes are those its entry pins."""
    sources = descriptor.get("sources", [])
    if not list_of_objects(sources):
        return {}, [_files(DESCRIPTOR, "sources must be a list of objects", field="sources")]
    snapshots, problems = {}, []
    for number, source in enumerate(sources):
        if is_url(source.get("path")):
            continue
        try:
            data = read(source.get("path"))
            snapshots[source["path"]] = data.decode("utf-8")
        except (PackageError, UnicodeDecodeError) as err:
            where = {"field": "sources", "value": source.get("path")}
            problems.append(_files(DESCRIPTOR, f"sources[{number}]: {err}", **where))
            continue
        pin = f"sha256:{hashlib.sha256(data).hexdigest()}"
        if source.get("hash") != pin or source.get("bytes") != len(data):
            why = f"sources[{number}]: hash and bytes must be {pin} and {len(data)}, as the file is"
            problems.append(_files(source["path"], why, field="hash", value=source.get("hash")))
    return snapshots, problems


def descriptor_checks(descriptor: dict, read: Callable) -> tuple[Any, dict, list[Problem]]:
    """The descriptor's date, licences and snapshot pins: its day, the snapshots, the problems."""
    created, problems = created_is_past(descriptor)
    problems += licences_are_published(descriptor, read)
    snapshots, pins = snapshots_match_their_pins(descriptor, read)
    return created, snapshots, problems + pins
