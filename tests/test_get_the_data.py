"""Issue: the release zip. The README's "Get the data" commands for a release's files, parsed out of README.md
and run as written on the zip the release builds: they pass on the release and fail on a zip with one cell
broken, and Frictionless given the zip itself checks no table, as the README warns."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import release_build  # scripts/ is on the path (conftest)

from edits import ROOT

ZIP = "morocco-migration-2017.zip"
VERSION = release_build.version()


def readme_release_item() -> str:
    """The README's item on a release's files, its lines joined, from the section the site shows too."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- get-the-data:start -->\n", 1)[1].split("<!-- get-the-data:end -->", 1)[0]
    (item,) = [i for i in section.split("\n- ") if i.startswith("**A release's files**")]
    return item


def shell_commands(item: str) -> list[str]:
    """The lines of the item's sh block: the commands a reader runs in the folder the assets were saved to."""
    (block,) = re.findall(r"```sh\n(.*?)```", item, re.DOTALL)
    return [line.strip() for line in block.splitlines() if line.strip()]


def frictionless_commands(item: str) -> list[str]:
    """The item's inline `frictionless …` commands (a code span may wrap across lines)."""
    prose = re.sub(r"```sh\n.*?```", "", item, flags=re.DOTALL)
    return [" ".join(span.split()) for span in re.findall(r"`(frictionless [^`]+)`", prose)]


def unzip_step(commands: list[str]) -> str:
    """The README's own unzip command, the first step of its `unzip … && …` line."""
    (step,) = [part.strip() for line in commands for part in line.split("&&") if part.strip().startswith("unzip ")]
    return step


def run(command: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """A README command as a reader's shell runs it, with this environment's tools first on the PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path}
    return subprocess.run(command, shell=True, cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def release_assets(folder: Path) -> Path:
    """The zip as the release builds it (`export --format zip`) and the SHA256SUMS beside it."""
    from morocco_migration_2017.export import export

    folder.mkdir()
    assert export(["zip"], folder) == [folder / ZIP]
    (folder / "SHA256SUMS").write_text(release_build.sha256sums(folder), encoding="utf-8")
    return folder


def break_one_cell(archive: Path) -> None:
    """The zip with one cell of statistics.csv not a number (the first row's value), every other byte kept."""
    with zipfile.ZipFile(archive) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(archive, "w") as target:
        for info, data in entries:
            if info.filename.endswith("/data/statistics.csv"):
                rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
                rows[1][rows[0].index("value")] = "fifty thousand"
                out = io.StringIO()
                csv.writer(out, lineterminator="\n").writerows(rows)
                data = out.getvalue().encode("utf-8")
            target.writestr(info, data)


@pytest.fixture(autouse=True)
def tools() -> None:
    missing = [tool for tool in ("unzip", "sha256sum") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the README's commands need {', '.join(missing)}")


def test_the_readme_gives_the_commands_this_test_runs() -> None:
    item = readme_release_item()
    assert shell_commands(item) and frictionless_commands(item) and unzip_step(shell_commands(item))
    assert all(command.startswith("frictionless validate ") for command in frictionless_commands(item))


def test_the_readmes_commands_pass_on_the_release_zip(tmp_path: Path) -> None:
    assets = release_assets(tmp_path / "download")
    item = readme_release_item()
    results = [run(command, assets) for command in shell_commands(item) + frictionless_commands(item)]
    assert [r.returncode for r in results] == [0] * len(results), "\n".join(r.stdout + r.stderr for r in results)
    assert f"{ZIP}: OK" in results[0].stdout  # sha256sum checked the zip, not only the files it found
    verified = [r.stdout for r in results if "identical to release" in r.stdout]
    assert verified and verified[-1].rstrip().endswith(f"identical to release {VERSION}")
    assert "VALID" in results[-1].stdout and "INVALID" not in results[-1].stdout


def test_the_readmes_frictionless_command_fails_on_a_zip_with_one_cell_broken(tmp_path: Path) -> None:
    assets = release_assets(tmp_path / "download")
    break_one_cell(assets / ZIP)
    item = readme_release_item()
    assert run(unzip_step(shell_commands(item)), assets).returncode == 0
    for command in frictionless_commands(item):
        result = run(command, assets)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "INVALID" in result.stdout and "statistics" in result.stdout


def test_frictionless_given_the_zip_itself_checks_no_table_as_the_readme_warns(tmp_path: Path) -> None:
    assets = release_assets(tmp_path / "download")
    break_one_cell(assets / ZIP)
    assert "given the zip itself Frictionless checks no table" in " ".join(readme_release_item().split())
    result = run(f"frictionless validate {ZIP}", assets)
    assert result.returncode == 0 and "INVALID" not in result.stdout, result.stdout + result.stderr
