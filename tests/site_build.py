"""Build the docs site of a repository folder into a temporary directory, strictly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from edits import ROOT

SITE_PARTS = ("mkdocs.yml", "docs", "README.md", "CHANGELOG.md", "CITATION.cff", "benchmarks/results")
# The address the tests build the site for (mkdocs.yml reads it from SITE_URL): a sub-path, as a project site has.
SITE_URL = "https://maintainers.example.org/morocco-migration-2017/"


def copy_site_sources(target: Path) -> Path:
    """The files the site is generated from (package data included), copied into target."""
    from edits import copy_package

    copy_package(target)
    for part in SITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


def build_site(
    project: Path, site: Path, site_url: str | None = SITE_URL, catalog_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Build strictly; site_url None builds as mkdocs.yml does with SITE_URL unset, and catalog_url None
    as it does with CATALOG_URL unset."""
    mkdocs = Path(sys.executable).parent / "mkdocs"
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "CATALOG_URL")} | {"NO_MKDOCS_2_WARNING": "1"}
    env |= {name: value for name, value in (("SITE_URL", site_url), ("CATALOG_URL", catalog_url)) if value}
    return subprocess.run(
        [str(mkdocs), "build", "--strict", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site)],
        capture_output=True,
        text=True,
        env=env,
    )
