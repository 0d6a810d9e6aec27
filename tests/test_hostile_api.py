"""Issue: output that cannot be forged, exit codes that hold whatever stdout is, and a loader that fails loudly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import morocco_migration_2017 as mm
from edits import ROOT, edit_descriptor, edit_rows, resource, set_cell
from morocco_migration_2017.cli import main

EXE = [sys.executable, "-m", "morocco_migration_2017"]
FORGED = "Sahel\nvalid: 6 statistics\x1b[2J\x1b]0;owned\x07"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*EXE, *args], capture_output=True, env={**os.environ, **env}, timeout=120)


def test_a_cell_cannot_forge_a_line_or_repaint_the_terminal(package_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(package_copy, "statistics", 5, "area", FORGED)
    assert main(["validate", str(package_copy)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert not any(line.startswith("valid:") for line in out.splitlines())
    problem_lines = [line for line in out.splitlines() if line.startswith("data/")]
    assert problem_lines and all("field area" in line for line in problem_lines)
    assert "\\u{1b}" in out or "\\x1b" in out


def test_a_long_value_is_cut_to_80_characters_with_an_ellipsis() -> None:
    from morocco_migration_2017.problems import Problem

    line = Problem("files", "data/x.csv", "too long", row=2, field="notes", value="a" * 100).line()
    assert line == f"data/x.csv, row 2, field notes: too long (value: '{'a' * 80}…') [files]"
    short = Problem("files", "data/x.csv", "bad", value="abc").line()
    assert short == "data/x.csv: bad (value: 'abc') [files]"


def test_the_json_report_keeps_the_raw_value(package_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(package_copy, "statistics", 5, "area", FORGED)
    assert main(["validate", str(package_copy), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert FORGED in [p["value"] for p in report["problems"]]


def test_a_report_that_cannot_be_written_exits_2(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 2, "value", "fifty")
    result = subprocess.run(
        [*EXE, "validate", str(package_copy)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120
    )
    assert result.returncode == 1
    closed = subprocess.run(
        f"{sys.executable} -m morocco_migration_2017 validate {package_copy} >&-",
        shell=True,
        capture_output=True,
        timeout=120,
    )
    assert closed.returncode == 2 and b"could not be written" in closed.stderr, closed.stderr
    with open("/dev/full", "wb") as disk_full:
        full = subprocess.run([*EXE, "validate", str(package_copy)], stdout=disk_full, stderr=subprocess.PIPE, timeout=120)
    assert full.returncode == 2 and b"could not be written" in full.stderr and b"Traceback" not in full.stderr
    piped = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {sys.executable} -m morocco_migration_2017 validate {package_copy} | head -c 1"],
        capture_output=True,
        timeout=120,
    )
    # Written before head left (exit 1), or not (exit 2, said on stderr); never a traceback.
    assert (piped.returncode, b"could not be written" in piped.stderr) in ((1, False), (2, True))
    assert b"Traceback" not in piped.stderr


def test_a_reader_that_leaves_before_a_long_report_ends_gets_exit_2(package_copy: Path) -> None:
    # The buffered stream takes part of a long write and drops the rest silently when the reader has gone.
    edit_rows(package_copy, "mentions", lambda rows: rows + [[f"x{i}", *rows[1][1:]] for i in range(3000)])
    for command in (["validate"], ["validate", "--json"], ["verify"]):
        process = subprocess.Popen([*EXE, *command, str(package_copy)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert len(process.stdout.read(100)) == 100  # type: ignore[union-attr]
        process.stdout.close()  # type: ignore[union-attr]
        stderr = process.stderr.read()  # type: ignore[union-attr]
        assert (process.wait(timeout=120), stderr.count(b"could not be written")) == (2, 1), (command, stderr)


def test_a_huge_cell_is_echoed_bounded(package_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_cell(package_copy, "indicators", 2, "label", "Attempts " * 1_000_000)  # 9 MB, over maxLength
    assert main(["validate", str(package_copy)]) == 1
    assert max(map(len, capsys.readouterr().out.splitlines())) < 3_000
    assert main(["validate", str(package_copy), "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert max(len(str(p[key])) for p in problems for key in ("message", "field", "value")) == 1_000
    edit_descriptor(package_copy, lambda d: d["resources"][0].update(path="data/" + "x" * 100_000 + ".csv"))
    assert main(["validate", str(package_copy)]) == 1
    assert max(map(len, capsys.readouterr().out.splitlines())) < 3_000
    (package_copy / "datapackage.json").write_text('{"resources": [], "x": "' + "y" * 100_000 + "}")
    assert main(["validate", str(package_copy)]) == 2 and 0 < len(capsys.readouterr().err) < 3_000


def test_an_ascii_stdout_gets_escapes_and_the_same_exit_status(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 2, "value_bound", "“☃”")
    result = run("validate", str(package_copy), PYTHONIOENCODING="ascii", LC_ALL="C")
    assert result.returncode == 1 and b"Traceback" not in result.stderr
    result.stdout.decode("ascii")  # nothing but ASCII was written


def test_a_clean_package_is_still_0_with_ascii_stdout() -> None:
    result = run("validate", PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr


def test_a_pattern_that_hangs_is_stopped_by_the_time_budget(package_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema_path = package_copy / "schemas/indicators.schema.json"
    schema = json.loads(schema_path.read_text())
    next(f for f in schema["fields"] if f["name"] == "label")["constraints"]["pattern"] = (
        "[a-z]{0,1000}[a-z]{0,1000}[a-z]{0,1000}!"
    )
    schema_path.write_text(json.dumps(schema))
    set_cell(package_copy, "indicators", 2, "label", "a" * 2500)
    assert main(["validate", str(package_copy), "--json", "--timeout", "2", "--rules", "copy"]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert "did not finish within 2 s" in problem["message"] and problem["check"] == "frictionless"


def test_no_socket_and_no_name_lookup_in_a_fresh_process(package_copy: Path, tmp_path: Path) -> None:
    """With URLs everywhere a tool might follow them, a process whose sockets all fail still reports exit 1."""
    edit_descriptor(
        package_copy,
        lambda d: (
            d.update(profile="https://example.test/p.json"),
            resource(d, "statistics").update(dialect="https://example.test/d.json"),
        ),
    )
    blocker = tmp_path / "block" / "sitecustomize.py"
    blocker.parent.mkdir()
    blocker.write_text(
        "import socket, sys\n"
        "def refuse(*a, **k):\n    sys.stderr.write('NETWORK ATTEMPT\\n'); raise OSError('blocked')\n"
        "socket.getaddrinfo = socket.create_connection = refuse\nsocket.socket.connect = refuse\n"
    )
    result = run("validate", str(package_copy), PYTHONPATH=str(blocker.parent))
    assert result.returncode == 1 and b"NETWORK ATTEMPT" not in result.stderr
    assert b"profile" in result.stdout and b"dialect" in result.stdout


# The loader on another root: the same safe reading, one clear exception naming file, row, field and value.


def test_load_refuses_an_unknown_enum_value(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 3, "value_bound", "roughly")
    with pytest.raises(mm.DataPackageError) as caught:
        mm.load("statistics", package_copy)
    problem = caught.value.problem
    assert (problem.check, problem.file, problem.row, problem.field, problem.value) == (
        "load",
        "data/statistics.csv",
        3,
        "value_bound",
        "roughly",
    )


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("value", "\uff15\uff10", "ASCII"),
        ("value", "fifty", "whole number"),
        ("period_end", "14/11/2017", "YYYY-MM-DD"),
        ("period_end", "2017-02-30", "exists"),
    ],
)
def test_load_names_the_cell_that_does_not_fit(package_copy: Path, field: str, value: str, words: str) -> None:
    set_cell(package_copy, "statistics", 4, field, value)
    with pytest.raises(mm.DataPackageError, match=words) as caught:
        mm.load_all(package_copy)
    assert caught.value.problem.row == 4 and caught.value.problem.field == field and caught.value.problem.value == value


def test_load_refuses_a_path_out_of_the_package(package_copy: Path) -> None:
    edit_descriptor(package_copy, lambda d: resource(d, "indicators").update(path="../../etc/passwd"))
    with pytest.raises(mm.DataPackageError, match=r"resources\[indicators\]\.path changed"):
        mm.load("indicators", package_copy)
    restore = {"path": "data/indicators.csv"}
    edit_descriptor(package_copy, lambda d: (resource(d, "indicators").update(restore), d["sources"][1].update(path="../x")))
    with pytest.raises(mm.DataPackageError, match="leave the package"):
        mm.open_package(package_copy, rules="copy")


def test_load_refuses_a_symlink_out_of_the_package(package_copy: Path) -> None:
    (package_copy / "data/indicators.csv").unlink()
    (package_copy / "data/indicators.csv").symlink_to("/etc/passwd")
    with pytest.raises(mm.PackageError, match="outside") as caught:
        mm.load("indicators", package_copy)
    assert "root:" not in str(caught.value)


def test_load_refuses_a_fifo_without_hanging(package_copy: Path) -> None:
    (package_copy / "data/indicators.csv").unlink()
    os.mkfifo(package_copy / "data/indicators.csv")
    with pytest.raises(mm.PackageError, match="not a regular file"):
        mm.load("indicators", package_copy)


def test_load_refuses_deep_json_and_bad_bytes(package_copy: Path) -> None:
    (package_copy / "schemas/indicators.schema.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(mm.DataPackageError, match="nested"):
        mm.load("statistics", package_copy)
    (package_copy / "datapackage.json").write_bytes(b"\xff\xfe{}")
    with pytest.raises(mm.PackageError, match="UTF-8"):
        mm.load("statistics", package_copy)


def test_load_names_a_file_that_is_not_csv(package_copy: Path) -> None:
    (package_copy / "data/indicators.csv").write_bytes(b'indicator_id,label\n"never closed\n')
    with pytest.raises(mm.DataPackageError, match=r"cannot be read as CSV: .*EOF inside string") as caught:
        mm.load("indicators", package_copy)
    assert (caught.value.problem.check, caught.value.problem.file) == ("load", "data/indicators.csv")


@pytest.mark.parametrize("change", [lambda row: [*row, "extra"], lambda row: row[:-1]])
def test_load_refuses_a_row_wider_or_narrower_than_the_header(package_copy: Path, change: Any) -> None:
    # pandas's C reader had taken a row with one cell too many as an index and shifted its cells silently
    edit_rows(package_copy, "indicators", lambda rows: [*rows[:2], change(rows[2]), *rows[3:]])
    with pytest.raises(mm.DataPackageError, match=r"cannot be read as CSV: .*Expected \d+ (fields|columns)") as caught:
        mm.load("indicators", package_copy)
    assert (caught.value.problem.check, caught.value.problem.file) == ("load", "data/indicators.csv")


def test_load_reads_a_cell_longer_than_a_megabyte_whole(package_copy: Path) -> None:
    note = "A note, with a line\nbreak. " * 100_000  # 2.7 MB: more than one block of the CSV reader
    set_cell(package_copy, "statements", 2, "notes", note)
    assert mm.load("statements", package_copy)["notes"][0] == note


def test_an_unreadable_descriptor_says_why(package_copy: Path) -> None:
    (package_copy / "datapackage.json").write_text('{"name": "x",', encoding="utf-8")
    with pytest.raises(mm.PackageError, match=r"not valid UTF-8 JSON \(Expecting"):
        mm.load("statistics", package_copy)


def test_load_refuses_a_wrong_header(package_copy: Path) -> None:
    path = package_copy / "data/indicators.csv"
    path.write_bytes(path.read_bytes().replace(b"indicator_id,label", b"label,indicator_id", 1))
    with pytest.raises(mm.DataPackageError, match="header") as caught:
        mm.load("indicators", package_copy)
    assert (caught.value.problem.row, caught.value.problem.value) == (1, "label,indicator_id,definition,unit,unit_words")


def test_validate_option_runs_the_pandera_schemas(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 2, "country_code", "ma")
    assert mm.load("statistics", package_copy)["country_code"][0] == "ma"  # off by default: types only
    with pytest.raises(mm.DataPackageError, match="pattern") as caught:
        mm.load("statistics", package_copy, validate=True)
    assert (caught.value.problem.row, caught.value.problem.field) == (2, "country_code")


def test_load_all_and_load_flat_read_the_copy_they_are_given(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 7, "value", "22001")
    flat = mm.load_flat(package_copy)
    assert flat["value"].iloc[5] == 22001
    assert {"notes", "statement_notes", "inferred_fields", "statement_inferred_fields", "unit", "claim_date"} <= set(flat)
    set_cell(package_copy, "statistics", 2, "country_code", "ma")
    with pytest.raises(mm.DataPackageError, match="pattern"):
        mm.load_all(package_copy, validate=True)
    with pytest.raises(mm.DataPackageError, match="pattern"):
        mm.load_flat(package_copy, validate=True)


def test_validate_option_passes_the_real_package() -> None:
    tables = mm.load_all(validate=True)
    assert all(isinstance(frame, pd.DataFrame) and len(frame) for frame in tables.values())


def test_load_of_an_unknown_table_names_the_tables() -> None:
    with pytest.raises(KeyError, match="statistics"):
        mm.load("nope")


def test_a_usage_error_never_shows_a_traceback(tmp_path: Path) -> None:
    for args in (("validate", str(tmp_path / "missing")), ("validate", str(ROOT / "README.md")), ("show", str(tmp_path))):
        result = run(*args)
        assert result.returncode == 2 and b"Traceback" not in result.stderr and result.stderr.strip(), args


def test_a_number_field_loads_as_floats() -> None:
    from morocco_migration_2017.package import typed_column
    from morocco_migration_2017.rules import Resource

    field = {"name": "share", "type": "number"}
    typed = typed_column(Resource("t", "t.csv", {"fields": [field]}), pd.Series(["0.5", "12", None], name="share"), field)
    assert str(typed.dtype) == "float64" and typed.iloc[0] == 0.5 and pd.isna(typed.iloc[2])


def test_export_without_its_extra_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import builtins

    real_import = builtins.__import__

    def no_openpyxl(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("openpyxl"):
            raise ImportError("No module named 'openpyxl'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    assert main(["export", "--format", "xlsx", "--out", str(tmp_path)]) == 2
    assert "[export] extra" in capsys.readouterr().err


def test_export_without_its_extra_writes_nothing_and_says_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "yaml", None)  # as if the [export] extra were not installed
    out = tmp_path / "out"
    assert main(["export", "--format", "parquet", "--format", "zip", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert not out.exists()  # parquet needs no extra, but nothing is written before the check
    assert err.count("\n") == 1 and "[export] extra" in err and "'yaml'" in err


def test_the_flat_view_names_a_missing_table(package_copy: Path) -> None:
    edit_descriptor(package_copy, lambda d: d["resources"].pop(1))
    with pytest.raises(mm.PackageError, match="statements"):
        mm.load_flat(package_copy)
