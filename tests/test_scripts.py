"""Issue: the maintenance scripts: --check on main, atomic idempotent writes, refusals that lose nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from edits import ROOT, edit_descriptor, get_cell, replace_bytes, set_cell

SCRIPTS = ("derive_metadata.py", "format_csvs.py")


def run(script: str, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), "--root", str(root), *args], capture_output=True, text=True
    )


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("script", SCRIPTS)
def test_check_passes_on_main(script: str) -> None:
    result = run(script, ROOT, "--check")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", SCRIPTS)
def test_write_mode_on_a_clean_package_changes_nothing(script: str, package_copy: Path) -> None:
    before = tree(package_copy)
    assert run(script, package_copy).returncode == 0
    assert tree(package_copy) == before


def test_stale_offsets_are_reported_then_fixed_idempotently(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 2, "quote_start", "0")
    set_cell(package_copy, "statistics", 2, "quote_end", "5")
    check = run("derive_metadata.py", package_copy, "--check")
    assert check.returncode == 1 and "stale: data/statistics.csv" in check.stdout
    assert get_cell(package_copy, "statistics", 2, "quote_start") == "0"  # --check changed nothing
    assert run("derive_metadata.py", package_copy).returncode == 0
    quote = get_cell(package_copy, "statistics", 2, "quote")
    snapshot = (ROOT / "data/sources/northafricapost-20703.txt").read_bytes().decode("utf-8")
    start = snapshot.index(quote)
    assert (
        get_cell(package_copy, "statistics", 2, "quote_start"),
        get_cell(package_copy, "statistics", 2, "quote_end"),
    ) == (str(start), str(start + len(quote)))
    after_first = tree(package_copy)
    assert run("derive_metadata.py", package_copy).returncode == 0
    assert tree(package_copy) == after_first
    assert run("derive_metadata.py", package_copy, "--check").returncode == 0


def test_fact_spans_are_derived_and_an_inferred_fact_has_none(package_copy: Path) -> None:
    snapshot = (ROOT / "data/sources/northafricapost-20703.txt").read_bytes().decode("utf-8")
    set_cell(package_copy, "statements", 2, "event_location_start", "0")
    set_cell(package_copy, "statements", 2, "inferred_fields", "claim_date claimant_role")
    check = run("derive_metadata.py", package_copy, "--check")
    assert check.returncode == 1 and "stale: data/statements.csv" in check.stdout
    assert run("derive_metadata.py", package_copy).returncode == 0
    spans = [
        get_cell(package_copy, "statements", 2, f"{fact}_{e}")
        for fact in ("event_location", "claimant_role")
        for e in ("start", "end")
    ]
    assert spans == [str(snapshot.index(" Rabat") + 1), str(snapshot.index(" Rabat") + 6), "", ""]
    set_cell(package_copy, "statements", 2, "claimant", "Zerouali")  # printed five times: not guessed
    result = run("derive_metadata.py", package_copy)
    assert result.returncode == 2 and "occurs 5 times" in result.stderr and "by hand" in result.stderr


def test_missing_hashes_are_filled_in(package_copy: Path) -> None:
    edit_descriptor(package_copy, lambda d: [d["sources"][1].pop(k) for k in ("hash", "bytes")])
    assert run("derive_metadata.py", package_copy).returncode == 0
    assert (package_copy / "datapackage.json").read_bytes() == (ROOT / "datapackage.json").read_bytes()


def test_changed_snapshot_is_refused_and_nothing_written(package_copy: Path) -> None:
    replace_bytes(package_copy / "data/sources/northafricapost-20703.txt", b"CATEGORIES", b"CATEGORIEZ")
    set_cell(package_copy, "statistics", 2, "quote_start", "0")  # something the script would otherwise fix
    before = tree(package_copy)
    result = run("derive_metadata.py", package_copy)
    assert result.returncode == 2 and "never edited" in result.stderr and "nothing was written" in result.stderr
    assert tree(package_copy) == before
    assert run("derive_metadata.py", package_copy, "--rehash").returncode == 0


def test_ambiguous_quote_is_refused_not_guessed(package_copy: Path) -> None:
    set_cell(package_copy, "statistics", 2, "quote", "Morocco")  # occurs many times
    before = tree(package_copy)
    result = run("derive_metadata.py", package_copy)
    assert result.returncode == 2 and "occurs" in result.stderr and "by hand" in result.stderr
    assert tree(package_copy) == before


def test_new_source_gets_a_mention_draft(package_copy: Path) -> None:
    with (package_copy / "data/mentions.csv").open("r", encoding="utf-8") as f:
        kept = [line for line in f if not line.startswith("northafricapost-20703,")]
    (package_copy / "data/mentions.csv").write_text("".join(kept), encoding="utf-8")
    assert run("derive_metadata.py", package_copy, "--check").returncode == 1
    assert run("derive_metadata.py", package_copy).returncode == 0
    draft = (package_copy / "drafts/mentions-northafricapost-20703.csv").read_text(encoding="utf-8")
    texts = [line.split(",")[3] for line in draft.splitlines()[1:] if '"' not in line]
    assert texts[:3] == ["50K", "80", "2017"] and "$175 million" in draft and '"50,000"' in draft


def test_formatter_normalises_layout_without_touching_values(package_copy: Path) -> None:
    path = package_copy / "data/indicators.csv"
    original = path.read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace(b"\n", b"\r\n").replace(b"persons", b'"persons"'))
    assert run("format_csvs.py", package_copy, "--check").returncode == 1
    assert run("format_csvs.py", package_copy).returncode == 0
    assert path.read_bytes() == original
    assert run("format_csvs.py", package_copy).returncode == 0 and path.read_bytes() == original


def test_formatter_refuses_a_ragged_file(package_copy: Path) -> None:
    path = package_copy / "data/indicators.csv"
    path.write_bytes(path.read_bytes().replace(b",migrants\n", b",migrants,extra\n", 1))
    before = path.read_bytes()
    result = run("format_csvs.py", package_copy)
    assert result.returncode == 2 and "row" in result.stderr and path.read_bytes() == before


def test_atomic_write_leaves_no_temporary_files(tmp_path: Path) -> None:
    from _maintenance import atomic_write

    target = tmp_path / "x.csv"
    target.write_bytes(b"old\n")
    atomic_write(target, b"new\n")
    assert target.read_bytes() == b"new\n" and [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import _maintenance as maintenance

    target = tmp_path / "x.csv"
    target.write_bytes(b"old\n")

    def broken_replace(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        maintenance.atomic_write(target, b"new\n")
    assert target.read_bytes() == b"old\n" and [p.name for p in tmp_path.iterdir()] == ["x.csv"]


def test_readme_table_is_current_and_regenerated(package_copy: Path) -> None:
    import shutil

    assert run("render_readme.py", ROOT, "--check").returncode == 0
    shutil.copy(ROOT / "README.md", package_copy / "README.md")
    set_cell(package_copy, "statistics", 7, "value", "22001")
    assert run("render_readme.py", package_copy, "--check").returncode == 1
    assert run("render_readme.py", package_copy).returncode == 0
    assert "| 22,001 persons |" in (package_copy / "README.md").read_text(encoding="utf-8")
    before = tree(package_copy)
    assert run("render_readme.py", package_copy).returncode == 0 and tree(package_copy) == before
