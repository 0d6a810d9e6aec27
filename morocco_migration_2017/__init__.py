"""Morocco's November 2017 irregular-migration and trafficking figures as a validated data package.

>>> import morocco_migration_2017 as mm
>>> statistics = mm.load()            # the statistics table, typed
>>> tables = mm.load_all()            # every table, by name
"""

from __future__ import annotations

from .loader import load, load_all, table_names
from .paths import default_root, read_descriptor


def __getattr__(name: str) -> str:
    # The version lives in datapackage.json (hatchling reads it from there too); read it only when asked,
    # since importlib.metadata would add a scan of the installed distributions to every import.
    if name == "__version__":
        return str(read_descriptor(default_root())["version"])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["__version__", "default_root", "load", "load_all", "table_names"]
