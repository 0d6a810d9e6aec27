"""Morocco's November 2017 irregular-migration and trafficking figures as a validated data package.

>>> import morocco_migration_2017 as mm
>>> statistics = mm.load()            # the statistics table, typed
>>> flat = mm.load_flat()             # each statistic with its claimant, date, indicator and unit
>>> tables = mm.load_all()            # every table, by name
>>> mm.schema("statistics").validate(statistics)   # the pandera schema derived from the Table Schema
"""

from __future__ import annotations

from typing import Any

from .problems import DataPackageError, PackageError

_LAZY = {  # imported only when asked: load() must not pay for pandera, nor import for pandas
    "load": "loader",
    "load_all": "loader",
    "load_flat": "loader",
    "table_names": "loader",
    "open_package": "package",
    "default_root": "package",
    "schema": "pandera_schemas",
    "export": "export",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":  # the version lives in datapackage.json (hatchling reads it from there too)
        from .package import default_root, read_descriptor

        return str(read_descriptor(default_root())["version"])
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DataPackageError", "PackageError", "__version__", *_LAZY]
