"""Issue: the `morocco-migration-2017` command: exit codes, one line per problem, JSON, show, version."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

import morocco_migration_2017 as mm
import plain_checks as pc
from edits import ROOT, set_cell
from morocco_migration_2017.cli import main


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str) -> Result:
    """main() in this process, as the command line would call it (one test below runs the real console script)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse's own exits: --help, --version, usage errors
            code = int(exit.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


def test_validate_default_package_is_sound() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(
        "valid: 6 statistics, 1 statements, 5 indicators, 3 sources, 15 mentions, 12 cross_checks"
    )
    assert pc.SNAPSHOT_ID in result.stdout


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "morocco-migration-2017"
    assert subprocess.run([str(script), "validate"], capture_output=True, text=True).returncode == 0


def test_one_line_per_problem_with_file_row_field_value(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 3, "value_bound", "roughly")
    result = run("validate", str(package_copy))
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "row 3" in line]
    assert any(
        line.startswith("data/statistics.csv, row 3, field value_bound:") and "'roughly'" in line for line in lines
    ), result.stdout
    assert result.stdout.rstrip().endswith(f"1 problem found in {package_copy}")


def test_json_report(package_copy: Path) -> None:
    set_cell(package_copy, "indicators", 2, "unit", "kilograms")
    result = run("validate", str(package_copy), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 1 and report["valid"] is False and report["problem_count"] == len(report["problems"])
    assert {"check", "file", "row", "field", "message", "value"} <= set(report["problems"][0])
    assert any(p["file"] == "data/indicators.csv" and p["row"] == 2 and p["field"] == "unit" for p in report["problems"])
    assert report["package"] == str(package_copy.resolve())
    assert list(report["seconds"]) == ["files", "frictionless"] and all(v > 0 for v in report["seconds"].values())
    assert report["skipped"] == [
        "pandera: runs once the problems above are fixed",
        "provenance: runs once the problems above are fixed",
    ]


def test_json_report_gives_null_for_a_problem_without_a_value(package_copy: Path) -> None:
    (package_copy / "data/indicators.csv").unlink()
    report = json.loads(run("validate", str(package_copy), "--json").stdout)
    assert [(p["file"], p["value"]) for p in report["problems"]] == [("data/indicators.csv", None)]


def test_json_report_of_a_sound_package_times_every_stage() -> None:
    report = json.loads(run("validate", "--json").stdout)
    assert report["valid"] is True and report["problems"] == [] and report["skipped"] == []
    assert list(report["seconds"]) == ["files", "frictionless", "pandera", "provenance"]
    assert all(isinstance(v, float) and v > 0 for v in report["seconds"].values())
    assert report["row_counts"] == {name: len(pc.rows(ROOT, name)) for name in report["row_counts"]}


def test_validate_accepts_the_descriptor_path() -> None:
    assert run("validate", str(ROOT / "datapackage.json")).returncode == 0


@pytest.mark.parametrize("args", [("validate", "/no/such/folder"), ("frobnicate",), ("validate", "--bogus"), ()])
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip()


def test_unreadable_descriptor_is_one_line(package_copy: Path) -> None:
    (package_copy / "datapackage.json").write_text("not json", encoding="utf-8")
    result = run("validate", str(package_copy))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "datapackage.json" in result.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"morocco-migration-2017 {mm.__version__}"
    assert mm.__version__ == json.loads((ROOT / "datapackage.json").read_text())["version"]
    help_text = run("--help").stdout
    assert "validate" in help_text and "show" in help_text and "Exit status" in help_text


def test_show_prints_every_statistic_with_bound_and_quote() -> None:
    out = run("show").stdout
    claimant = pc.rows(ROOT, "statements")[0]["claimant"]
    for row in pc.rows(ROOT, "statistics"):
        assert row["statistic_id"] in out
    assert out.count(claimant) == len(pc.rows(ROOT, "statistics"))
    assert "more than 23,000 persons" in out and "as much as US$175 million" in out
    assert "“The legalization campaign has so far granted legal stay rights to more than 23,000 migrants”" in out


def test_show_of_a_copy_validate_refuses_exits_1_and_prints_no_table(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 3, "value_bound", "roughly")
    result = run("show", str(package_copy))
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.startswith("not valid: data/statistics.csv, row 3, field value_bound:"), result.stdout
    assert "run validate" in result.stdout and "\u201c" not in result.stdout  # no quote: no table


@pytest.mark.parametrize("command", ["validate", "verify"])
def test_json_usage_error_gives_a_verdict_on_stdout(command: str, tmp_path: Path) -> None:
    result = run(command, str(tmp_path / "missing"), "--json")
    verdict = "valid" if command == "validate" else "identical"
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    report = json.loads(result.stdout)
    assert report[verdict] is False and "missing" in report["error"]


def test_json_usage_error_of_an_undecodable_path_is_valid_unicode(tmp_path: Path) -> None:
    path = str(tmp_path / "bad\udcff\udcfename")  # the bytes 0xff 0xfe of a file name, as os.fsdecode gives them
    result = run("validate", path, "--json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["error"].encode("utf-8") and "\\u{dcff}" in report["error"]


def test_the_cli_module_runs_as_the_package_does() -> None:
    module = [sys.executable, "-m", "morocco_migration_2017.cli", "--version"]
    result = subprocess.run(module, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and result.stdout == f"morocco-migration-2017 {mm.__version__}\n"


def test_show_into_a_closed_pipe_is_quiet() -> None:
    result = subprocess.run(
        f"{sys.executable} -m morocco_migration_2017 show | head -1", shell=True, cwd=ROOT, capture_output=True, text=True
    )
    assert result.stdout.strip() == pc.rows(ROOT, "statistics")[0]["statistic_id"]
    assert result.stderr == ""


def run_export(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "morocco_migration_2017", "export", *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


def test_export_to_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """--out naming a file, not a folder: one line that names it, exit 2, no traceback."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run_export("--format", "sqlite", "--out", str(blocker / "sub"))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "cannot write" in result.stderr and "a-file" in result.stderr


@pytest.mark.parametrize("fmt, name", [("sqlite", "morocco-migration-2017.db"), ("json", "morocco-migration-2017.json")])
def test_export_onto_a_folder_leaves_no_temporary_file(tmp_path: Path, fmt: str, name: str) -> None:
    """A folder where the export's file goes: exit 2 with one line, and no temporary file is left."""
    (tmp_path / name).mkdir()
    for _ in range(2):
        result = run_export("--format", fmt, "--out", str(tmp_path))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "cannot write" in result.stderr
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
