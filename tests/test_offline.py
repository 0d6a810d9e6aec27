"""Issue: nothing reaches out. With every network socket refused, load(), validate and the docs build still work."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from edits import ROOT

BLOCKER = """
import socket

class NetworkBlocked(OSError):
    pass

def _refuse(*args, **kwargs):
    raise NetworkBlocked("network access attempted: " + repr(args[:2]))

_original_socket = socket.socket

class _GuardedSocket(_original_socket):
    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse(address)
        return super().connect(address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _refuse(address)
        return super().connect_ex(address)

socket.socket = _GuardedSocket
socket.create_connection = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("offline")
    (folder / "sitecustomize.py").write_text(BLOCKER)
    return {**os.environ, "PYTHONPATH": str(folder), "NO_MKDOCS_2_WARNING": "1"}


def run(env: dict[str, str], *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), env=env, cwd=cwd, capture_output=True, text=True)


def test_the_blocker_blocks(offline_env: dict[str, str]) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        code = f"import socket; socket.socket().connect(('127.0.0.1', {port}))"
        result = run(offline_env, sys.executable, "-c", code)
    assert result.returncode != 0 and "network access attempted" in result.stderr


def test_load_works_offline(offline_env: dict[str, str], tmp_path: Path) -> None:
    result = run(
        offline_env, sys.executable, "-c", "import morocco_migration_2017 as mm; print(len(mm.load_all()))", cwd=tmp_path
    )
    assert result.returncode == 0 and result.stdout.strip() == "6", result.stderr


def test_validate_works_offline(offline_env: dict[str, str]) -> None:
    result = run(offline_env, sys.executable, "-m", "morocco_migration_2017", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "network access attempted" not in result.stdout + result.stderr


@pytest.mark.slow
def test_docs_build_works_offline(offline_env: dict[str, str], tmp_path: Path) -> None:
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    result = run(offline_env, mkdocs, "build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "network access attempted" not in result.stderr
