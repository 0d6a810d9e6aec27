"""Read the Table Schemas in schemas/*.schema.json: the single source of truth for every field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import PackageError, read_descriptor, read_json, resolve_root, unsafe_path_reason


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
        for field in self.fields:
            if field["name"] == name:
                return field
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def primary_key(self) -> list[str]:
        key = self.schema.get("primaryKey", [])
        return [key] if isinstance(key, str) else list(key)

    @property
    def foreign_keys(self) -> list[dict[str, Any]]:
        return self.schema.get("foreignKeys", [])


def tabular_resources(root: str | Path | None = None, descriptor: dict[str, Any] | None = None) -> dict[str, Resource]:
    """Every table resource of the package, by name, in descriptor order (pass the descriptor if already read)."""
    base = resolve_root(root)
    resources: dict[str, Resource] = {}
    for entry in (descriptor or read_descriptor(base))["resources"]:
        if entry.get("type") != "table":
            continue
        schema_ref = entry.get("schema")
        if isinstance(schema_ref, str):
            reason = unsafe_path_reason(schema_ref)
            if reason:
                raise PackageError(f"datapackage.json: resource {entry.get('name')!r} schema: {reason}")
            schema_ref = read_json(base / schema_ref)
        resources[entry["name"]] = Resource(entry["name"], entry["path"], schema_ref)
    return resources


def enum_values(field: dict[str, Any]) -> list[Any] | None:
    return field.get("constraints", {}).get("enum")


def is_required(field: dict[str, Any]) -> bool:
    return bool(field.get("constraints", {}).get("required", False))


def category_labels(field: dict[str, Any]) -> dict[str, str]:
    """The documented meaning of each enum value (Table Schema v2 'categories')."""
    return {entry["value"]: entry.get("label", "") for entry in field.get("categories", [])}
