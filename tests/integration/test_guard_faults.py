"""Faults that must not leave a mess (issue 18, class 8), on the real CLI and a real desktop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop


def test_an_unwritable_audit_log_refuses_in_one_line_and_ends_the_run(desktop: VirtualDesktop, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    editors_before = mousepads(desktop)
    (home / "audit.jsonl").symlink_to("/dev/full")  # every write fails: the disk is full
    workflow = tmp_path / "type.md"
    workflow.write_text('---\nname: type\napps: [mousepad]\n---\n\n1. Open mousepad\n2. Type "hello"\n')
    done = subprocess.run(
        [sys.executable, "-m", "deskhand", "run", str(workflow), "--desktop", "current", "--approve", "deny"],
        env={**desktop.env, "DESKHAND_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("  hint:")]
    assert errors == [
        f"Step 1 was blocked: The audit log {home / 'audit.jsonl'} could not be written (No space left on device), "
        "so deskhand refused to open."
    ], done.stderr
    with RunStore(home / "runs.db") as store:
        run = store.list_runs(limit=1)[0]
    assert run.status == "failed"
    assert [(s.n, s.status) for s in run.steps] == [(1, "blocked")]
    assert "audit log" in (run.steps[0].reason or "")
    # Fail safe: nothing was started or typed unaudited.
    assert mousepads(desktop) == editors_before


def mousepads(desktop: VirtualDesktop) -> list[int]:
    return sorted(app[2] for app in desktop.registered_apps() if "mousepad" in app[1].casefold())
