"""Issue: a copy is judged by the release's rules, not its own; every OS error is a problem naming the file; usage
and output errors exit 2; and a property test of weakened rules: validate refuses them, load agrees, no traceback."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from test_hostile import schema_edit

import morocco_migration_2017 as mm
from edits import ROOT, copy_package, edit_descriptor, edit_rows, resource
from morocco_migration_2017.cli import main
from morocco_migration_2017.rules import CONSTRAINTS
from morocco_migration_2017.validation import validate_package

SNAP = "data/sources/northafricapost-20703.txt"


def report_of(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["validate", str(root), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("name", "break_it", "words"),
    [
        (
            "csv-link-loop",
            lambda r: ((r / "data/mentions.csv").unlink(), (r / "data/mentions.csv").symlink_to("mentions.csv")),
            "cannot be read",
        ),
        ("snapshot-link-loop", lambda r: ((r / SNAP).unlink(), (r / SNAP).symlink_to(Path(SNAP).name)), "cannot be read"),
        (
            "nul-in-a-path",
            lambda r: edit_descriptor(r, lambda d: d["sources"][1].update(path="data/x\x00.txt")),
            "cannot be read",
        ),
        ("name-too-long", lambda r: edit_descriptor(r, lambda d: d["sources"][1].update(path="a" * 5000)), "cannot be read"),
        ("folder-as-snapshot", lambda r: ((r / SNAP).unlink(), (r / SNAP).mkdir()), "not a regular file"),
    ],
)
def test_an_os_error_is_a_problem_naming_the_file(
    name: str, break_it: Callable[[Path], Any], words: str, package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_it(package_copy)
    code, report = report_of(package_copy, capsys)
    assert code == 1 and report["problems"] and all(p["check"] == "files" for p in report["problems"])
    assert any(words in p["message"] for p in report["problems"]), report["problems"]
    with pytest.raises(mm.PackageError, match=words):
        mm.load_all(package_copy)


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "-inf", "soon"])
def test_a_timeout_that_is_not_a_positive_finite_number_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["validate", "--timeout", value])
    assert exit.value.code == 2 and "--timeout" in capsys.readouterr().err


def test_max_problems_caps_the_list_and_counts_them_all(package_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_rows(package_copy, "statistics", lambda t: [t[0], *[[*row[:-1], "x\x01"] for row in t[1:]]])  # six bad notes
    code, report = report_of(package_copy, capsys, "--max-problems", "2")
    assert code == 1 and len(report["problems"]) == 2 and report["problem_count"] >= 6 and report["truncated"] is True
    main(["validate", str(package_copy), "--max-problems", "2"])
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"{report['problem_count']:,} problems found in {package_copy} (first 2 shown)"


def test_a_fork_may_weaken_its_schema_but_provenance_then_stands_aside(
    package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = package_copy / "schemas/statistics.schema.json"
    data = json.loads(schema.read_text())
    data.pop("primaryKey")
    next(f for f in data["fields"] if f["name"] == "statistic_id")["constraints"].pop("unique")
    schema.write_text(json.dumps(data))
    edit_rows(package_copy, "statistics", lambda t: [*t, t[1]])  # a duplicated id
    code, report = report_of(package_copy, capsys)
    assert code == 1 and {p["file"] for p in report["problems"]} == {"schemas/statistics.schema.json"}
    code, report = report_of(package_copy, capsys, "--rules", "copy")
    assert (
        report["skipped"][0].startswith("provenance: checks the release's data model")
        and "unique removed" in report["skipped"][0]
    )
    assert mm.open_package(package_copy, rules="copy").tables["statistics"]["statistic_id"].duplicated().any()


# Weakened rules, generated: each is a difference from the release, so validate refuses it in the files stage and
# load refuses it too; under --rules copy the fork's screening and load agree.
JSON = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=4), st.lists(st.integers(0, 3), max_size=2))
TABLE = st.sampled_from(["statistics", "statements", "indicators", "sources", "mentions", "cross_checks"])
DIALECT = st.sampled_from(
    [
        ("delimiter", "\t"),
        ("delimiter", ";"),
        ("header", False),
        ("commentChar", "#"),
        ("quoteChar", "'"),
        ("doubleQuote", False),
        ("skipInitialSpace", True),
        ("lineTerminator", "\r\n"),
        ("headerRows", [2]),
    ]
)
RESOURCE = st.sampled_from(
    [
        ("compression", "gz"),
        ("compression", "zip"),
        ("scheme", "https"),
        ("encoding", "latin-1"),
        ("format", "tsv"),
        ("mediatype", "text/plain"),
        ("bytes", 1),
        ("hash", "md5:0"),
    ]
)
WEAKENED = st.one_of(
    st.tuples(TABLE, DIALECT).map(
        lambda t: lambda r: edit_descriptor(r, lambda d: resource(d, t[0]).setdefault("dialect", {}).update([t[1]]))
    ),
    st.tuples(TABLE, RESOURCE).map(lambda t: lambda r: edit_descriptor(r, lambda d: resource(d, t[0]).update([t[1]]))),
    st.tuples(
        TABLE, st.lists(st.sampled_from(["", "NA", "-", "null", "0"]), min_size=1, max_size=3).filter(lambda v: v != [""])
    ).map(lambda t: schema_edit(t[0], lambda s: s.update(missingValues=t[1]))),
    st.tuples(TABLE, st.sampled_from(["primaryKey", "foreignKeys", "uniqueKeys"])).map(
        lambda t: schema_edit(t[0], lambda s: s.pop(t[1], None) or s.update(primaryKey=[]))
    ),
    st.tuples(TABLE, st.integers(0, 20), st.sampled_from(["required", "unique", "pattern", "enum", "minimum"])).map(
        lambda t: schema_edit(
            t[0],
            lambda s: [
                f.setdefault("constraints", {}).pop(t[2], None) or f["constraints"].update(maxLength=10**6)
                for f in s["fields"][t[1] % len(s["fields"]) :][:1]
            ],
        )
    ),
    st.tuples(TABLE, st.integers(0, 20), st.sampled_from(["integer", "number", "date", "boolean", "any"])).map(
        lambda t: schema_edit(
            t[0],
            lambda s: s["fields"][t[1] % len(s["fields"])].update(
                type=t[2] if s["fields"][t[1] % len(s["fields"])].get("type") != t[2] else "year"
            ),
        )
    ),
    st.tuples(TABLE, st.integers(0, 20), st.sampled_from(CONSTRAINTS), JSON).map(
        lambda t: schema_edit(
            t[0], lambda s: s["fields"][t[1] % len(s["fields"])].setdefault("constraints", {}).update({t[2]: t[3]})
        )
    ),
    st.tuples(TABLE, JSON).map(lambda t: schema_edit(t[0], lambda s: s.update(primaryKey=t[1]))),
    st.tuples(
        TABLE, st.sampled_from([{"$schema": "https://example.test/s.json"}, {"fields": []}, {"fieldsMatch": "subset"}])
    ).map(lambda t: schema_edit(t[0], lambda s: s.update(t[1]))),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rules")


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@given(weaken=WEAKENED)
def test_weakened_rules_are_refused_by_validate_and_load_alike(scratch: Path, weaken: Callable[[Path], None]) -> None:
    root = copy_package(Path(tempfile.mkdtemp(dir=scratch)) / "copy")
    weaken(root)
    report = validate_package(root, timeout=30)
    assert not report.valid and {p.check for p in report.problems} == {"files"}, [p.line() for p in report.problems]
    with pytest.raises(mm.DataPackageError) as caught:
        mm.load_all(root)
    assert caught.value.problem == report.problems[0]
    fork = validate_package(root, timeout=30, rules="copy")
    files = [p for p in fork.problems if p.check == "files"]
    try:
        mm.open_package(root, rules="copy")
        assert not files, [p.line() for p in files]
    except mm.DataPackageError as err:
        assert err.problem.check != "files" or err.problem == files[0]


def test_the_real_package_has_no_difference_from_itself() -> None:
    assert validate_package(ROOT).valid and not mm.open_package(ROOT, rules="copy").differences
    assert os.path.samefile(mm.default_root(), ROOT)


@pytest.mark.parametrize("command", [["validate"], ["show"], ["validate", "COPY"]])
def test_every_file_is_read_once(command: list[str], package_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from morocco_migration_2017 import package

    reads: list[tuple[Path, str]] = []
    real = package.read_file
    monkeypatch.setattr(package, "read_file", lambda root, path, *a: reads.append((root, path)) or real(root, path, *a))
    main([str(package_copy) if word == "COPY" else word for word in command])
    assert reads and len(reads) == len(set(reads)), sorted(reads)


def test_frictionless_stopping_at_its_limit_marks_the_report_truncated(
    package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_rows(package_copy, "mentions", lambda t: t + t[1:] * 3)  # 45 duplicated keys
    code, report = report_of(package_copy, capsys, "--max-problems", "10")
    assert code == 1 and len(report["problems"]) == 10 and report["truncated"] and not report["counted_all"]
    assert {p["check"] for p in report["problems"]} == {"frictionless:primary-key"}
    main(["validate", str(package_copy), "--max-problems", "10"])
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"at least {report['problem_count']} problems found")


def test_frictionless_reads_no_further_table_once_the_list_is_full(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from frictionless import Resource

    validated, real = [], Resource.validate
    monkeypatch.setattr(Resource, "validate", lambda self, *a, **k: validated.append(self.name) or real(self, *a, **k))
    edit_rows(package_copy, "statistics", lambda t: t + t[1:] * 3)  # 18 duplicated keys: more than the list holds
    report = validate_package(package_copy, max_problems=10)
    assert (validated, report.truncated, report.counted_all, len(report.problems)) == (["statistics"], True, False, 10)
    assert report.problem_count == 11 and all(p.row and p.row > 2 for p in report.problems)  # its limit: one past the list
    validated.clear()
    report = validate_package(package_copy, max_problems=1000)  # room left: every table is read
    assert (len(validated), report.counted_all, report.problem_count) == (6, True, len(report.problems))


def test_frictionless_stopping_on_the_last_table_leaves_the_total_a_floor(package_copy: Path) -> None:
    edit_rows(package_copy, "cross_checks", lambda t: t + t[1:] * 3)
    report = validate_package(package_copy, max_problems=10)
    assert (report.truncated, report.counted_all, report.problem_count, report.summary()[:23]) == (
        True,
        False,
        11,
        "at least 11 problems fo",
    )


def test_a_descriptor_frictionless_refuses_is_its_problem(package_copy: Path) -> None:
    edit_descriptor(package_copy, lambda d: d.update(keywords="migration"))  # not a list: no rule of ours reads it
    (problem,) = validate_package(package_copy).problems
    assert (problem.check, problem.file) == ("frictionless", "datapackage.json") and "keywords" in problem.message


@pytest.mark.parametrize(
    ("table", "row", "field", "value"),
    [
        ("statistics", 2, "quote", "foiling 50,000 illegal immigration attempts so far in 2018"),  # provenance
        ("statements", 2, "notes", "A note with a NUL \x00 inside."),  # text hygiene (provenance)
        ("statistics", 3, "value", "81"),  # the mention no longer reads as the value (provenance)
    ],
)
def test_load_with_validate_refuses_what_validate_refuses(
    package_copy: Path, table: str, row: int, field: str, value: str
) -> None:
    from edits import set_cell

    set_cell(package_copy, table, row, field, value)
    report = validate_package(package_copy)
    assert not report.valid
    assert mm.load_all(package_copy)[table] is not None  # read without validate: the tables, as typed
    with pytest.raises(mm.DataPackageError) as refused:
        mm.load_all(package_copy, validate=True)
    assert refused.value.problem == report.problems[0]
