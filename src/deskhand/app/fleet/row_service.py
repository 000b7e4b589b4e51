"""One desktop's side of a fleet: a row message is checked before anything runs (the same deskhand version as
the submitter, the policy signed with the fleet key, the workflow's apps installed here), then the row runs
under the serial batch's exactly-once rules (runner/batch.py: a row done is skipped, a row an earlier delivery
left with an intent is checked by `verify:` first) while this desktop holds the row's lease. Every outcome is
recorded in the run store the fleet shares; a row refused here is marked failed with the reason, naming the
machine, so it is never lost: the submitter reports it and the same command, run again, sends it again."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deskhand import __version__
from deskhand.app.desktop_entries import installed_apps, resolve
from deskhand.app.fleet.lapsed import interrupt_lapsed_runs
from deskhand.app.fleet.learned import sign_lock
from deskhand.app.fleet.leases import RowLeases
from deskhand.app.fleet.message import RowMessage
from deskhand.app.fleet.signing import check_signature
from deskhand.app.launcher import BROWSER_NAMES
from deskhand.app.notify import set_aside_notices
from deskhand.app.session import RunSession
from deskhand.database import describe
from deskhand.errors import AppNotFound, DeskhandError, FleetError, SandboxError
from deskhand.models.config import configured_model_spec
from deskhand.runner.batch import run_batch
from deskhand.sandbox.browsers import browser_kind, find_browser
from deskhand.workflows.inputs import coerce_rows
from deskhand.workflows.lock import lock_path
from deskhand.workflows.model import Workflow
from deskhand.workflows.parse import parse_workflow

FINAL = ("succeeded", "verified", "set_aside")


@dataclass(frozen=True, slots=True)
class RowDone:
    """What this desktop did with a row (sent back to the submitter as progress)."""

    batch_id: str
    row: int
    status: str  # the row's status in the store afterwards
    machine: str
    reason: str = ""
    # The workflow's lock as this desktop's runs left it, when it differs from the one sent (app/fleet/learned.py),
    # signed with the fleet key over the batch, the row and the text.
    lock_text: str = ""
    lock_signature: str = ""


@dataclass
class RowService:
    session: RunSession
    leases: RowLeases
    key: bytes
    machine: str  # "host, desktop 2": what messages name
    holder: str  # this desktop process, unique in the fleet (host:pid:slot)
    workflows: Path  # where received workflows are kept (their wf.lock beside them)
    say: Callable[[str], None]

    def serve(self, data: dict[str, Any]) -> RowDone:
        message = RowMessage.from_json(data, machine=self.machine)
        store = self.session.store
        stop = store.fleet_stop()
        if stop is not None:  # nothing runs while the fleet's stop is in force; the row stays as the store has it
            reason = f"{stop.describe()} Not run; `deskhand fleet resume`, then the same command sends it again."
            self.say(f"row {message.row + 1} not run: {stop.describe()}")
            return RowDone(message.batch_id, message.row, "stopped", self.machine, reason)

        def waiting(holder: str | None) -> None:
            self.say(f"row {message.row + 1} is held by {holder}; waiting for it to finish")

        with self.leases.hold(message.batch_id, message.row, self.holder, on_wait=waiting):
            # Holding the lease now, this desktop knows any run of the row still running was left by a desktop
            # that lost it (died): recorded interrupted before the batch rules decide the row.
            for run_id in interrupt_lapsed_runs(store, self.leases, batch_id=message.batch_id, row=message.row):
                self.say(f"row {message.row + 1}: run {run_id} of a desktop that lost its lease is interrupted")
            try:
                status = self._status(message)
            except FleetError as error:  # the submitter's mistake, not this desktop's: refuse the row, keep serving
                reason = f"{error.message} {error.hint}"
                self.say(f"row {message.row + 1} refused: {reason}")
                return RowDone(message.batch_id, message.row, "failed", self.machine, reason)
            if status in FINAL:  # a second delivery of a row already done (or set aside for a person)
                return RowDone(message.batch_id, message.row, status, self.machine)
            try:
                workflow = self._admit(message)
                values = coerce_rows(workflow, [message.values], f"row {message.row + 1} of batch {message.batch_id}")
            except DeskhandError as error:
                reason = f"{error.message} {error.hint}".strip()
                store.mark_row(message.batch_id, message.row, None, "failed", reason=reason)
                self.say(f"row {message.row + 1} refused: {reason}")
                return RowDone(message.batch_id, message.row, "failed", self.machine, reason)
            rows: list[dict[str, object]] = [{} for _ in range(message.rows)]
            rows[message.row] = values[0]
            notifier = self.session.notifier
            batch = run_batch(
                self.session.runner,
                store,
                workflow,
                rows,
                batch_id=message.batch_id,
                intents=self.session.intents,
                on_set_aside=set_aside_notices(notifier, workflow) if notifier is not None else lambda item: None,
                claim=lambda batch_id, index: index == message.row,
                finish=False,
            )
            for outcome in batch.runs:
                outcome.report = self.session.report(outcome.run_id)
            reason = next((item.reason for item in batch.set_aside), "")
            if batch.runs and batch.runs[-1].error:
                reason = str(batch.runs[-1].error.get("message") or "")
            status = store.batch_row_status(message.batch_id, message.row)
            learned = self._learned(message, workflow)
            signature = sign_lock(self.key, message.batch_id, message.row, learned) if learned else ""
            return RowDone(message.batch_id, message.row, status, self.machine, reason, learned, signature)

    def _learned(self, message: RowMessage, workflow: Workflow) -> str:
        """The lock beside this worker's copy of the workflow, if its runs changed it from the one sent."""
        try:
            text = lock_path(workflow.path).read_text(encoding="utf-8")
        except OSError:
            return ""
        return "" if text == message.lock_text else text

    def failed(self, data: dict[str, Any], error: BaseException) -> RowDone:
        """A row this desktop could not finish for a reason outside the row (its desktop or store broke): recorded
        failed where the store allows, and reported, so the submitter is never left waiting for it."""
        batch_id, row = str(data.get("batch_id", "")), int(data.get("row", -1))
        reason = f"Worker {self.machine} could not run the row: {error}"
        try:
            if self._status_of(batch_id, row) not in FINAL:
                self.session.store.mark_row(batch_id, row, None, "failed", reason=reason)
        except DeskhandError:
            pass  # the store is what failed: the report below still reaches the submitter
        self.say(f"row {row + 1}: {reason}")
        return RowDone(batch_id, row, "failed", self.machine, reason)

    def _status(self, message: RowMessage) -> str:
        try:
            return self._status_of(message.batch_id, message.row)
        except DeskhandError:
            raise FleetError(
                f"Worker {self.machine} has no batch {message.batch_id} (row {message.row + 1}) in its run store "
                f"({describe(self.session.store.path)}): the submitter {message.submitter} wrote it to another one.",
                hint="Give the submitter and every worker the same store: DESKHAND_DB=postgresql://… (or, on one "
                "machine, the same DESKHAND_HOME).",
            ) from None

    def _status_of(self, batch_id: str, row: int) -> str:
        return self.session.store.batch_row_status(batch_id, row)

    def _admit(self, message: RowMessage) -> Workflow:
        check_version(message, machine=self.machine)
        path = self._kept_path(message)
        workflow = parse_workflow(message.workflow_text, str(path), allow_free_form=configured_model_spec() is not None)
        check_signature(
            workflow,
            message.workflow_text,
            message.signature,
            self.key,
            machine=self.machine,
            lock_text=message.lock_text,
        )
        check_apps(workflow, machine=self.machine)
        self._keep(path, message.workflow_text)
        if message.lock_text:
            self._keep(lock_path(path), message.lock_text)
        return workflow

    def _kept_path(self, message: RowMessage) -> Path:
        """Where this worker keeps the workflow: one folder per (text, lock sent), so the submitter's lock seeds
        the folder's wf.lock and the runs here go on learning into it, as the submitter's own runs would."""
        digest = hashlib.sha256(f"{message.workflow_text}\0{message.lock_text}".encode()).hexdigest()[:16]
        name = "".join(c if c.isalnum() or c in "-_" else "-" for c in message.workflow_name) or "workflow"
        return self.workflows / digest / f"{name}.md"

    def _keep(self, path: Path, text: str) -> None:
        """Write ``path`` once (signed text only: called after the signature check); later rows use it as left."""
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{self.holder.replace(':', '-')}.tmp")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)  # desktops of one worker may receive the same workflow at once


def check_version(message: RowMessage, *, machine: str, mine: str = __version__) -> None:
    if message.version != mine:
        raise FleetError(
            f"Worker {machine} runs deskhand {mine}; the submitter {message.submitter} runs deskhand "
            f"{message.version}. A worker runs rows only for its own version.",
            hint="Install the same deskhand version on the submitter and every worker, then run the same command "
            "again (rows not done are sent again).",
        )


def check_apps(workflow: Workflow, *, machine: str) -> None:
    """FleetError naming this machine and each app of the workflow's `apps:` that cannot be started here."""
    missing = [f"{app!r} ({why})" for app in workflow.apps if (why := _missing(app, workflow.browser))]
    if missing:
        raise FleetError(
            f"Worker {machine} cannot run workflow {workflow.name!r}: it lacks {', '.join(missing)}.",
            hint=f"Install the app on {machine.split(',')[0]} (or stop that worker so others take the rows), then "
            "run the same command again to send the rows not done.",
        )


def _missing(app: str, browser: str) -> str:
    """Why ``app`` cannot be started on this machine ("" when it can)."""
    kind = browser_kind(app) or (browser_kind(browser or "chromium") if app.strip().lower() in BROWSER_NAMES else None)
    try:
        if kind is not None:
            find_browser(kind)
        elif not shutil.which(app.strip()):
            resolve(app, installed_apps())
    except (SandboxError, AppNotFound) as error:
        return error.message
    return ""
