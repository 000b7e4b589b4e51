"""The kill switch (Ctrl-C, stop files) and budgets."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from deskhand.errors import BudgetExceeded, RunStopped
from deskhand.policy.killswitch import Budget, KillSwitch, request_stop
from deskhand.surfaces.cli import stop as command


def test_ctrl_c_asks_for_a_stop_and_a_second_one_interrupts() -> None:
    # What the process had before is given back (a shell's background job starts with SIGINT ignored).
    before = signal.getsignal(signal.SIGINT)
    kill = KillSwitch()
    with kill.catch_sigint():
        os.kill(os.getpid(), signal.SIGINT)
        assert kill.requested
        with pytest.raises(RunStopped, match="Ctrl-C"):
            kill.check()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) is before


def test_a_stop_file_for_the_run(tmp_path: Path) -> None:
    kill = KillSwitch(tmp_path)
    kill.watch_run("r-1")
    request_stop(tmp_path, "r-2")
    assert not kill.requested
    request_stop(tmp_path, "r-1")
    assert kill.requested and "deskhand stop" in kill.reason


def test_an_old_stop_file_is_ignored(tmp_path: Path) -> None:
    path = request_stop(tmp_path, "r-1")
    os.utime(path, (time.time() - 60, time.time() - 60))
    kill = KillSwitch(tmp_path)
    kill.watch_run("r-1")
    assert not kill.requested


def test_deskhand_stop_writes_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path))
    kill = KillSwitch(tmp_path / "stop")
    kill.watch_run("r-9")
    app = cli_with(command.register)
    done = CliRunner().invoke(app, ["stop", "r-9"])
    assert done.exit_code == 0, done.output
    assert kill.requested


def test_budgets() -> None:
    budget = Budget(max_steps=2, max_seconds=60, max_spend_usd=0.5)
    budget.count_step()
    budget.count_step()
    budget.check()
    budget.count_step()
    with pytest.raises(RunStopped, match="limit of 2 steps"):
        budget.check()
    budget.restart()
    budget.add_spend(0.4)
    with pytest.raises(BudgetExceeded, match=r"spend limit of \$0.5"):
        budget.add_spend(0.2)
    with pytest.raises(BudgetExceeded, match=r"spend limit of \$0.5"):
        budget.check()
    late = Budget(max_seconds=0.01, started=time.monotonic() - 1)
    with pytest.raises(RunStopped, match="time limit"):
        late.check()


def cli_with(register: Callable[[typer.Typer], None]) -> typer.Typer:
    """A deskhand-like app with just this command group (main.py registers it in the real CLI)."""
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    return app
