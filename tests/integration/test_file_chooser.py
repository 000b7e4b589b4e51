"""Choosing a file in a toolkit's own file chooser (`Choose the file "<path>"`), judged by the app's answer: the
path zenity (GTK3) and a GTK4 window print for the file their chooser returned."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from tests.integration.steps_helper import runner_on_desktop

from deskhand.runner.outcomes import RunOutcome
from deskhand.runner.run import Runner
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

GTK4_OPEN = Path(__file__).resolve().parents[1] / "apps" / "gtk4_open.py"


@pytest.fixture
def desk() -> Iterator[tuple[VirtualDesktop, Runner]]:
    with runner_on_desktop(timeout=10.0, capture=False) as (virtual, runner, _):
        yield virtual, runner


def run(runner: Runner, folder: Path, steps: str) -> RunOutcome:
    path = folder / "wf.md"
    path.write_text(f"---\nname: choose-a-file\n---\n{steps}", encoding="utf-8")
    return runner.run(load_workflow(path), {}, use_lock=False)


def printed(app: LaunchedApp) -> str:
    psutil.Process(app.pid).wait(15)
    return app.log_path.read_text(encoding="utf-8").strip().splitlines()[-1]


def a_report(folder: Path) -> Path:
    # Letters after each '/', where the chooser's inline completion raced typed keys.
    file = folder / "quarterly" / "report-2025.txt"
    file.parent.mkdir()
    file.write_text("figures\n", encoding="utf-8")
    return file


def test_gtk3_open_chooser_takes_the_path(desk: tuple[VirtualDesktop, Runner], tmp_path: Path) -> None:
    virtual, runner = desk
    file = a_report(tmp_path)
    zenity = virtual.launch(["zenity", "--file-selection", "--title=Pick a report"])
    outcome = run(runner, tmp_path, f'1. Switch to "Pick a report"\n2. Choose the file "{file}"\n')
    assert outcome.status == "succeeded", str(outcome.error)[:1500]
    assert printed(zenity) == str(file)


def test_gtk3_save_chooser_takes_a_new_name(desk: tuple[VirtualDesktop, Runner], tmp_path: Path) -> None:
    virtual, runner = desk
    target = tmp_path / "new-folder-name.txt"
    zenity = virtual.launch(["zenity", "--file-selection", "--save", "--title=Save a report"])
    outcome = run(runner, tmp_path, f'1. Switch to "Save a report"\n2. Choose the file "{target}"\n')
    assert outcome.status == "succeeded", str(outcome.error)[:1500]
    assert printed(zenity) == str(target)


def test_a_missing_file_fails_naming_the_chooser(desk: tuple[VirtualDesktop, Runner], tmp_path: Path) -> None:
    virtual, runner = desk
    missing = tmp_path / "no-such-file.txt"
    zenity = virtual.launch(["zenity", "--file-selection", "--title=Pick a report"])
    outcome = run(runner, tmp_path, f'1. Switch to "Pick a report"\n2. Choose the file "{missing}"\n')
    assert outcome.status == "failed"
    message = str((outcome.error or {}).get("message", ""))
    assert "Pick a report" in message and str(missing) in message, message
    assert psutil.Process(zenity.pid).is_running()  # the chooser is still there for a person to see


def test_gtk4_chooser_takes_the_path(desk: tuple[VirtualDesktop, Runner], tmp_path: Path) -> None:
    virtual, runner = desk
    file = a_report(tmp_path)
    window = virtual.launch(["env", "GSK_RENDERER=cairo", "/usr/bin/python3", str(GTK4_OPEN)], timeout=30)
    steps = f'1. Switch to "deskhand GTK4 open"\n2. Click "Open…"\n3. Choose the file "{file}"\n'
    outcome = run(runner, tmp_path, steps)
    assert outcome.status == "succeeded", str(outcome.error)[:1500]
    assert printed_line(window) == str(file)


def printed_line(app: LaunchedApp) -> str:
    """The answer the GTK4 window printed (it keeps running; GTK's warnings share its log)."""
    end = time.monotonic() + 15.0
    while time.monotonic() < end:
        lines = app.log_path.read_text(encoding="utf-8").splitlines()
        answers = [line for line in lines if line.startswith("/") or line == "cancelled"]
        if answers:
            return answers[-1]
        time.sleep(0.1)
    return ""
