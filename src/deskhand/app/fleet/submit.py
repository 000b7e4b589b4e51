"""`deskhand run wf.md --inputs rows.csv --broker redis://…`: the submitting side. The batch is made (or found, to
resume) in the run store the fleet shares, each row not yet done is sent as one signed message, and the command
follows the rows as desktops report them; the result is read back from the store, like a serial batch's. The
workflow's lock file (wf.lock beside wf.md) travels with each row, signed with it, so workers replay locked
steps (a model's included) as this machine would."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskhand import __version__
from deskhand.app.fleet.broker import check_broker, fleet_app
from deskhand.app.fleet.lapsed import interrupt_when_no_worker_serves
from deskhand.app.fleet.learned import LearnedLocks
from deskhand.app.fleet.leases import RowLeases
from deskhand.app.fleet.message import TASK_NAME, RowMessage
from deskhand.app.fleet.progress import ProgressChannel
from deskhand.app.fleet.row_service import FINAL
from deskhand.app.fleet.signing import fleet_key, sign
from deskhand.app.fleet.worker import machine_name
from deskhand.errors import FleetError
from deskhand.runs.records import BatchRowRecord
from deskhand.runs.store import RunStore
from deskhand.workflows.lock import lock_path, read_lock
from deskhand.workflows.model import Workflow

NO_WORKER_S = 20.0
LOOK_S = 10.0  # how often a waiting submitter looks for runs a dead machine left running


@dataclass
class FleetOutcome:
    batch_id: str
    broker: str
    sent: list[int]
    rows: list[BatchRowRecord] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)
    machines: dict[int, str] = field(default_factory=dict)  # row → the desktop that reported it
    reported: dict[int, str] = field(default_factory=dict)  # row → the reason a desktop reported it failed

    @property
    def ok(self) -> bool:
        return not self.reported and all(row.status in ("succeeded", "verified") for row in self.rows)

    def to_json(self) -> dict[str, Any]:
        def by_status(*statuses: str) -> list[int]:
            return [row.index for row in self.rows if row.status in statuses]

        return {
            "batch_id": self.batch_id,
            "broker": self.broker,
            "runs": self.runs,
            "skipped_rows": [row.index for row in self.rows if row.index not in self.sent],
            "verified_rows": by_status("verified"),
            "unsure_rows": by_status("set_aside"),
            "set_aside": [
                {"row": r.index, "reason": r.reason, "run_id": r.run_id} for r in self.rows if r.status == "set_aside"
            ],
            "failed_rows": [
                {
                    "row": r.index,
                    "reason": r.reason or self.reported.get(r.index),
                    "machine": self.machines.get(r.index),
                }
                for r in self.rows
                if r.index in self.reported or r.status == "failed"
            ],
            "unfinished_rows": by_status("pending", "running"),
            "machines": {str(row): machine for row, machine in sorted(self.machines.items())},
        }


def submit_batch(
    store: RunStore,
    broker: str,
    workflow: Workflow,
    workflow_text: str,
    rows: Sequence[Mapping[str, object]],
    *,
    inputs_hash: str,
    timeout: float,
    on_progress: Callable[[int], None] = lambda done: None,
    say: Callable[[str], None] = lambda line: None,
) -> FleetOutcome:
    """Send every row not yet done and wait until each one sent has been reported by a desktop."""
    host = machine_name()
    check_broker(broker, machine=host)
    stop = store.fleet_stop()
    if stop is not None:
        raise FleetError(
            f"{stop.describe()} No row was sent.",
            hint="Lift it with `deskhand fleet resume` (once what made you stop it is dealt with), then run the same "
            "command again.",
        )
    lock_text = _lock_text(workflow)
    key = fleet_key()
    signature = sign(workflow, workflow_text, key, lock_text)
    learned = LearnedLocks(Path(workflow.path), key)
    batch_id = store.find_batch(workflow.path, inputs_hash) or store.create_batch(
        workflow.path, len(rows), inputs_file_hash=inputs_hash
    )
    before = {row.index: row.status for row in store.batch_rows(batch_id)}
    sent = [index for index in range(len(rows)) if before.get(index) not in FINAL]
    outcome = FleetOutcome(batch_id, broker, sent)
    pass_id = f"f-{uuid.uuid4().hex[:12]}"
    app = fleet_app(broker)
    with app.connection_for_write() as connection:
        for index in sent:
            message = RowMessage(
                batch_id,
                index,
                len(rows),
                dict(rows[index]),
                workflow_text,
                workflow.name,
                signature,
                __version__,
                host,
                timeout,
                lock_text=lock_text,
            )
            app.send_task(
                TASK_NAME,
                args=[message.to_json()],
                kwargs={"reply_to": pass_id},
                connection=connection,
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0.5, "interval_step": 1},
            )
    done = len(rows) - len(sent)
    on_progress(done)
    waiting = set(sent)
    progress = ProgressChannel(broker)
    leases = RowLeases(broker)
    quiet_s = 0.0
    next_look = time.monotonic() + LOOK_S
    try:
        while waiting:
            report = progress.next(pass_id, 2.0)
            if time.monotonic() >= next_look:
                next_look = time.monotonic() + LOOK_S
                _decide_lapsed(store, leases, batch_id, say)
            if report is None:
                quiet_s += 2.0
                # A desktop busy with a row does not answer a ping (one message at a time): a held lease counts.
                if quiet_s >= NO_WORKER_S and not progress.rows_held(batch_id) and not app.control.ping(timeout=2.0):
                    say(
                        f"no worker answers on {broker}; the rows wait in the queue until one starts "
                        f"(deskhand worker --broker {broker} --desktops N)"
                    )
                    quiet_s = -300.0  # say it again in five minutes
                continue
            quiet_s = 0.0
            if report.batch_id == batch_id and report.row in waiting:
                waiting.discard(report.row)
                outcome.machines[report.row] = report.machine
                if report.status in ("failed", "stopped"):
                    outcome.reported[report.row] = report.reason
                learned.take(report.batch_id, report.row, report.lock_text, report.lock_signature, report.machine)
                on_progress(len(rows) - len(waiting))
    except KeyboardInterrupt:
        # Ctrl-C stops following, not the rows: they stay queued for workers, and the store keeps the batch.
        say(
            f"stopped following batch {batch_id}: {len(rows) - len(waiting)} of {len(rows)} rows done; the "
            f"{len(waiting)} sent and not reported stay in the queue on {broker} for workers. Run the same "
            "command again to follow the batch (rows done are not sent again)."
        )
        raise
    finally:
        progress.close()
        leases.close()
        _propose(learned, workflow, say)
    outcome.rows = store.batch_rows(batch_id)
    outcome.runs = [store.get_run(row.run_id).to_json() for row in outcome.rows if row.run_id and row.index in sent]
    if outcome.ok:
        store.finish_batch(batch_id)
    return outcome


def _lock_text(workflow: Workflow) -> str:
    """The text of the workflow's lock file, checked here (a corrupt one is an error naming it, before any row
    is sent); "" when there is none yet."""
    path = lock_path(workflow.path)
    if read_lock(path) is None:
        return ""
    return path.read_text(encoding="utf-8")


def _propose(learned: LearnedLocks, workflow: Workflow, say: Callable[[str], None]) -> None:
    """What the workers learned, as a proposal beside wf.lock for a person to review (never written into it)."""
    for why in learned.refused:
        say(f"not taken: {why}")
    proposed = learned.propose()
    if proposed is not None:
        path, steps = proposed
        say(
            f"the workers learned {steps} step(s) that {lock_path(workflow.path).name} lacks or resolves otherwise: "
            f"proposed in {path}; review with `deskhand fleet lock {workflow.path}` (--accept writes it)"
        )


def _decide_lapsed(store: RunStore, leases: RowLeases, batch_id: str, say: Callable[[str], None]) -> None:
    """With no worker serving, nobody else decides a dead machine's runs of this batch (app/fleet/lapsed.py)."""
    import redis

    try:
        decided = interrupt_when_no_worker_serves(store, leases, batch_id)
    except redis.exceptions.RedisError as error:  # the broker is slow or away: the next look tries again
        say(f"could not read the rows' leases on the broker: {error}")
        return
    for run_id in decided:
        say(
            f"run {run_id} was left running by a desktop that no longer holds its row's lease, and no worker "
            "serves: marked interrupted; its row waits in the queue for a worker (its intent is checked with verify:)"
        )
