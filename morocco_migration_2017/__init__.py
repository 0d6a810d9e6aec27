"""Morocco's November 2017 irregular-migration and trafficking figures as a validated data package.

>>> import morocco_migration_2017 as mm
>>> statistics = mm.load()            # the statistics table, typed
>>> tables = mm.load_all()            # every table, by name
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .loader import load, load_all, table_names
from .paths import default_root

try:
    __version__ = version("morocco-migration-2017")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__", "default_root", "load", "load_all", "table_names"]
