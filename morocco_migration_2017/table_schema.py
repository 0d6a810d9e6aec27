"""The package's tables and their Table Schemas (schemas/*.schema.json): the single source of truth for every field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import DataPackageError, Problem
from .safe_read import DESCRIPTOR, PackageError, read_descriptor, read_json, resolve_root, unsafe_path_reason, url_reason

# Table Schema types this package's loader, translator and checks know; any other is refused, not guessed.
TYPES = ("string", "integer", "number", "date")
CONSTRAINTS = ("required", "unique", "pattern", "enum", "minimum", "maximum", "minLength", "maxLength")
MAX_REPEAT = 1000


@dataclass(frozen=True)
class Resource:
    """A tabular resource of the package, with its Table Schema already read."""

    name: str
    path: str
    schema: dict[str, Any]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.schema["fields"]

    @property
    def field_names(self) -> list[str]:
        return [field["name"] for field in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        return next(field for field in self.fields if field["name"] == name)

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey", [])
        return [key] if isinstance(key, str) else list(key)

    @property
    def foreign_keys(self) -> list[dict[str, Any]]:
        return self.schema.get("foreignKeys", [])


def constraints(field: dict[str, Any]) -> dict[str, Any]:
    return field.get("constraints", {})


def enum_values(field: dict[str, Any]) -> list[Any] | None:
    return constraints(field).get("enum")


def is_required(field: dict[str, Any]) -> bool:
    return bool(constraints(field).get("required", False))


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
        tree = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as err:
        return f"not a valid regular expression ({err})"
    unbounded = 0
    stack: list[tuple[Any, bool]] = [(tree, False)]
    while stack:
        node, in_repeat = stack.pop()
        for op, arg in node:
            name = str(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS", "ASSERT", "ASSERT_NOT"):
                return "back-references and look-arounds are not allowed"
            if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                _, high, body = arg
                many = high > 1
                unbounded += high == _parser.MAXREPEAT
                if high != _parser.MAXREPEAT and high > MAX_REPEAT:
                    return f"a repetition count above {MAX_REPEAT}"
                if many and in_repeat:
                    return "a repetition inside a repetition can backtrack catastrophically"
                stack.append((body, in_repeat or many))
            elif name == "BRANCH":
                if in_repeat:
                    return "an alternation inside a repetition can backtrack catastrophically"
                stack += [(branch, in_repeat) for branch in arg[1]]
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                stack.append((arg[-1] if name == "SUBPATTERN" else arg, in_repeat))
    return "more than one unbounded repetition" if unbounded > 1 else None


def _field_problems(schema_path: str, fields: Any) -> list[Problem]:
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        return [Problem("files", schema_path, "'fields' must be a list of objects with a name", field="fields")]
    problems = []
    for field in fields:
        if field.get("type", "string") not in TYPES:
            problems.append(Problem("files", schema_path, f"type must be one of {', '.join(TYPES)}", field=field["name"]))
        rules = field.get("constraints", {})
        if not isinstance(rules, dict) or set(rules) - set(CONSTRAINTS):
            message = f"constraints must be an object with keys among {', '.join(CONSTRAINTS)}"
            problems.append(Problem("files", schema_path, message, field=field["name"]))
            continue
        for pattern in patterns(field):
            reason = backtracking_reason(pattern) if isinstance(pattern, str) else "pattern must be a string"
            if reason:
                problems.append(
                    Problem("files", schema_path, f"pattern refused: {reason}", field=field["name"], value=pattern)
                )
    return problems


def _entry_problems(entry: dict[str, Any]) -> list[Problem]:
    name = entry.get("name")
    found = [(key, unsafe_path_reason(entry.get(key))) for key in ("path", "schema")]
    found += [(key, url_reason(entry[key])) for key in ("$schema", "profile") if key in entry]
    if not isinstance(entry.get("dialect", {}), dict):
        found.append(("dialect", "must be an inline object; nothing is fetched"))
    if str(entry.get("encoding", "utf-8")).lower().replace("_", "-") not in ("utf-8", "utf8"):
        found.append(("encoding", "the package's files are UTF-8; declare encoding utf-8"))
    if entry.get("type") != "table":
        found.append(("type", "every resource of this package is a table ('type': 'table')"))
    return [
        Problem("files", DESCRIPTOR, f"resource {name!r}: {key}: {why}", field=key, value=entry.get(key))
        for key, why in found
        if why
    ]


def inspect_package(root: Path, descriptor: dict[str, Any]) -> tuple[dict[str, Resource], list[Problem]]:
    """Every table resource with its schema read, and the problems of the descriptor and schema files."""
    problems = [
        Problem("files", DESCRIPTOR, f"{key}: {url_reason(descriptor[key])}", field=key)
        for key in ("$schema", "profile")
        if url_reason(descriptor.get(key))
    ]
    resources: dict[str, Resource] = {}
    for entry in descriptor["resources"]:
        found = _entry_problems(entry)
        if not found and (not isinstance(entry.get("name"), str) or entry["name"] in resources):
            found = [
                Problem("files", DESCRIPTOR, "every resource needs a unique name", field="name", value=entry.get("name"))
            ]
        problems += found
        if found:
            continue
        try:
            schema = read_json(root, entry["schema"])
        except PackageError as err:
            problems.append(Problem("files", entry["schema"], str(err).removeprefix(f"{entry['schema']}: ")))
            continue
        schema = schema if isinstance(schema, dict) else {}
        schema_problems = _field_problems(entry["schema"], schema.get("fields"))
        why = url_reason(schema.get("$schema"))
        schema_problems += [Problem("files", entry["schema"], f"$schema: {why}", field="$schema")] if why else []
        problems += schema_problems
        if not schema_problems:
            resources[entry["name"]] = Resource(entry["name"], entry["path"], schema)
    return resources, problems


def package_files(descriptor: dict[str, Any]) -> list[str]:
    """Every file of the package, relative to its root: descriptor, data, schemas and pinned snapshots."""
    named = [entry.get(key) for entry in descriptor["resources"] for key in ("path", "schema")]
    named += [source.get("path") for source in descriptor.get("sources", []) if isinstance(source, dict)]
    return [DESCRIPTOR, *dict.fromkeys(path for path in named if unsafe_path_reason(path) is None)]


def open_package(root: str | Path | None = None) -> tuple[Path, dict[str, Any], dict[str, Resource]]:
    """The root, descriptor and tables of a package, or DataPackageError with its first problem."""
    base = resolve_root(root)
    descriptor = read_descriptor(base)
    resources, problems = inspect_package(base, descriptor)
    if problems:
        raise DataPackageError(problems[0])
    return base, descriptor, resources
