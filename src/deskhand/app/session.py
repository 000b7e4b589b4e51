"""Everything one `deskhand run` needs, put together: desktop, launcher, run store, runner."""

from __future__ import annotations

import os
from dataclasses import dataclass

from deskhand.app.compose import DesktopChoice, DesktopSession, open_desktop
from deskhand.app.launcher import DesktopLauncher
from deskhand.errors import SecretMissing
from deskhand.runner.run import Runner
from deskhand.runs.report import write_report
from deskhand.runs.store import RunStore


def env_secret(name: str) -> str:
    """A secret from DESKHAND_SECRET_<NAME> (the keyring comes with the blast-radius work)."""
    value = os.environ.get(f"DESKHAND_SECRET_{name.upper()}")
    if value is None:
        raise SecretMissing(
            f"The secret {name!r} is not set.",
            hint=f"export DESKHAND_SECRET_{name.upper()}=... before the run.",
        )
    return value


@dataclass
class RunSession:
    session: DesktopSession
    store: RunStore
    runner: Runner

    def report(self, run_id: str) -> str:
        path = write_report(self.store, run_id)
        self.store.set_report_path(run_id, path)
        return str(path)

    def close(self) -> None:
        self.session.close()
        self.store.close()

    def __enter__(self) -> RunSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_run_session(choice: DesktopChoice = "auto", *, timeout: float = 10.0, capture: bool = True) -> RunSession:
    session = open_desktop(choice, timeout=timeout)
    try:
        store = RunStore()
        launcher = DesktopLauncher(session.desktop, session.virtual)
        runner = Runner(session.desktop, launcher, store, env_secret, timeout=timeout, capture=capture)
    except BaseException:
        session.close()
        raise
    return RunSession(session, store, runner)
