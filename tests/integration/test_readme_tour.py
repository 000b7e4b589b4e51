"""The README's quick tour runs exactly as written: its ```sh block is read from README.md at test time, so
the test breaks when the README drifts, and each line must succeed (bash -e)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.integration.cli_shell import REPO, SRC

pytestmark = pytest.mark.desktop


def tour_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    found = re.search(r"## A quick tour\n.*?```sh\n(.*?)```", text, re.DOTALL)
    assert found is not None, "README.md has no quick-tour ```sh block"
    return [line for line in found.group(1).splitlines() if line.strip()]


def test_the_tour_names_a_web_workflow_and_desktop_up() -> None:
    commands = tour_commands()
    assert any('eval "$(deskhand desktop up)"' in line for line in commands)
    assert any("crm-add-contact.md" in line for line in commands)


def test_readme_quick_tour_runs_as_written(tmp_path: Path) -> None:
    # A checkout as the README assumes it: .venv and examples/ in the current folder.
    (tmp_path / ".venv").symlink_to(Path(sys.executable).resolve().parent.parent)
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    drop = ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "DESKHAND_DESKTOP", "WAYLAND_DISPLAY")
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        PYTHONPATH=str(SRC),  # this checkout's deskhand, whichever venv runs it
        XDG_RUNTIME_DIR=str(runtime),
        DESKHAND_HOME=str(tmp_path / "home"),
    )
    script = "\n".join(["set -e", *tour_commands()])
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        input="y\ny\n",  # the approval `--approve terminal` asks for before saving the contact
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = f"exit {done.returncode}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    assert done.returncode == 0, report
    assert (tmp_path / "shot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "started Chromium on its own desktop" in done.stderr, report
    assert done.stdout.count("succeeded") >= 2, report  # the calculator and the CRM runs
