"""The kill switch from outside a run: `deskhand stop [RUN]` and the console's stop buttons."""

from __future__ import annotations

from pathlib import Path

from deskhand.policy.killswitch import request_stop
from deskhand.runs.store import RunStore


def stop_runs(store: RunStore, stop_dir: Path, run_id: str | None = None) -> list[str]:
    """Ask ``run_id`` (or, with None, every run running at this moment) to stop; returns the runs asked.

    Each run's guard polls its stop file before every read and input event; a run that starts after this
    call is not stopped."""
    targets = [run_id] if run_id else store.running_run_ids()
    for each in targets:
        request_stop(stop_dir, each)
    return targets
