"""Morocco's November 2017 irregular-migration and trafficking figures as a validated data package.

>>> import morocco_migration_2017 as mm
>>> statistics = mm.load()            # the statistics table, typed
>>> flat = mm.load_flat()             # each statistic with its claimant, date, indicator and unit
>>> tables = mm.load_all()            # every table, by name
>>> mm.schema("statistics").validate(statistics)   # the pandera schema derived from the Table Schema
>>> mm.verify().release               # the release this copy is identical to, if any
"""

from __future__ import annotations

from typing import Any

from .loader import load, load_all, load_flat, table_names
from .problems import DataPackageError
from .safe_read import PackageError, default_root, read_descriptor
from .verify import verify  # the function, not its module: imported eagerly so that the name stays the function


def __getattr__(name: str) -> Any:
    # The version lives in datapackage.json (hatchling reads it from there too); read only when asked, and
    # pandera only when a schema is asked for: load() must not pay for either.
    if name == "__version__":
        return str(read_descriptor(default_root())["version"])
    if name == "schema":
        from .pandera_schemas import schema

        return schema
    if name == "export":  # needs the [export] extra
        from .export import export

        return export
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DataPackageError",
    "PackageError",
    "__version__",
    "default_root",
    "export",
    "load",
    "load_all",
    "load_flat",
    "schema",
    "table_names",
    "verify",
]
