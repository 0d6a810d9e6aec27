"""The tables as one SQLite database, with the metadata.json Datasette reads.

Every table is STRICT and carries, as CHECK constraints, what its Table Schema refuses: type,
required, minimum, maximum, enum, minLength, maxLength, date syntax, unique, and each pattern
SQLite can say exactly with GLOB and length(). A pattern it cannot say exactly is named in a
comment inside the CREATE TABLE text (shown by `.schema`). Patterns are read as the package reads
them: Python's re.fullmatch, where \\s is what str.isspace calls space."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import os
import re
import sqlite3
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..package import Package
from ..rules import Resource, constraints, patterns
from .common import NAME, atomic, put_in_place, records

_SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "string": "TEXT", "date": "TEXT"}
_DATE_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
_TOKEN = re.compile(r"\[\^?\]?(?:\\.|[^]\\])*\]|\\.|\{\d+\}|.", re.DOTALL)
_SHAPES = {  # token kinds (l literal, c one character of a class) -> how the pattern is said in SQL
    "separated": re.compile(r"(l*)c\(l\?c\)\*(l*)"),
    "ends": re.compile(r"(l*)c\(c\*c\)\?(l*)"),
}
_FIXED = re.compile(r"(?:[lc]n?|l\?)*(?:c[+*])?")


@functools.cache
def _spaces() -> tuple[str, ...]:
    """The characters Python's re means by \\s in a str pattern: those of str.isspace."""
    return tuple(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _run(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text(value: str) -> str:
    """A string as an SQL expression: quoted runs ('' for '), char(n, ...) for unprintables."""
    runs = [(shown, "".join(run)) for shown, run in itertools.groupby(value, str.isprintable)]
    sql = [_run(r) if shown else f"char({', '.join(map(str, map(ord, r)))})" for shown, r in runs]
    sql = sql or ["''"]
    return sql[0] if len(sql) == 1 else "(" + " || ".join(sql) + ")"


# A class is (negated, members): members are single characters or "a-z" ranges, as GLOB writes them.
Class = tuple[bool, tuple[str, ...]]


def _set_members(body: str) -> tuple[str, ...] | None:
    """The members of a [...] set's body; None if it has what GLOB cannot say (\\d, \\w, \\S...)."""
    members: list[str] = []
    for item in re.findall(r"\\.|.-[^]\\]|.", body, re.DOTALL):
        if item == r"\s":
            members.extend(_spaces())
        elif item.startswith("\\"):
            if item[1].isalnum():
                return None
            members.append(item[1])
        else:
            members.append(item)
    return tuple(members)


def _atom(token: str) -> tuple[str, Class | str] | None:
    """One token as ("l", its character) or ("c", its class); None if GLOB cannot say it exactly."""
    if token.startswith("[") and len(token) > 1:
        negated = token.startswith("[^")
        members = _set_members(token[2 if negated else 1 : -1])
        return None if members is None else ("c", (negated, members))
    classes = {".": (True, ("\n",)), r"\s": (False, _spaces()), r"\S": (True, _spaces())}
    if token in classes:
        return "c", classes[token]
    if token.startswith("\\"):
        return None if token[1].isalnum() else ("l", token[1])
    return None if token in "()?*+|^${}[" else ("l", token)


def _tokens(pattern: str) -> tuple[str, list[Any]] | None:
    """The pattern as a string of kinds (l, c, the operators as themselves) and its items."""
    kinds, items = "", []
    for token in _TOKEN.findall(pattern):
        if token in "()?*+" or re.fullmatch(r"\{\d+\}", token):
            kinds, items = kinds + (token if len(token) == 1 else "n"), [*items, token]
            continue
        atom = _atom(token)
        if atom is None:
            return None
        kinds, items = kinds + atom[0], [*items, (atom[1], token)]
    return kinds, items


def _glob(part: Class | str) -> str:
    """One character position as GLOB writes it: ] first in a set, - last, ^ first to negate."""
    if isinstance(part, str):
        return f"[{part}]" if part in "*?[" else part
    negated, members = part
    ordered = sorted(dict.fromkeys(members), key=lambda m: (m != "]", m == "^", m == "-"))
    if not negated and ordered[0] == "^":  # only ^ and perhaps -
        return "^" if len(ordered) == 1 else "[-^]"
    return "[" + ("^" if negated else "") + "".join(ordered) + "]"


def _complement(part: Class) -> Class:
    return (not part[0], part[1])


def _all_in(expr: str, part: Class) -> str:
    return f"{expr} NOT GLOB {_text('*' + _glob(_complement(part)) + '*')}"


def _separated(expr: str, head: tuple, sep: tuple, body: tuple) -> str | None:
    """head(sep?body)*: head first, then body or sep characters, no two seps together, none last."""
    (h, h_text), (s, _), (b, b_text) = head, sep, body
    if b[0] or re.fullmatch(h_text, s) or re.fullmatch(b_text, s):
        return None
    rest = (False, (*b[1], s))
    return (
        f"{expr} GLOB {_text(_glob(h) + '*')} AND {_all_in(f'substr({expr}, 2)', rest)}"
        f" AND {expr} NOT GLOB {_text('*' + _glob(s) * 2 + '*')}"
        f" AND {expr} NOT GLOB {_text('*' + _glob(s))}"
    )


def _ends(expr: str, head: tuple, middle: tuple, tail: tuple) -> str | None:
    """head(middle*tail)?: a head character alone, or head, middle characters, tail."""
    inner = f"substr({expr}, 2, length({expr}) - 2)"
    return (
        f"length({expr}) >= 1 AND {expr} GLOB {_text(_glob(head[0]) + '*')} AND (length({expr}) = 1"
        f" OR ({expr} GLOB {_text('*' + _glob(tail[0]))} AND {_all_in(inner, middle[0])}))"
    )


def _frame(match: re.Match[str], items: list[Any]) -> tuple[str, int, int, list[Any]]:
    """The literal prefix and suffix around a shape, as a GLOB, their lengths, the shape's items."""
    before, after = len(match[1]), len(match[2])
    edges = (
        "".join(i[0] for i in items[:before]),
        "".join(i[0] for i in items[len(items) - after :]),
    )
    frame = "".join(_glob(c) for c in edges[0]) + "*" + "".join(_glob(c) for c in edges[1])
    core = [i for i in items[before : len(items) - after] if isinstance(i, tuple)]
    return frame, before, after, core


def _framed(expr: str, shape: str, match: re.Match[str], items: list[Any]) -> str | None:
    """A shape between literal prefix and suffix characters: those, then the shape on the rest."""
    frame, before, after, core = _frame(match, items)
    framed = before or after
    inner = f"substr({expr}, {before + 1}, length({expr}) - {before + after})" if framed else expr
    said = (_separated if shape == "separated" else _ends)(inner, *core)
    if said is None or not framed:
        return said
    return f"length({expr}) > {before + after} AND {expr} GLOB {_text(frame)} AND {said}"


def _alternatives(items: list[Any]) -> list[list[Any]]:
    """Each way of taking or leaving the optional literal characters (l?)."""
    ways: list[list[Any]] = [[]]
    for i, item in enumerate(items):
        if item == "?":
            continue
        optional = i + 1 < len(items) and items[i + 1] == "?"
        ways = [[*w, item] for w in ways] + ([w[:] for w in ways] if optional else [])
    return ways


def _fixed_way(expr: str, way: list[Any]) -> str:
    """Characters at fixed places (a class perhaps {n} times), then perhaps a run (+ or *)."""
    glob, size, tail = "", 0, None
    for i, item in enumerate(way):
        after = str(way[i + 1]) if i + 1 < len(way) else ""
        if isinstance(item, tuple) and after in ("+", "*"):
            tail = (item[0], after)
        elif isinstance(item, tuple):
            count = int(after[1:-1]) if after.startswith("{") else 1
            glob, size = glob + _glob(item[0]) * count, size + count
    if tail is None:
        return f"{expr} GLOB {_text(glob)}"
    run = f"{_all_in(f'substr({expr}, {size + 1})', tail[0])}"
    least = size + 1 if tail[1] == "+" else size
    return f"(length({expr}) >= {least} AND {expr} GLOB {_text(glob + '*')} AND {run})"


def _pattern_sql(expr: str, pattern: str) -> str | None:
    """The pattern as an SQL condition on expr, true exactly when re.fullmatch is, or None."""
    parsed = _tokens(pattern)
    if parsed is None:
        return None
    kinds, items = parsed
    for shape, form in _SHAPES.items():
        match = form.fullmatch(kinds)
        if match:
            return _framed(expr, shape, match, items)
    if _FIXED.fullmatch(kinds):
        return " OR ".join(_fixed_way(expr, way) for way in _alternatives(items))
    return None


def _literal(value: Any, kind: str) -> str:
    """A schema value (bound or enum member) as an SQL literal of the column's kind."""
    if kind in ("integer", "number") and not isinstance(value, bool):
        return repr(int(value) if kind == "integer" else float(value))
    return _text(str(value))


def _real_day(column: str) -> str:
    """A day that exists: date(x) alone lets 2017-02-30 through; date(x, '+0 days') carries it to
    2017-03-02. Year 0 is none of Python's dates."""
    return f"date({column}, '+0 days') IS {column} AND {column} >= '{dt.date.min.isoformat()}'"


def _value_checks(field: dict[str, Any]) -> list[str]:
    """What the field's constraints refuse, as conditions on a non-empty value (patterns apart)."""
    column, kind, rules = _ident(field["name"]), field.get("type", "string"), constraints(field)
    checks = []
    if kind == "date":
        checks.append(f"{column} GLOB '{_DATE_GLOB}' AND {_real_day(column)}")
    if kind == "string" and rules.get("required"):
        checks.append(f"length({column}) > 0")
    for rule, operator in (("minimum", ">="), ("maximum", "<=")):
        if rule in rules:
            checks.append(f"{column} {operator} {_literal(rules[rule], kind)}")
    if "enum" in rules:
        checks.append(f"{column} IN (" + ", ".join(_literal(v, kind) for v in rules["enum"]) + ")")
    for rule, operator in (("minLength", ">="), ("maxLength", "<=")):
        if rule in rules:
            checks.append(f"length({column}) {operator} {int(rules[rule])}")
    return checks


def _shown(rule: str) -> str:
    """A rule as JSON text on one line, for an SQL comment."""
    return json.dumps(rule, ensure_ascii=False)


def _column(field: dict[str, Any]) -> tuple[str, list[str]]:
    """The column's definition and CHECKs, and comments naming each pattern not enforced here."""
    column, rules = _ident(field["name"]), constraints(field)
    required = bool(rules.get("required"))
    definition = f"{column} {_SQL_TYPES[field.get('type', 'string')]}"
    definition += " NOT NULL" if required else ""
    definition += " UNIQUE" if rules.get("unique") else ""
    checks, comments = _value_checks(field), []
    for pattern in patterns(field):
        said = _pattern_sql(column, pattern)
        if said is None:
            comments.append(f"-- pattern not enforced here: {column} {_shown(pattern)}")
        else:
            checks.append(said)
    if field.get("type") == "date" and field.get("format", "default") != "default":
        comments.append(f"-- format not enforced here: {column} {_shown(field['format'])}")
    guarded = [c if required else f"{column} IS NULL OR ({c})" for c in checks]
    return "".join([definition, *(f"\n    CHECK ({c})" for c in guarded)]), comments


def _names(fields: str | list[str]) -> str:
    return ", ".join(_ident(f) for f in ([fields] if isinstance(fields, str) else fields))


def _keys(resource: Resource) -> list[str]:
    """Primary key, unique keys, and foreign keys as table constraints."""
    names = _names
    keys = [f"PRIMARY KEY ({names(resource.primary_key)})"]
    keys += [f"UNIQUE ({names(unique)})" for unique in resource.schema.get("uniqueKeys", [])]
    for key in resource.foreign_keys:
        target = key["reference"]
        reference = f"{_ident(target['resource'])} ({names(target['fields'])})"
        keys.append(f"FOREIGN KEY ({names(key['fields'])}) REFERENCES {reference}")
    return keys


def _create_table(resource: Resource) -> str:
    """CREATE TABLE ... STRICT with every rule of the Table Schema SQLite can enforce by itself."""
    lines, comments = [], []
    for field in resource.fields:
        said, unsaid = _column(field)
        lines, comments = [*lines, said], comments + unsaid
    body = ",\n  ".join(lines + _keys(resource))
    notes = "".join(f"\n  {c}" for c in comments)
    return f"CREATE TABLE {_ident(resource.name)} (\n  {body}{notes}\n) STRICT"


STRICT_NOTE = (
    "STRICT: a value is stored as its column's type, and text is first converted as SQLite's own"
    " typing does: text that reads as a number becomes one before the checks ('5e4' and '+5' in an"
    " INTEGER column; '49999.99999999999999' becomes 50000, rounded through a float). Insert"
    " numbers, not text: what is stored always passes every check, but may not be the text given."
)


def _metadata_rows(package: Package) -> list[tuple[str, str]]:
    descriptor = package.descriptor
    return [
        ("name", descriptor["name"]),
        ("version", str(descriptor.get("version", ""))),
        ("title", descriptor.get("title", "")),
        ("foreign_keys", "Declared; SQLite enforces them only with PRAGMA foreign_keys=ON."),
        ("patterns", "Those named in a CREATE TABLE comment (see .schema) are not enforced here."),
        ("checks", "Every other rule of the Table Schemas is a CHECK, NOT NULL or UNIQUE."),
        ("types", STRICT_NOTE),
    ]


def datasette_metadata(package: Package, database: str) -> dict[str, Any]:
    """The metadata.json Datasette reads: titles, descriptions, licence, source."""
    article = package.descriptor["sources"][0]
    tables = {
        name: {
            "title": package.descriptor["resources"][i]["title"],
            "description": resource.schema.get("description", ""),
            "columns": {f["name"]: f.get("description", "") for f in resource.fields},
        }
        for i, (name, resource) in enumerate(package.resources.items())
    }
    return {
        "title": package.descriptor["title"],
        "description": package.descriptor["description"],
        "license": package.descriptor["licenses"][0]["name"],
        "license_url": package.descriptor["licenses"][0]["path"],
        "source": article["title"],
        "source_url": article["path"],
        "databases": {database: {"tables": tables}},
    }


def to_sqlite(package: Package, out: Path, site_url: str | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=out, prefix=f".{NAME}.", suffix=".db")
    os.close(handle)
    with sqlite3.connect(temp) as db:
        db.execute("CREATE TABLE _metadata (key TEXT PRIMARY KEY, value TEXT) STRICT")
        db.executemany("INSERT INTO _metadata VALUES (?, ?)", _metadata_rows(package))
        for name, resource in package.resources.items():
            db.execute(_create_table(resource))
            marks = ", ".join("?" for _ in resource.fields)
            db.executemany(
                f"INSERT INTO {_ident(name)} VALUES ({marks})",
                [tuple(r.values()) for r in records(package, name)],
            )
    db.close()
    put_in_place(temp, out / f"{NAME}.db")
    metadata = json.dumps(datasette_metadata(package, NAME), indent=2, ensure_ascii=False) + "\n"
    return [out / f"{NAME}.db", atomic(out / "metadata.json", metadata.encode("utf-8"))]
