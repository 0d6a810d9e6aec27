"""Issue: `verify` says whether a copy is a release, and names every difference from the nearest one."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import record_release_hashes as record  # scripts/ is on the path (conftest)
from test_cli import run

import morocco_migration_2017 as mm
from edits import ROOT, copy_package, edit_descriptor, edit_rows, get_cell, read_table, set_cell
from morocco_migration_2017.problems import printable

verify_module = importlib.import_module("morocco_migration_2017.verify")  # the module; mm.verify is its function

VERSION = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
SNAPSHOT = "data/sources/northafricapost-20703.txt"


def changed_line(file: str, row: str, field: str, old: str, new: str) -> str:
    return f"{file}, row {row}, field {field}: changed (release {old!r}, copy {new!r})"


def test_this_package_is_the_release_its_version_claims() -> None:
    result = run("verify")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith(f"identical to release {VERSION}")
    assert mm.verify().release == VERSION


def test_a_clean_copy_is_identical_to_the_release(package_copy: Path) -> None:
    result = run("verify", str(package_copy))
    assert (result.returncode, result.stdout) == (0, f"{package_copy}: identical to release {VERSION}\n")
    assert run("verify", str(package_copy / "datapackage.json")).returncode == 0


# Well-formed edits of meaning: each passes every schema, and each is named with both values.
EDITS = [
    ("statistics", 3, "indicator_id", "migration_attempts_foiled"),
    ("statistics", 2, "country_code", "DZ"),
    ("statements", 2, "claimant", "Abdelouafi Laftit"),
    ("cross_checks", 2, "agreement", "differs"),
]


@pytest.mark.parametrize(("table", "row", "field", "new"), EDITS)
def test_a_well_formed_edit_is_named_by_file_row_and_field(
    package_copy: Path, table: str, row: int, field: str, new: str
) -> None:
    old = get_cell(package_copy, table, row, field)
    assert old != new
    rows = read_table(package_copy / "data" / f"{table}.csv")
    key = ", ".join(
        rows[row - 1][rows[0].index(part)]
        for part in record.manifest(record.tree_files(ROOT))["tables"][f"data/{table}.csv"]
    )
    set_cell(package_copy, table, row, field, new)
    result = run("verify", str(package_copy))
    assert result.returncode == 1
    assert f"matches no release; nearest {VERSION}, 1 difference(s):" in result.stdout
    assert changed_line(f"data/{table}.csv", key, field, old, new) in result.stdout.splitlines()[1]
    (difference,) = json.loads(run("verify", str(package_copy), "--json").stdout)["differences"]
    assert {k: difference[k] for k in ("file", "row", "field", "release", "copy")} == {
        "file": f"data/{table}.csv",
        "row": key,
        "field": field,
        "release": old,
        "copy": new,
    }


def forge(root: Path, old: str, new: str) -> None:
    """A consistent forgery: a figure changed in the snapshot, its quote, value and mentions, the snapshot re-pinned."""
    snapshot = root / SNAPSHOT
    snapshot.write_bytes(snapshot.read_bytes().replace(old.encode(), new.encode()))
    for table in ("statistics", "mentions", "cross_checks"):
        edit_rows(root, table, lambda rows: [[cell.replace(old, new) for cell in r] for r in rows])
    edit_rows(
        root, "statistics", lambda rows: [[c.replace(old.replace(",", ""), new.replace(",", "")) for c in r] for r in rows]
    )
    script = [sys.executable, str(ROOT / "scripts/derive_metadata.py"), "--rehash", "--root", str(root)]
    subprocess.run(script, check=True, capture_output=True)


def test_a_consistent_forgery_is_named_at_the_snapshot_and_its_first_changed_character(package_copy: Path) -> None:
    forge(package_copy, "50,000", "60,000")
    text = (ROOT / SNAPSHOT).read_text(encoding="utf-8")
    pin = json.loads((package_copy / "datapackage.json").read_text())["sources"][1]["hash"]
    assert pin != json.loads((ROOT / "datapackage.json").read_text())["sources"][1]["hash"]  # re-pinned
    result = run("verify", str(package_copy))
    assert result.returncode == 1
    first = text.index("50,000")  # the first character that differs: the 5 of 50,000
    assert f"  {SNAPSHOT}, character {first}: changed (release {text[first : first + 40]!r}," in result.stdout
    assert "datapackage.json, $.sources[1].hash: changed" in result.stdout
    assert (
        changed_line("data/statistics.csv", "migration_attempts_foiled_2017_ytd", "value", "50000", "60000") in result.stdout
    )
    report = json.loads(run("verify", str(package_copy), "--json").stdout)
    assert {"file": SNAPSHOT, "position": first} in [
        {"file": d["file"], "position": d["position"]} for d in report["differences"]
    ]


def test_files_added_removed_and_json_paths_are_named(package_copy: Path) -> None:
    (package_copy / "data/cross_checks.csv").unlink()
    schema = package_copy / "schemas/statistics.schema.json"
    schema.write_text(json.dumps({k: v for k, v in json.loads(schema.read_text()).items() if k != "primaryKey"}))
    shutil.copy(package_copy / "data/sources.csv", package_copy / "data/extra.csv")
    edit_descriptor(
        package_copy, lambda d: d["resources"].append({**d["resources"][3], "name": "extra", "path": "data/extra.csv"})
    )
    lines = run("verify", str(package_copy)).stdout.splitlines()
    assert "  data/cross_checks.csv: removed" in lines
    assert "  data/extra.csv: added" in lines
    assert "  schemas/statistics.schema.json, $.primaryKey[0]: removed (release 'statistic_id')" in lines
    assert "  datapackage.json, $.resources[name=extra].path: added (copy 'data/extra.csv')" in lines


def test_a_row_added_or_removed_is_named_by_its_key(package_copy: Path) -> None:
    edit_rows(package_copy, "indicators", lambda rows: [*rows[:-1], [*rows[-1][:0], "new_indicator", "L", "D", "persons"]])
    lines = run("verify", str(package_copy)).stdout.splitlines()
    removed = read_table(ROOT / "data/indicators.csv")[-1]
    assert f"  data/indicators.csv, row {removed[0]}, field label: removed (release {removed[1]!r})" in lines
    assert "  data/indicators.csv, row new_indicator, field unit: added (copy 'persons')" in lines


def test_line_endings_alone_are_named_by_position(package_copy: Path) -> None:
    path = package_copy / "data/indicators.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    first = (ROOT / "data/indicators.csv").read_bytes().index(b"\n")
    assert f"data/indicators.csv, character {first}: changed" in run("verify", str(package_copy)).stdout


def test_what_is_echoed_is_escaped(package_copy: Path) -> None:
    set_cell(package_copy, "statements", 2, "notes", "fine\u202egnp.exe\x1b[2J")
    out = run("verify", str(package_copy)).stdout
    assert "\u202e" not in out and "\x1b" not in out
    assert "fine\\u202egnp.exe\\x1b[2J" in out


def test_an_unreadable_copy_exits_2(package_copy: Path, tmp_path: Path) -> None:
    (package_copy / "datapackage.json").write_text("{not json")
    assert run("verify", str(package_copy)).returncode == 2
    other = copy_package(tmp_path / "other")
    (other / "data/statistics.csv").unlink()
    os.symlink("/etc/hostname", other / "data/statistics.csv")  # a link out of the package
    result = run("verify", str(other))
    assert result.returncode == 2 and "data/statistics.csv" in result.stderr
    assert run("verify", str(tmp_path / "missing")).returncode == 2


def test_a_single_csv_is_known_by_its_header_or_its_name(package_copy: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "figures.csv"
    shutil.copy(ROOT / "data/statistics.csv", renamed)
    result = run("verify", str(renamed))
    assert (result.returncode, result.stdout) == (0, f"{renamed} (as data/statistics.csv): identical to release {VERSION}\n")
    (tmp_path / "link.csv").symlink_to(renamed)  # a link within its own folder is followed; one that leaves it is not
    assert run("verify", str(tmp_path / "link.csv")).returncode == 0
    set_cell(package_copy, "statistics", 2, "value", "60000")
    result = run("verify", str(package_copy / "data/statistics.csv"))
    assert result.returncode == 1
    line = changed_line("data/statistics.csv", "migration_attempts_foiled_2017_ytd", "value", "50000", "60000")
    assert result.stdout.splitlines()[1] == f"  {line}"
    edit_rows(package_copy, "statistics", lambda rows: [["figure_id", *rows[0][1:]], *rows[1:]])  # known by its name
    lines = run("verify", str(package_copy / "data/statistics.csv")).stdout.splitlines()
    assert "(as data/statistics.csv)" in lines[0]
    assert "  data/statistics.csv, row (line 2), field figure_id: added (copy 'migration_attempts_foiled_2017_ytd')" in lines
    assert (
        "  data/statistics.csv, row migration_attempts_foiled_2017_ytd, field statistic_id: removed"
        " (release 'migration_attempts_foiled_2017_ytd')"
    ) in lines
    stranger = tmp_path / "other.csv"
    stranger.write_text("a,b\n1,2\n")
    result = run("verify", str(stranger))
    assert result.returncode == 2 and "other.csv" in result.stderr


def test_json_report_shape(package_copy: Path) -> None:
    clean = json.loads(run("verify", str(package_copy), "--json").stdout)
    assert clean == {
        "path": str(package_copy),
        "release": VERSION,
        "nearest": VERSION,
        "differences": [],
        "identical": True,
        "difference_count": 0,
        "truncated": False,
    }
    set_cell(package_copy, "statistics", 2, "area", "Sahel")
    report = json.loads(run("verify", str(package_copy), "--json").stdout)
    assert (report["identical"], report["release"], report["difference_count"]) == (False, None, 1)
    assert set(report["differences"][0]) == {"file", "what", "row", "field", "release", "copy", "position"}


def test_many_differences_are_all_counted_and_the_first_shown(package_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import morocco_migration_2017.cli as cli

    monkeypatch.setattr(cli, "SHOWN", 2)
    for row, area in ((2, "Sahel"), (3, "Rabat"), (4, "Algeria")):
        set_cell(package_copy, "statistics", row, "area", area)
    report = json.loads(run("verify", str(package_copy), "--json").stdout)
    assert (report["difference_count"], len(report["differences"]), report["truncated"]) == (3, 2, True)
    lines = mm.verify(package_copy).lines(limit=2)
    assert lines[0].endswith("3 difference(s) (first 2 shown):") and len(lines) == 3


def test_verify_holds_only_the_differences_it_shows_and_counts_the_rest(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify_module, "SHOWN", 2)
    edit_rows(package_copy, "statistics", lambda rows: [rows[0]] + [[f"{r[0]}_copy", *r[1:]] for r in rows[1:] * 50])
    verdict = mm.verify(package_copy)
    width = len(read_table(package_copy / "data/statistics.csv")[0])
    assert len(verdict.differences) == 2  # of every added cell and every removed one, each counted
    assert verdict.count == 300 * width + 6 * width


def test_reordered_resources_are_named_by_their_order_not_a_character(package_copy: Path) -> None:
    edit_descriptor(package_copy, lambda d: d["resources"].reverse())
    (difference,) = mm.verify(package_copy).differences
    names = [r["name"] for r in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    assert (difference.field, difference.release, difference.copy) == ("$.resources (order of names)", names, names[::-1])
    edit_descriptor(package_copy, lambda d: d["resources"].pop())  # a table removed is named as such, once
    assert [d.what for d in mm.verify(package_copy).differences if d.file == "datapackage.json"][:1] == ["removed"]
    assert not any("order" in str(d.field) for d in mm.verify(package_copy).differences)


def test_a_release_file_the_copy_keeps_but_no_longer_names_is_not_removed(package_copy: Path) -> None:
    shutil.copy(package_copy / "data/indicators.csv", package_copy / "data/ind2.csv")
    edit_descriptor(package_copy, lambda d: d["resources"][2].update(path="data/ind2.csv"))
    verdict = mm.verify(package_copy)
    assert [(d.file, d.what) for d in verdict.differences] == [("datapackage.json", "changed"), ("data/ind2.csv", "added")]


def test_verify_reads_a_json_file_within_the_json_limit(package_copy: Path) -> None:
    schema = package_copy / "schemas/indicators.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8")[:-2] + ', "x": "' + "y" * 5 * 2**20 + '"}\n', encoding="utf-8")
    result = run("verify", str(package_copy))
    assert result.returncode == 2 and "schemas/indicators.schema.json" in result.stderr and "limit" in result.stderr


def test_a_repeated_row_of_a_table_is_an_added_row(package_copy: Path) -> None:
    edit_rows(package_copy, "statistics", lambda rows: [*rows, rows[1]])
    verdict = mm.verify(package_copy)
    width = len(read_table(package_copy / "data/statistics.csv")[0])
    key = read_table(package_copy / "data/statistics.csv")[1][0]
    assert (verdict.count, {(d.row, d.what) for d in verdict.differences}) == (width, {(key, "added")})


def test_validate_says_whether_the_copy_is_a_release(package_copy: Path) -> None:
    assert run("validate", str(package_copy)).stdout.splitlines()[-1] == f"release: identical to {VERSION}"
    set_cell(package_copy, "statistics", 2, "notes", "Another note.")
    result = run("validate", str(package_copy))
    assert result.returncode == 0  # information only: the copy is still valid
    assert result.stdout.splitlines()[-1] == f"release: matches no release (nearest {VERSION}, 1 file differs; run verify)"
    set_cell(package_copy, "statistics", 2, "value_bound", "roughly")  # an invalid copy: its verdict stays last
    *_, release, verdict = run("validate", str(package_copy)).stdout.splitlines()
    assert release == f"release: matches no release (nearest {VERSION}, 1 file differs; run verify)"  # cells: verify
    set_cell(package_copy, "indicators", 2, "label", "Attempts foiled")
    assert (
        run("validate", str(package_copy))
        .stdout.splitlines()[-2]
        .endswith("(nearest " + VERSION + ", 2 files differ; run verify)")
    )
    assert re.fullmatch(rf"\d+ problems? found in {re.escape(str(package_copy))}", verdict), verdict


@pytest.fixture
def two_releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Shipped releases 2.0.0 (as recorded) and a later 9.1.0 whose statistics differ in one value."""
    releases = tmp_path / "releases"
    shutil.copytree(verify_module.RELEASES, releases)
    later = copy_package(tmp_path / "later")
    set_cell(later, "statistics", 3, "value", "81")
    edit_descriptor(later, lambda d: d.update(version="9.1.0"))
    files = record.tree_files(later)
    (releases / "9.1.0.zip").write_bytes(record.archive(files))
    (releases / "9.1.0.json").write_bytes(record.render(record.manifest(files)))
    monkeypatch.setattr(verify_module, "RELEASES", releases)
    return releases, later


def test_the_nearest_of_several_releases_is_named(two_releases: tuple[Path, Path], package_copy: Path) -> None:
    _, later = two_releases
    assert mm.verify(later).release == "9.1.0"
    assert mm.verify(ROOT / "data/statistics.csv").release == VERSION  # identical to several: the newest
    set_cell(later, "statistics", 2, "value", "1")
    verdict = mm.verify(later)
    assert (verdict.release, verdict.nearest) == (None, "9.1.0")
    assert [(d.row, d.field, d.release, d.copy) for d in verdict.differences] == [
        ("migration_attempts_foiled_2017_ytd", "value", "50000", "1")
    ]
    edit_descriptor(package_copy, lambda d: d.update(version="9.1.0"))  # one file away from each: the newer is named
    verdict = mm.verify(package_copy)
    assert (verdict.nearest, [(d.file, d.field) for d in verdict.differences]) == (
        "9.1.0",
        [("data/statistics.csv", "value")],
    )


def test_the_recorded_2_0_0_is_the_tagged_commit() -> None:
    if shutil.which("git") is None or subprocess.run(["git", "cat-file", "-e", "d74cc33"], cwd=ROOT).returncode:
        pytest.skip("needs the git history of this repository")
    assert record.commit_files(ROOT, "d74cc33") == verify_module.releases()["2.0.0"]["content"]
    assert record.manifest(record.commit_files(ROOT, "d74cc33")) == json.loads(
        (verify_module.RELEASES / "2.0.0.json").read_text(encoding="utf-8")
    )


def replace_in(relpath: str, old: bytes, new: bytes) -> object:
    def change(root: Path) -> None:
        path = root / relpath
        path.write_bytes(path.read_bytes().replace(old, new, 1))

    return change


def write(relpath: str, text: str) -> object:
    return lambda root: (root / relpath).write_text(text)


def swap_for(relpath: str, make: object) -> object:
    def change(root: Path) -> None:
        (root / relpath).unlink()
        make(root / relpath)  # type: ignore[operator]

    return change


# Hostile copies: each is read as validate reads it; a difference exits 1, an unreadable file 2, nothing raises.
HOSTILE = [
    ("not UTF-8", replace_in("data/statistics.csv", b"Morocco", b"Maroc\xe9"), 1, "data/statistics.csv, character"),
    ("a NUL in a cell", replace_in("data/indicators.csv", b"persons", b"per\x00sons"), 1, "'per\\x00sons'"),
    ("JSON nested too deep", write("schemas/indicators.schema.json", "[" * 99 + "]" * 99), 1, "character 0"),
    ("a duplicate JSON key", write("schemas/indicators.schema.json", '{"a":1,"a":2}'), 1, "character 1"),
    (
        "an open quote",
        replace_in("data/indicators.csv", b"persons,migrants\n", b'persons,migrants\na,"b\n'),
        1,
        "data/indicators.csv, character",
    ),
    ("a FIFO", swap_for("data/mentions.csv", os.mkfifo), 2, "data/mentions.csv"),
    ("a folder", swap_for("data/mentions.csv", os.mkdir), 2, "data/mentions.csv"),
    ("a symlink loop", swap_for("data/mentions.csv", lambda path: os.symlink(path, path)), 2, "data/mentions.csv"),
    ("no resources", write("datapackage.json", '{"resources": 5}'), 2, "datapackage.json"),
]


@pytest.mark.parametrize(("change", "code", "says"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_a_hostile_copy_is_named_or_refused_not_a_traceback(
    package_copy: Path, change: object, code: int, says: str
) -> None:
    change(package_copy)  # type: ignore[operator]
    result = run("verify", str(package_copy))
    assert result.returncode == code, result.stdout + result.stderr
    assert says in (result.stdout if code == 1 else result.stderr)


def test_a_field_inserted_in_a_schema_is_named_not_every_field_after_it(package_copy: Path) -> None:
    schema = package_copy / "schemas/statistics.schema.json"
    document = json.loads(schema.read_text())
    document["fields"].insert(1, {"name": "extra", "type": "string"})
    document["fields"][-1]["description"] = "Changed."
    schema.write_text(json.dumps(document, indent=2))
    last = document["fields"][-1]["name"]
    lines = run("verify", str(package_copy)).stdout.splitlines()[1:]
    old = json.loads((ROOT / "schemas/statistics.schema.json").read_text())["fields"][-1]["description"]
    assert lines == [
        f"  schemas/statistics.schema.json, $.fields[name={last}].description: changed (release {old!r}, copy 'Changed.')",
        "  schemas/statistics.schema.json, $.fields[name=extra].name: added (copy 'extra')",
        "  schemas/statistics.schema.json, $.fields[name=extra].type: added (copy 'string')",
    ]


@pytest.mark.parametrize("name", ["data/extra.csv", "schemas/more/x.json", "data/\x1b[31mevil.csv", "data/a\nidentical"])
def test_a_file_added_to_the_package_folders_is_named(package_copy: Path, name: str) -> None:
    (package_copy / name).parent.mkdir(parents=True, exist_ok=True)
    (package_copy / name).write_text("x\n", encoding="utf-8")
    result = run("verify", str(package_copy))
    assert result.returncode == 1
    assert f"  {printable(name)}: added" in result.stdout.splitlines()  # escaped: a name cannot forge a line
    assert "\x1b" not in result.stdout


def test_a_single_csv_that_links_outside_its_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.csv").write_bytes((ROOT / "data/statistics.csv").read_bytes().replace(b"Morocco", b"SECRET"))
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy/statistics.csv").symlink_to(tmp_path / "outside.csv")
    result = run("verify", str(tmp_path / "copy/statistics.csv"))
    assert result.returncode == 2 and "outside" in result.stderr and "SECRET" not in result.stdout + result.stderr


def test_validate_says_when_the_release_could_not_be_checked(package_copy: Path) -> None:
    (package_copy / "data/mentions.csv").unlink()
    (package_copy / "data/mentions.csv").mkdir()  # named by the descriptor, but no file to compare
    result = run("validate", str(package_copy))
    assert result.returncode == 1
    assert "release: not checked (data/mentions.csv: not a regular file" in result.stdout.splitlines()[-2]
