"""The package as read, once: what validate, load*, show, the exports and the docs all take;
read_package() reads it safely, judges it by the release's rules, then types its tables."""

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import reading
from .problems import DataPackageError, PackageError, Problem
from .reading import DESCRIPTOR, MAX_JSON_BYTES, default_root, parse_json, read_file, resolve_root
from .rules import TYPES, Resource, check_csv, constraints, descriptor_checks, judge


def package_files(descriptor: dict[str, Any]) -> list[str]:
    """Every file of the package, relative to its root: descriptor, data, schemas, snapshots."""
    named = [entry.get(key) for entry in descriptor["resources"] for key in ("path", "schema")]
    sources = [source for source in descriptor.get("sources", []) if isinstance(source, dict)]
    named += [source.get("path") for source in sources]
    return [
        DESCRIPTOR,
        *dict.fromkeys(path for path in named if reading.unsafe_path_reason(path) is None),
    ]


def _refuse_first(resource: Resource, column: pd.Series, bad: pd.Series, message: str) -> None:
    """DataPackageError naming the first cell of the column marked bad, if there is one."""
    if bad.any():
        at = bad.idxmax()
        where = {"row": int(at) + 2, "field": column.name, "value": column[at]}
        raise DataPackageError(Problem("load", resource.path, message, **where))


def typed_column(resource: Resource, column: pd.Series, field: dict[str, Any]) -> pd.Series:
    """One column typed from its field; DataPackageError naming the first cell that does not fit."""
    dtype, syntax, words = TYPES[field.get("type", "string")]
    enum, present = constraints(field).get("enum"), column.notna()
    if enum is not None:
        listed = f"must be one of {', '.join(map(str, enum))}"
        _refuse_first(resource, column, present & ~column.isin(enum), listed)
        return column.astype(pd.CategoricalDtype(categories=enum))
    if syntax is None:
        return column.astype(dtype)
    written = column.str.fullmatch(syntax).fillna(False).astype(bool)
    _refuse_first(resource, column, present & ~written, f"must be {words}")
    if not dtype.startswith("datetime"):
        return pd.to_numeric(column).astype(dtype)
    typed = pd.to_datetime(column, format="%Y-%m-%d", errors="coerce").astype(dtype)
    _refuse_first(resource, column, present & typed.isna(), "must be a date that exists")
    return typed


def _unreadable(resource: Resource, data: bytes, arrow: Exception) -> DataPackageError:
    """pyarrow's error on a CSV it cannot read, in pandas's words, which name the line."""
    reason = arrow
    try:
        pd.read_csv(io.BytesIO(data), dtype=str)
    except (ValueError, UnicodeDecodeError) as detail:
        reason = detail
    why = f"cannot be read as CSV: {str(reason)[:200]}"
    return DataPackageError(Problem("load", resource.path, why))


def typed_table(resource: Resource, data: bytes) -> pd.DataFrame:
    """A CSV's bytes as a frame typed by its schema; row i is spreadsheet row i + 2."""
    import pyarrow as pa
    from pyarrow import csv

    parse = csv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False)  # widths must agree
    nulls = {"null_values": [""], "strings_can_be_null": True, "quoted_strings_can_be_null": True}
    types = dict.fromkeys(resource.field_names, pa.string())  # only an empty cell is missing
    texts = csv.ConvertOptions(column_types=types, **nulls)
    try:
        whole = csv.ReadOptions(block_size=max(len(data), 1 << 20))  # a cell spanning two blocks
        raw = csv.read_csv(io.BytesIO(data), whole, parse, texts).to_pandas()
    except (ValueError, pa.ArrowException) as arrow:
        raise _unreadable(resource, data, arrow) from None
    if list(raw.columns) != resource.field_names:
        message = f"the header must be the schema's fields: {', '.join(resource.field_names)}"
        header = ",".join(map(str, raw.columns))
        raise DataPackageError(Problem("load", resource.path, message, row=1, value=header))
    typed = {f["name"]: typed_column(resource, raw[f["name"]], f) for f in resource.fields}
    return pd.DataFrame(typed, index=raw.index)


@dataclass
class Package:
    """A package read once (PackageError without a descriptor): its files, tables and problems."""

    root: Path
    rules: str = "release"  # whose rules judge it: the release's, or (for a fork) the copy's own
    raw: dict[str, bytes] = field(default_factory=dict)  # every file read, by path: each once
    descriptor: dict[str, Any] = field(init=False)
    resources: dict[str, Resource] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    created: pd.Timestamp | None = None
    problems: list[Problem] = field(default_factory=list)
    differences: list[Problem] = field(default_factory=list)  # of a fork's rules from the release's

    def __post_init__(self) -> None:  # datapackage.json: an object whose resources are objects
        self.descriptor = self.read_json(DESCRIPTOR)
        resources = self.descriptor.get("resources") if isinstance(self.descriptor, dict) else None
        if not isinstance(resources, list) or not all(isinstance(e, dict) for e in resources):
            why = "not a data package ('resources' must be a list of objects)"
            raise PackageError(f"{DESCRIPTOR}: {why}")

    def read(self, relpath: str, limit: int = reading.MAX_FILE_BYTES) -> bytes:
        if relpath not in self.raw:
            self.raw[relpath] = read_file(self.root, relpath, limit)
        return self.raw[relpath]

    def read_json(self, relpath: str) -> Any:
        return parse_json(self.read(relpath, MAX_JSON_BYTES), relpath)

    def path_of(self, table: str) -> str:
        """A table's CSV path; any other name is already the path of a file (a JSON file)."""
        return self.resources[table].path if table in self.resources else table

    def snapshot_of(self) -> dict[str, str]:
        """Each source's snapshot text, by source_id, for sources whose snapshot was read."""
        sources = self.tables["sources"].dropna(subset=["snapshot_path"])
        pairs = zip(sources["source_id"], sources["snapshot_path"], strict=True)
        return {sid: self.snapshots[path] for sid, path in pairs if path in self.snapshots}

    def type_tables(self) -> list[Problem]:
        """Fill tables from the bytes: a problem per table with a cell its type does not read."""
        problems = []
        for name, resource in self.resources.items():
            try:
                self.tables[name] = typed_table(resource, self.raw[resource.path])
            except DataPackageError as err:
                problems.append(err.problem)
        return problems


def release_rules(own: Package | None = None) -> tuple[dict[str, Any], dict[str, Resource]]:
    """The descriptor and tables of the release installed, whose rules judge every copy (own: the
    release itself, already opened, whose files are then read only once)."""
    own = own or Package(default_root())
    entries = own.descriptor["resources"]
    tables = [Resource(e["name"], e["path"], own.read_json(e["schema"]), e) for e in entries]
    return own.descriptor, {table.name: table for table in tables}


def files_stage(pkg: Package) -> list[Problem]:
    """The copy's rules against the release's (a fork's: screened), each CSV's bytes, the pins."""
    own, problems = pkg.root == default_root(), []
    descriptor, release = release_rules(pkg if own else None)
    if not own:
        found = judge(descriptor, release, pkg.descriptor, pkg.read_json, pkg.rules == "copy")
        problems, pkg.differences, pkg.resources = found
    pkg.resources = pkg.resources or release
    for resource in pkg.resources.values():
        try:
            problems += check_csv(resource.path, pkg.read(resource.path))
        except PackageError as err:
            why = str(err).removeprefix(f"{resource.path}: ")
            problems.append(Problem("files", resource.path, why))
    pkg.created, pkg.snapshots, pins = descriptor_checks(pkg.descriptor, pkg.read)
    return problems + pins


def read_package(
    root: str | Path | None = None, *, strict: bool = True, rules: str = "release"
) -> Package:
    """The package at root (the release by default), read once and judged by the release's rules
    (rules="copy": a fork's own); strict: DataPackageError on the first problem, tables typed."""
    if rules not in ("release", "copy"):
        raise ValueError(f"rules must be 'release' or 'copy', not {rules!r}")
    pkg = Package(resolve_root(root), rules)
    pkg.problems = files_stage(pkg)
    found = (pkg.problems or pkg.type_tables()) if strict else []
    if found:
        raise DataPackageError(found[0])
    return pkg
