"""Issue: the README's two commands are what CI and the workflow run; the workflow pins its actions."""

from __future__ import annotations

import re

import yaml

from edits import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.DOTALL)]


def test_readme_has_exactly_two_commands() -> None:
    install, tests = readme_commands()
    assert "python3 -m venv .venv" in install and "pip install" in install
    assert install.endswith("morocco-migration-2017 validate")
    assert tests == "python -m pytest"


def test_ci_script_runs_the_readme_commands() -> None:
    script = (ROOT / ".ci/run").read_text(encoding="utf-8")
    for command in readme_commands():
        assert f"\n{command}\n" in script, command
    assert script.startswith("#!/usr/bin/env bash\n") and "set -euo pipefail" in script


def test_workflow_runs_the_ci_script_and_repeats_none_of_its_steps() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert {"push", "pull_request"} <= set(triggers)
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert [run for run in runs if run] == ["bash .ci/run"]
    steps = workflow["jobs"]["check"]["steps"]
    assert all(
        step.get("with", {}).get("persist-credentials") is False for step in steps if "checkout" in step.get("uses", "")
    )
    assert any("upload-pages-artifact" in step.get("uses", "") for step in steps)
    assert "zizmor --offline .github/workflows/" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_every_action_is_pinned_to_a_commit() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text(encoding="utf-8"))
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses


def test_gitattributes_keeps_git_off_the_data() -> None:
    import subprocess

    for path in (
        "data/statistics.csv",
        "data/sources/northafricapost-20703.txt",
        "schemas/statistics.schema.json",
        "datapackage.json",
    ):
        out = subprocess.run(["git", "check-attr", "text", "--", path], cwd=ROOT, capture_output=True, text=True)
        assert out.stdout.strip().endswith("text: unset"), out.stdout
