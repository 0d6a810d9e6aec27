"""Issue 24: every block of docs/use-it-with.md runs on the package as shipped, or says why not.

A block is run here in page order, on one scratch copy of the package, unless the prose just before it
says "*Not run here: ...*" (with the reason) or "*Run by `tests/...`*" (the test that runs it). The
upstream faults the page names are shown here, each with its workaround passing on the package and
failing on a copy with one fact broken."""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import pytest

from edits import ROOT, copy_package, set_cell

PAGE = ROOT / "docs" / "use-it-with.md"
BIN = Path(sys.executable).parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
ELSEWHERE = re.compile(r"\*Run by `(tests/test_\w+\.py)`")
NOT_HERE = re.compile(r"\*Not run here: \w[^*]*\*")
COMMANDS = {
    "python": ["python", "-c"],  # the first on PATH: the client's own environment (client_env)
    "sh": ["bash", "-e", "-o", "pipefail", "-c"],
    "js": ["node", "-e"],
}


class Block(NamedTuple):
    language: str
    code: str
    prose: str  # the text between the previous block (or the page's start) and this one


def blocks(page: str | None = None) -> list[Block]:
    page = PAGE.read_text(encoding="utf-8") if page is None else page
    found, end = [], 0
    for match in FENCE.finditer(page):
        found.append(Block(match.group(1), match.group(2), page[end : match.start()]))
        end = match.end()
    return found


def runs_here(block: Block) -> bool:
    return not (NOT_HERE.search(block.prose) or ELSEWHERE.search(block.prose))


def block_with(marker: str) -> Block:
    """The one block of the page whose code contains marker."""
    found = [b for b in blocks() if marker in b.code]
    assert len(found) == 1, marker
    return found[0]


def served_once(code: str, path: str = "/") -> str:
    """The code with each `datasette serve` line answering one request (--get) instead of listening."""
    return re.sub(r"^(datasette serve .*)$", lambda m: f"{m.group(1)} --get {path}", code, flags=re.M)


def client_env(bin_dir: Path = BIN, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a user of one client has: its folder first on PATH."""
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", **(extra or {})}


def run_block(
    block: Block, cwd: Path, env: dict[str, str] | None = None, path: str = "/"
) -> subprocess.CompletedProcess[str]:
    command = [*COMMANDS[block.language], served_once(block.code, path)]
    return subprocess.run(command, cwd=cwd, env=env or client_env(), capture_output=True, text=True, timeout=300)


def shell_commands(block: Block) -> list[str]:
    """Each command of a shell block (a line, with its backslash continuations)."""
    return [c for c in re.split(r"(?<!\\)\n", block.code) if c.strip()]


def broken_value(root: Path) -> Path:
    """A copy of the package with one fact broken: a negative value (the schema's minimum is 0)."""
    package = copy_package(root)
    set_cell(package, "statistics", 2, "value", "-5")
    return package


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_package(tmp_path_factory.mktemp("shipped"))


def test_every_block_has_a_language_and_is_run_or_says_why_not() -> None:
    page = PAGE.read_text(encoding="utf-8")
    fences = re.findall(r"^```(\w*)$", page, re.MULTILINE)
    openers = fences[::2]
    assert all(openers) and len(fences) % 2 == 0, openers
    found = blocks(page)
    assert len(found) == len(openers) >= 12
    unrunnable = [b.code for b in found if runs_here(b) and b.language not in COMMANDS]
    assert not unrunnable


def test_the_marks_are_found_and_a_bare_block_is_not_excused() -> None:
    marked = blocks("*Not run here: no R.*\n\n```r\nx\n```\n*Run by `tests/test_x.py`.*\n```python\ny\n```\n")
    assert [runs_here(b) for b in marked] == [False, False]
    bare = blocks("Not run here\n\n```r\nx\n```\n*Not run here:*\n```r\nz\n```\n")
    assert [runs_here(b) for b in bare] == [True, True]


def test_each_client_has_its_section() -> None:
    headings = re.findall(r"^(#+) (.+)$", PAGE.read_text(encoding="utf-8"), re.MULTILINE)
    names = " ".join(text for _, text in headings)
    for client in ("pandas", "R", "DuckDB", "polars", "Hugging Face datasets", "Excel", "LibreOffice", "Datasette"):
        assert client in names, client
    assert "JavaScript" in names


def test_the_headings_go_down_one_level_at_a_time() -> None:
    levels = [len(h) for h in re.findall(r"^(#+) ", PAGE.read_text(encoding="utf-8"), re.MULTILINE)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after - before <= 1 for before, after in pairwise(levels))


def test_each_block_runs_on_the_package_as_shipped(shipped: Path) -> None:
    if shutil.which("node") is None:
        pytest.skip("no node on this machine: the page's JavaScript cannot run")
    failures = []
    for block in filter(runs_here, blocks()):
        result = run_block(block, shipped)
        if result.returncode != 0:
            failures.append(f"{block.code}\n{result.stdout[-500:]}{result.stderr[-2000:]}")
    assert not failures, "\n".join(failures)
    assert (shipped / "exports" / "morocco-migration-2017.json").is_file()


def test_a_broken_block_is_seen_failing(shipped: Path) -> None:
    for language in ("python", "sh", "js"):
        result = run_block(Block(language, "nonexistent_name_here\n", ""), shipped)
        assert result.returncode != 0, language


def test_the_blocks_run_elsewhere_name_a_test_that_exists() -> None:
    named = {ELSEWHERE.search(b.prose).group(1) for b in blocks() if ELSEWHERE.search(b.prose)}
    assert "tests/test_use_it_with.py" in named
    assert not sorted(n for n in named if not (ROOT / n).is_file())


# The upstream faults and their workarounds.


def client_venv(requirement: str, python: str = sys.executable) -> Path:
    """A virtual environment with one client installed, cached between runs under the temp folder."""
    tag = Path(python).name + "-" + requirement.replace("=", "-")
    folder = Path(tempfile.gettempdir()) / "morocco-migration-2017-clients" / tag
    if not (folder / "installed").is_file():
        subprocess.run([python, "-m", "venv", "--clear", str(folder)], check=True, timeout=300)
        pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "-q", requirement]
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        subprocess.run(pip, check=True, timeout=600, env=env, capture_output=True)
        (folder / "installed").write_text(requirement + "\n")
    return folder / "bin"


def frictionless_bin(version: str) -> Path:
    return BIN if version == "installed" else client_venv(f"frictionless=={version}")


@pytest.mark.slow
@pytest.mark.parametrize("version", ["4.40.11", "5.0.3"])
def test_frictionless_json_exits_0_on_an_invalid_package(version: str, tmp_path: Path) -> None:
    """The fault as the page names it: `"valid": false`, and exit status 0."""
    exe = frictionless_bin(version) / "frictionless"
    command = [str(exe), "validate", "--json", "datapackage.json"]
    result = subprocess.run(command, cwd=broken_value(tmp_path / "p"), capture_output=True, text=True)
    assert json.loads(result.stdout)["valid"] is False
    assert result.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("version", ["4.40.11", "5.0.3", "installed"])
def test_reading_valid_refuses_the_invalid_package(version: str, shipped: Path, tmp_path: Path) -> None:
    env = client_env(frictionless_bin(version))
    broken = broken_value(tmp_path / "p")
    for command in shell_commands(block_with("frictionless validate --json")):
        good = run_block(Block("sh", command, ""), shipped, env)
        assert good.returncode == 0, command + good.stderr
        assert run_block(Block("sh", command, ""), broken, env).returncode != 0, command


def python312() -> str:
    # pyenv's shim answers `which` even where no 3.12 is active: its versions are looked at first
    found = next(iter(sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")))), None)
    found = found or shutil.which("python3.12")
    if found is None:
        pytest.skip("no Python 3.12 here, which check-datapackage needs")
    return found


@pytest.fixture(scope="module")
def check_datapackage() -> Path:
    return client_venv("check-datapackage==0.37.0", python312()) / "python"


def broken_schema(root: Path) -> Path:
    """A copy of the package whose statistics schema names a field type that does not exist."""
    package = copy_package(root)
    path = package / "schemas" / "statistics.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["fields"][0]["type"] = "strnig"
    path.write_text(json.dumps(schema), encoding="utf-8")
    return package


def test_check_datapackage_does_not_open_schema_paths(check_datapackage: Path, tmp_path: Path) -> None:
    code = "import json, check_datapackage as c; print(c.check(json.load(open('datapackage.json'))))"
    result = subprocess.run(
        [str(check_datapackage), "-c", code], cwd=broken_schema(tmp_path / "p"), capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stderr


def test_inlining_the_schemas_lets_check_datapackage_see_them(
    check_datapackage: Path, shipped: Path, tmp_path: Path
) -> None:
    block = block_with("import check_datapackage")
    env = client_env(check_datapackage.parent)
    good = run_block(block, shipped, env)
    assert good.returncode == 0, good.stdout + good.stderr
    broken = run_block(block, broken_schema(tmp_path / "p"), env)
    assert broken.returncode == 1 and "strnig" in broken.stdout, broken.stderr


@pytest.fixture(scope="module")
def offline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every Python process started with this environment has its network sockets refused."""
    from test_offline import BLOCKER

    folder = tmp_path_factory.mktemp("offline")
    (folder / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    paths = [str(folder), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(paths)}


@pytest.mark.slow
def test_dplib_cannot_check_offline(offline: dict[str, str], shipped: Path) -> None:
    python = client_venv("dplib-py==1.1.0") / "python"
    code = "from dplib.actions.package.check import check_package; check_package('datapackage.json')"
    env = {**os.environ, "PYTHONPATH": offline["PYTHONPATH"].split(os.pathsep)[0]}
    result = subprocess.run([str(python), "-c", code], cwd=shipped, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "Profile MUST be resolvable" in result.stderr, result.stderr


def test_the_offline_checks_pass_offline_and_refuse_a_broken_copy(
    offline: dict[str, str], shipped: Path, tmp_path: Path
) -> None:
    env = client_env(BIN, offline)
    broken = broken_value(tmp_path / "p")
    for command in shell_commands(block_with("morocco-migration-2017 validate .")):
        good = run_block(Block("sh", command, ""), shipped, env)
        assert good.returncode == 0 and "network access attempted" not in good.stderr, good.stderr
        assert run_block(Block("sh", command, ""), broken, env).returncode != 0, command


def test_the_broken_copy_differs_by_one_row(tmp_path: Path) -> None:
    """broken_value's edit is the only change: the other rows of the copy are the shipped ones."""
    package = broken_value(tmp_path / "p")
    shipped_rows = (ROOT / "data" / "statistics.csv").read_text(encoding="utf-8").splitlines()
    broken_rows = (package / "data" / "statistics.csv").read_text(encoding="utf-8").splitlines()
    assert [a == b for a, b in zip(shipped_rows, broken_rows, strict=True)].count(False) == 1


@pytest.mark.slow
def test_cffconvert_writes_a_fixed_key_and_no_version(tmp_path: Path) -> None:
    """The fault as the page names it, on this package's CITATION.cff."""
    cffconvert = client_venv("cffconvert==2.0.0") / "cffconvert"
    command = [str(cffconvert), "-f", "bibtex", "-i", str(ROOT / "CITATION.cff")]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("@misc{YourReferenceHere,")
    assert "version" not in result.stdout


def test_the_pages_bibtex_has_the_packages_key_and_version(tmp_path: Path) -> None:
    shipped = copy_package(tmp_path / "p")
    citation = shipped / "CITATION.cff"
    shutil.copy(ROOT / "CITATION.cff", citation)
    result = run_block(block_with("citeAs"), shipped)
    assert result.returncode == 0, result.stderr
    bibtex = (shipped / "morocco.bib").read_text(encoding="utf-8")
    version = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    assert bibtex.startswith(f"@misc{{morocco-migration-2017-{version},")
    assert f"version = {{{version}}}" in bibtex
    citation.write_text(citation.read_text(encoding="utf-8").replace(version, "9.9.9"), encoding="utf-8")
    assert run_block(block_with("citeAs"), shipped).returncode == 0
    assert "version = {9.9.9}" in (shipped / "morocco.bib").read_text(encoding="utf-8")
