"""Issue: `frictionless validate datapackage.json`, as a user runs it, reports the package valid."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from edits import ROOT, set_cell


def frictionless(root: Path) -> dict:
    exe = shutil.which("frictionless", path=str(Path(sys.executable).parent)) or shutil.which("frictionless")
    assert exe, "the frictionless command is installed with the package"
    result = subprocess.run([exe, "validate", "--json", "datapackage.json"], cwd=root, capture_output=True, text=True)
    return json.loads(result.stdout)


def test_frictionless_says_valid() -> None:
    report = frictionless(ROOT)
    assert report["valid"], report
    assert {task["name"] for task in report["tasks"]} == {
        "statistics",
        "statements",
        "indicators",
        "sources",
        "mentions",
        "cross_checks",
    }


def test_frictionless_can_say_invalid(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 2, "value_bound", "roughly")
    assert not frictionless(package_copy)["valid"]


def test_every_csv_resource_declares_encoding_and_dialect() -> None:
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    for resource in descriptor["resources"]:
        assert resource["encoding"] == "utf-8" and resource["type"] == "table"
        assert resource["dialect"]["delimiter"] == "," and resource["schema"].startswith("schemas/")
    (pin,) = [source for source in descriptor["sources"] if "hash" in source]
    assert pin["hash"].startswith("sha256:") and pin["bytes"] > 0
