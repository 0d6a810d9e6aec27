"""Morocco's November 2017 irregular-migration and trafficking figures as a validated data package.

>>> import morocco_migration_2017 as mm
>>> statistics = mm.load()            # the statistics table, typed
>>> flat = mm.load_flat()             # each statistic with its claimant, date, indicator and unit
>>> tables = mm.load_all()            # every table, by name
>>> mm.schema("statistics").validate(statistics)  # the pandera schema from the Table Schema
>>> mm.verify().release               # the release this copy is identical to, if any

Each call opens the package once (open_package); none imports frictionless, nor pandera unasked.
"""

from pathlib import Path
from typing import Any

from .package import Package
from .problems import DataPackageError, PackageError
from .reading import default_root
from .validation import open_package
from .verify import verify  # the function, not its module: eagerly, so the name stays the function


def table_names(root: str | Path | None = None) -> list[str]:
    """Names of the tables, in the order of datapackage.json."""
    return list(open_package(root).resources)


def load_all(root: str | Path | None = None, *, validate: bool = False) -> dict[str, Any]:
    """Every table by name, typed from its Table Schema; validate=True: only if validate passes."""
    return open_package(root, validate=validate).tables


def load(
    name: str = "statistics", root: str | Path | None = None, *, validate: bool = False
) -> Any:
    """One table, typed from its Table Schema."""
    tables = load_all(root, validate=validate)
    if name not in tables:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(tables)}")
    return tables[name]


def load_flat(root: str | Path | None = None, *, validate: bool = False) -> Any:
    """The statistics, each row self-contained: the statement's claimant and date, the indicator's
    label and unit."""
    tables = load_all(root, validate=validate)
    names = {"inferred_fields": "statement_inferred_fields", "notes": "statement_notes"}
    claims = tables["statements"].rename(columns=names)
    flat = tables["statistics"].merge(claims, on="statement_id", how="left", validate="many_to_one")
    return flat.merge(tables["indicators"], on="indicator_id", how="left", validate="many_to_one")


def __getattr__(name: str) -> Any:
    if name == "__version__":  # it lives in datapackage.json (hatchling reads it from there too)
        return str(Package(default_root()).descriptor["version"])
    if name in ("schema", "export"):  # pandera, and the [export] extra, only when asked
        from importlib import import_module

        module = import_module(f".{'pandera_schemas' if name == 'schema' else name}", __name__)
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DataPackageError", "PackageError", "__version__", "default_root", "export", "load"]
__all__ += ["load_all", "load_flat", "open_package", "schema", "table_names", "verify"]
