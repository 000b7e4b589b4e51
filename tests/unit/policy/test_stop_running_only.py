"""`deskhand stop` with no run id stops the runs running at that moment, and not a run that starts after it."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.policy.test_policy_killswitch import cli_with
from typer.testing import CliRunner

from deskhand.policy.killswitch import KillSwitch
from deskhand.runs.store import RunStore
from deskhand.surfaces.cli import stop as command


def test_stop_without_a_run_id_stops_only_the_runs_running_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path))
    with RunStore() as store:
        running = store.start_run("a.md", "a", {})
        finished = store.start_run("b.md", "b", {})
        store.finish_run(finished, "succeeded")
        before = KillSwitch(tmp_path / "stop")
        before.watch_run(running)
        done = CliRunner().invoke(cli_with(command.register), ["stop"])
        assert done.exit_code == 0, done.output
        assert f"asked 1 running run(s) to stop: {running}" in done.output
        # A run that starts after the stop, in this process or another, goes on.
        later = store.start_run("c.md", "c", {})
        after = KillSwitch(tmp_path / "stop")
        after.watch_run(later)
        assert not after.requested
        assert before.requested and "deskhand stop" in before.reason
        assert sorted(p.name for p in (tmp_path / "stop").iterdir()) == [running]
