"""Runs of fleet desktops whose row's lease has run out: decided `interrupted`, naming the desktop, so a machine
that died leaves no run `running` for ever. A desktop runs a row only while it holds the row's lease (it takes
it before the run starts and lets it go after the run has ended, renewing it meanwhile), so a running run whose
desktop no longer holds the lease has nobody working on it. The row itself stays as the store has it: its
message, unacknowledged, comes back from the broker and the batch rules (intent → `verify:`) decide it.

Who decides: every live worker, at each heartbeat, and the desktop that takes the row next. With no worker
serving (each one's heartbeat older than SILENT_AFTER_S, or stopped), the submitting command still waiting for
the batch decides its batch's runs by the same rule. Two kinds of evidence say a run may still be running — its
desktop holding the row's lease, a worker's fresh heartbeat — and a run is decided only when neither does."""

from __future__ import annotations

from datetime import datetime

from deskhand.app.fleet.leases import RowLeases
from deskhand.runs.store import RunStore


def interrupt_lapsed_runs(
    store: RunStore, leases: RowLeases, *, batch_id: str | None = None, row: int | None = None
) -> list[str]:
    """Mark interrupted every running fleet run (of one row, if given) whose desktop does not hold its lease;
    returns their ids."""
    decided = []
    for run in store.leased_runs_running(batch_id, row):
        holder = leases.holder(run.batch_id, run.row)
        if holder is not None and holder.startswith(f"{run.host}:{run.pid}:"):
            continue  # its desktop is working on it
        message = (
            f"Interrupted: its desktop ({run.host}, pid {run.pid}) stopped renewing the lease of row {run.row + 1} "
            f"of batch {run.batch_id} (the machine died, was killed or lost the broker). The row is decided by the "
            "batch rules (an intent is checked with verify:) when the broker delivers it again."
        )
        if store.interrupt_run(run.run_id, message):
            decided.append(run.run_id)
    return decided


def interrupt_when_no_worker_serves(
    store: RunStore, leases: RowLeases, batch_id: str, *, now: datetime | None = None
) -> list[str]:
    """The submitter's look: the batch's lapsed runs, decided only while no worker of the fleet serves (a serving
    worker decides them itself, and its fresh heartbeat is evidence its desktops may still be at work)."""
    if any(worker.kind == "celery" and worker.state(now) == "serving" for worker in store.workers()):
        return []
    return interrupt_lapsed_runs(store, leases, batch_id=batch_id)
