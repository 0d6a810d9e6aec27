"""Issue: the benchmark runs (at its smallest size) so that it cannot rot; the full run is a separate command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from edits import ROOT

pytestmark = pytest.mark.slow


def test_quick_benchmark_writes_its_table(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/run.py"), "--quick", "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    assert {c["name"].split(":")[0] for c in report["comparisons"]} == {"cold start", "validate"}
    assert all(
        c["ours"] > 0 and c["baseline"] > 0 and c["ratio"] == c["ours"] / c["baseline"] for c in report["comparisons"]
    )
    assert {r["stage"] for r in report["scaling"]} == {"files", "frictionless", "pandera", "provenance"}
    assert report["memory"]["max_rss_mb"] > 0 and report["machine"]["cores"] >= 1
    assert "ratio" in result.stdout.splitlines()[0]


def test_published_results_have_every_figure() -> None:
    published = json.loads((ROOT / "benchmarks/results/latest.json").read_text())
    assert published["repeat"] >= 5
    assert sorted({r["rows"] for r in published["scaling"]}) == [1002, 10002, 100002]
    assert {e["stage"] for e in published["exponents"]} == {"files", "frictionless", "pandera", "provenance"}


def test_before_and_after_compares_each_ratio_in_one_run(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    command = [sys.executable, str(ROOT / "benchmarks/run.py"), "--quick", "--before", "HEAD", "--output", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    pairs = report["before_after"]
    assert pairs["ref"] == "HEAD"
    before = {c["name"]: c["ratio"] for c in pairs["before"]["comparisons"]}
    assert [c["name"] for c in pairs["comparisons"]] == [c["name"] for c in report["comparisons"]]
    for row, after in zip(pairs["comparisons"], report["comparisons"], strict=True):
        assert row["after"] == after["ratio"] and row["before"] == before[row["name"]]
        assert row["quotient"] == row["after"] / row["before"]
        assert row["met"] == (row["quotient"] <= 1.10)
    assert sum(line.startswith("after/before ") for line in result.stdout.splitlines()) == len(before)


def test_before_names_a_ref_git_cannot_find_and_fails(tmp_path: Path) -> None:
    command = [sys.executable, str(ROOT / "benchmarks/run.py"), "--quick", "--before", "no-such-ref-xyz"]
    result = subprocess.run([*command, "--output", str(tmp_path / "b.json")], capture_output=True, text=True)
    assert result.returncode != 0 and not (tmp_path / "b.json").exists()
