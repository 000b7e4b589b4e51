"""Notices for a run session: the notifier over the session's run store, told when a run ends and when a
run is about to wait for a person's approval (the queue approver waits; a terminal asks someone present)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from deskhand.notices.notifier import Notifier
from deskhand.notices.settings import notice_settings
from deskhand.notices.unattended import set_aside_message
from deskhand.policy.approval import ApprovalRequest, Approver
from deskhand.policy.approval_queue import QueueApprover
from deskhand.policy.secrets import Redactor
from deskhand.runner.batch import SetAside
from deskhand.runner.run import StepInfo
from deskhand.runs.outbox import Outbox
from deskhand.runs.store import RunStore
from deskhand.workflows.model import Workflow

# How long a finishing `deskhand run` gives notices under way; what is not sent stays queued.
EXIT_WAIT_S = 5.0


def session_notifier(store: RunStore, redactor: Redactor) -> Notifier:
    return Notifier(Outbox(store.path), store.get_run, notice_settings(), redactor.redact)


@dataclass
class WaitingNotices:
    """An approver that sends a "waiting for approval" notice before it waits in the queue."""

    inner: Approver
    notifier: Notifier
    step: StepInfo | None = None

    def decide(self, request: ApprovalRequest) -> bool:
        if isinstance(self.inner, QueueApprover) and self.step is not None:
            info = self.step
            self.notifier.waiting(info.run_id, info.workflow, info.step.n, info.step.sentence, request.text())
        return self.inner.decide(request)


def set_aside_notices(notifier: Notifier, workflow: Workflow) -> Callable[[SetAside], None]:
    """What a batch calls for a row set aside: a notice with the reason (never fails the batch)."""

    def tell(item: SetAside) -> None:
        run_id = item.run_id or ""
        settings = notifier.settings
        message = set_aside_message(
            workflow.name, item.batch_id, item.row, item.reason, run_id, settings.console_url, notifier.scrub
        )
        with suppress(Exception):
            notifier.tell(run_id, workflow, message)

    return tell
