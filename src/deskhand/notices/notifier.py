"""Making notices and sending them without ever holding up a run.

A notice is written to the store's outbox first, then sent on a background thread (apprise, short
timeouts). A send that fails leaves the notice ``undelivered``; each new notice, and `deskhand notices
retry`, sends those again. The same workflow failing at the same step again within the window is held
(``grouped``); when the window is over the held ones go out as one digest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from deskhand.notices.message import Message, Scrub, digest_message, failure_message, healed_message, waiting_message
from deskhand.notices.send import deliver
from deskhand.notices.settings import NoticeSettings
from deskhand.runs.outbox import NoticeRecord, Outbox
from deskhand.runs.records import RunRecord
from deskhand.workflows.model import Workflow

Deliver = Callable[[Sequence[str], str, str, Path | None], str | None]
NOTICED_STATUSES = ("failed",)


class Notifier:
    def __init__(
        self,
        outbox: Outbox,
        read_run: Callable[[str], RunRecord],
        settings: NoticeSettings,
        scrub: Scrub,
        send: Deliver = deliver,
    ) -> None:
        self.outbox = outbox
        self.read_run = read_run
        self.settings = settings
        self.scrub = scrub
        self.send = send
        self._lock = threading.Lock()
        self._in_flight: set[int] = set()
        self._threads: list[threading.Thread] = []

    # -- what the runner and the guard call -------------------------------------------------------------

    def run_ended(self, run_id: str, workflow: Workflow) -> list[int]:
        """Notices for a finished run: failed or blocked, and healed steps. Returns the notice ids made."""
        urls = self.settings.urls_for(workflow)
        if not urls:
            return []
        run = self.read_run(run_id)
        messages: list[Message] = []
        if run.status in NOTICED_STATUSES:
            messages.append(failure_message(run, self.settings.console_url, self.scrub))
        heals = [event.data for event in run.events if event.kind == "healed"]
        if heals:
            messages.append(healed_message(run, heals, self.settings.console_url, self.scrub))
        return [self._notice(run_id, workflow.name, message, urls) for message in messages]

    def waiting(self, run_id: str, workflow: Workflow, step: int | None, sentence: str, request: str) -> int | None:
        urls = self.settings.urls_for(workflow)
        if not urls:
            return None
        console = self.settings.console_url
        message = waiting_message(run_id, workflow.name, step, sentence, request, console, self.scrub)
        return self._notice(run_id, workflow.name, message, urls)

    def tell(self, run_id: str, workflow: Workflow, message: Message) -> int | None:
        """Any other notice (a batch row set aside, a missed scheduled run); None when nobody is to be told."""
        urls = self.settings.urls_for(workflow)
        return self._notice(run_id, workflow.name, message, urls) if urls else None

    def retry_unsent(self) -> list[int]:
        """Send again every notice that did not go out (and digests that are due); returns their ids."""
        self._make_due_digests()
        with self._lock:
            # Taken under one lock: two callers at once must not both send the same notice.
            waiting = [notice for notice in self.outbox.unsent() if notice.id not in self._in_flight]
            self._in_flight.update(notice.id for notice in waiting)
        self._start(waiting)
        return [notice.id for notice in waiting]

    def wait(self, timeout: float) -> None:
        """Give the sends under way up to ``timeout`` seconds (a short-lived process calls this at exit);
        what is not sent by then stays in the outbox for the next retry."""
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout)

    # -- inside -------------------------------------------------------------------------------------------

    def _notice(self, run_id: str, workflow: str, message: Message, urls: Sequence[str]) -> int:
        key = f"{workflow}|{message.step}|{message.kind}"
        held = self.outbox.sent_recently(key, self.settings.window_s) is not None
        notice_id = self.outbox.add(
            run_id=run_id,
            workflow=workflow,
            step=message.step,
            kind=message.kind,
            group_key=key,
            title=message.title,
            body=message.body,
            attachment=message.attachment,
            urls=urls,
            status="grouped" if held else "pending",
        )
        # Also sends what an earlier notifier could not, and digests whose window is over.
        self.retry_unsent()
        return notice_id

    def _make_due_digests(self) -> None:
        for key, held in self.outbox.held_groups(self.settings.window_s).items():
            message = digest_message(held, self.settings.console_url)
            first = held[0]
            self.outbox.add(
                run_id=held[-1].run_id,
                workflow=first.workflow,
                step=first.step,
                kind="digest",
                group_key=key,
                title=message.title,
                body=message.body,
                attachment=None,
                urls=first.urls,
                status="pending",
            )
            self.outbox.set_status([notice.id for notice in held], "digested")

    def _start(self, notices: list[NoticeRecord]) -> None:
        if not notices:
            return
        with self._lock:
            self._threads = [thread for thread in self._threads if thread.is_alive()]
            thread = threading.Thread(target=self._send_all, args=(notices,), name="deskhand-notices", daemon=True)
            self._threads.append(thread)
        thread.start()

    def _send_all(self, notices: list[NoticeRecord]) -> None:
        for notice in notices:
            try:
                error = self.send(notice.urls, notice.title, notice.body, notice.attachment_path)
            except Exception as crash:
                error = f"{type(crash).__name__}: {crash}"
            self.outbox.mark(notice.id, "delivered" if error is None else "undelivered", error)
            with self._lock:
                self._in_flight.discard(notice.id)
