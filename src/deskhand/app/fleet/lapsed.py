"""Runs of fleet desktops whose row's lease has run out: decided `interrupted`, naming the desktop, so a machine
that died leaves no run `running` for ever. A desktop runs a row only while it holds the row's lease (it takes
it before the run starts and lets it go after the run has ended, renewing it meanwhile), so a running run whose
desktop no longer holds the lease has nobody working on it. The row itself stays as the store has it: its
message, unacknowledged, comes back from the broker and the batch rules (intent → `verify:`) decide it."""

from __future__ import annotations

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
