"""scripts/readability.py: each rule fails on a tree with exactly that fault, and --check holds the baseline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "readability.py"
CLEAN = 'def small(x):\n    """One job."""\n    return x + 1\n'
BRANCHY = "def branchy(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(11)) + "    return -1\n"
LONG = "def long():\n" + "".join(f"    a{i} = {i}\n" for i in range(50)) + "    return 0\n"
WIDE = "WIDE = " + repr("x" * 100) + "\n"
FAULTS = {
    "complexity": BRANCHY,
    "length": LONG,
    "width": WIDE,
    "noqa": "f = lambda: 0  # noqa: E731\n",
}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), "--root", str(root), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def tree(tmp_path: Path, text: str, folder: str = "morocco_migration_2017") -> Path:
    (tmp_path / folder).mkdir(parents=True)
    (tmp_path / folder / "module.py").write_text(CLEAN + text, encoding="utf-8")
    return tmp_path


def counts(result: subprocess.CompletedProcess[str]) -> dict[str, int]:
    line = next(line for line in result.stdout.splitlines() if line.startswith("counts: "))
    return json.loads(line.removeprefix("counts: "))


def test_a_clean_tree_has_no_fault(tmp_path: Path) -> None:
    result = run(tree(tmp_path, ""))
    assert result.returncode == 0
    assert set(counts(result).values()) == {0}


@pytest.mark.parametrize("rule", sorted(FAULTS))
@pytest.mark.parametrize("folder", ["morocco_migration_2017", "docs/_hooks"])
def test_each_rule_finds_exactly_its_fault(tmp_path: Path, rule: str, folder: str) -> None:
    root = tree(tmp_path, FAULTS[rule], folder)
    found = counts(run(root))
    assert found[rule] == 1
    assert sum(found.values()) == 1
    assert f"{Path(folder) / 'module.py'}:" in run(root).stdout


def test_a_noqa_with_its_reason_passes(tmp_path: Path) -> None:
    root = tree(tmp_path, "f = lambda: 0  # noqa: E731 -- a table of one-line rules reads best\n")
    assert counts(run(root))["noqa"] == 0


def test_tests_and_scripts_are_not_measured(tmp_path: Path) -> None:
    root = tree(tmp_path, "")
    for folder in ("tests", "scripts"):
        (root / folder).mkdir()
        (root / folder / "x.py").write_text(WIDE + BRANCHY, encoding="utf-8")
    assert set(counts(run(root)).values()) == {0}


def test_the_wheel_is_counted_without_its_exports(tmp_path: Path) -> None:
    root = tree(tmp_path, "")
    (root / "morocco_migration_2017" / "export").mkdir()
    (root / "morocco_migration_2017" / "export" / "big.py").write_text("x = 1\n" * 2000, encoding="utf-8")
    assert counts(run(root))["wheel"] == 0
    (root / "morocco_migration_2017" / "big.py").write_text("x = 1\n" * 1889, encoding="utf-8")
    assert counts(run(root))["wheel"] == 3  # CLEAN's three lines beyond 1,889


def test_check_fails_only_above_the_baseline(tmp_path: Path) -> None:
    root = tree(tmp_path, WIDE)
    baseline = tmp_path / "baseline.json"
    assert run(root, "--record", "--baseline", str(baseline)).returncode == 0
    assert json.loads(baseline.read_text(encoding="utf-8"))["width"] == 1
    assert run(root, "--check", "--baseline", str(baseline)).returncode == 0
    (root / "morocco_migration_2017" / "more.py").write_text(WIDE, encoding="utf-8")
    worse = run(root, "--check", "--baseline", str(baseline))
    assert worse.returncode == 1
    assert "width: 2 (baseline 1)" in worse.stderr
    refused = run(root, "--record", "--baseline", str(baseline))  # a worse count is never recorded
    assert refused.returncode == 1 and json.loads(baseline.read_text(encoding="utf-8"))["width"] == 1


def test_check_without_a_baseline_allows_no_fault(tmp_path: Path) -> None:
    root = tree(tmp_path, WIDE)
    assert run(root, "--check", "--baseline", str(tmp_path / "none.json")).returncode == 1


@pytest.mark.parametrize("text", ['{"complexity": "0"}', '{"width": null}', "[1]", "{", "", '{"length": -1}'])
def test_a_malformed_baseline_is_one_line_and_exit_2(tmp_path: Path, text: str) -> None:
    root, baseline = tree(tmp_path, WIDE), tmp_path / "baseline.json"
    baseline.write_text(text, encoding="utf-8")
    for option in ("--check", "--record"):
        result = run(root, option, "--baseline", str(baseline))
        assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
        assert baseline.read_text(encoding="utf-8") == text  # nothing recorded over it


def test_the_tree_is_within_its_baseline() -> None:
    assert run(ROOT, "--check").returncode == 0
