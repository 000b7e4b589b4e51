"""Notices from runs on the fake backend: what a failure notice says, repeats grouped into a digest, and a
notifier that is down leaving the run alone and the notice undelivered until a retry."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

from notice_bench import Launcher, Sent, backend, notifier, write

from deskhand.app.notify import WaitingNotices
from deskhand.errors import PolicyDenied
from deskhand.locate.desktop import Desktop
from deskhand.policy.approval import ApprovalRequest
from deskhand.policy.approval_queue import ApprovalQueue, QueueApprover
from deskhand.runner.run import Runner, RunOutcome, StepInfo
from deskhand.runs.store import RunStore
from deskhand.workflows.parse import load_workflow

FAILING = '---\nname: signup\napps: [form]\n---\n1. Open form\n2. Type "hunter2" into "Name"\n3. Click "Sumbit"\n'


def run_failing(
    store: RunStore, sent: Sent, tmp_path: Path, *, window_s: float = 3600.0
) -> tuple[RunOutcome, list[int]]:
    notices = notifier(store, sent, window_s=window_s)
    made: list[int] = []
    runner = Runner(
        Desktop(backend(), timeout=0.3),
        Launcher(),
        store,
        timeout=0.5,
        capture=False,
        on_finish=lambda run_id, wf: made.extend(notices.run_ended(run_id, wf)),
    )
    outcome = runner.run(load_workflow(write(tmp_path / "w.md", FAILING)), {})
    notices.wait(5.0)
    return outcome, made


def test_a_failed_run_sends_one_notice_with_the_diagnosis_and_the_console_link(
    tmp_path: Path, store_where: Path | str
) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        sent = Sent()
        outcome, made = run_failing(store, sent, tmp_path)
        assert outcome.status == "failed"
        [(urls, title, body, _)] = sent.notices
        assert urls == ("json://127.0.0.1:9/",)
        assert title == "deskhand: signup failed at step 3"
        for line in (
            f"Run: {outcome.run_id}",
            "Workflow: signup",
            "Status: failed",
            "Step: 3",
            'Sentence: Click "Sumbit"',
            "Looked for: 'Sumbit'",
            'Nearest candidates: button "Submit"',
            'Suggested sentence: Click "Submit"',
            f"Console: http://console:8400/runs/{outcome.run_id}",
        ):
            assert line in body.splitlines(), (line, body)
        assert notifier(store, sent).outbox.get(made[0]).status == "delivered"


class Refusing(Launcher):
    def open_app(self, name: str) -> str:
        raise PolicyDenied(f"{name!r} is not in this workflow's apps.", hint="Add it under apps:.")


def test_a_blocked_run_sends_a_notice_that_says_blocked_and_why(tmp_path: Path, store_where: Path | str) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        sent = Sent()
        notices = notifier(store, sent)
        runner = Runner(Desktop(backend(), timeout=0.3), Refusing(), store, timeout=0.5, capture=False)
        runner.on_finish = notices.run_ended
        outcome = runner.run(load_workflow(write(tmp_path / "w.md", FAILING)), {})
        notices.wait(5.0)
        assert outcome.steps[0].status == "blocked"
        [(_, title, body, _)] = sent.notices
        assert title == "deskhand: signup blocked at step 1"
        lines = body.splitlines()
        for line in ("Status: blocked", "Step: 1", "Sentence: Open form", "Hint: Add it under apps:."):
            assert line in lines, (line, body)
        assert any(line.startswith("What happened: ") and "not in this workflow's apps" in line for line in lines)


def test_secrets_are_scrubbed_from_the_notice(tmp_path: Path, store_where: Path | str) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        sent = Sent()
        flow = FAILING.replace('3. Click "Sumbit"', '3. Click "hunter2"')
        notices = notifier(store, sent)
        runner = Runner(Desktop(backend(), timeout=0.3), Launcher(), store, timeout=0.5, capture=False)
        runner.on_finish = notices.run_ended
        runner.run(load_workflow(write(tmp_path / "w.md", flow)), {})
        notices.wait(5.0)
        [(_, title, body, _)] = sent.notices
        assert "hunter2" not in title + body
        assert "{secret}" in body


def test_repeats_within_the_window_are_held_then_sent_as_one_digest(tmp_path: Path, store_where: Path | str) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        sent = Sent()
        first, _ = run_failing(store, sent, tmp_path)
        second, held_a = run_failing(store, sent, tmp_path)
        third, held_b = run_failing(store, sent, tmp_path)
        assert len(sent.notices) == 1
        outbox = notifier(store, sent).outbox
        assert [outbox.get(i).status for i in (*held_a, *held_b)] == ["grouped", "grouped"]
        # The window is over: the next retry sends the digest of the held ones.
        later = notifier(store, sent, window_s=0.0)
        [digest_id] = later.retry_unsent()
        later.wait(5.0)
        assert len(sent.notices) == 2
        _, title, body, _ = sent.notices[1]
        assert title == "deskhand digest: signup failed 2 more time(s) at step 3"
        assert second.run_id in body and third.run_id in body and first.run_id not in body
        assert outbox.get(digest_id).status == "delivered"
        assert [outbox.get(i).status for i in (*held_a, *held_b)] == ["digested", "digested"]


def test_a_notifier_that_is_down_never_fails_the_run_and_the_notice_is_retried(
    tmp_path: Path, store_where: Path | str
) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        down = Sent(down=True)
        outcome, [notice_id] = run_failing(store, down, tmp_path)
        assert outcome.status == "failed" and store.get_run(outcome.run_id).status == "failed"
        outbox = notifier(store, down).outbox
        record = outbox.get(notice_id)
        assert (record.status, record.attempts, record.last_error) == ("undelivered", 1, "connection refused")
        back_up = Sent()
        again = notifier(store, back_up)
        assert again.retry_unsent() == [notice_id]
        again.wait(5.0)
        assert outbox.get(notice_id).status == "delivered" and outbox.get(notice_id).attempts == 2
        assert back_up.notices[0][2] == record.body


def test_a_succeeded_run_sends_nothing(tmp_path: Path, store_where: Path | str) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        sent = Sent()
        notices = notifier(store, sent)
        runner = Runner(Desktop(backend(), timeout=0.3), Launcher(), store, timeout=0.5, capture=False)
        runner.on_finish = notices.run_ended
        flow = '---\nname: signup\napps: [form]\n---\n1. Open form\n2. Click "Submit"\n'
        assert runner.run(load_workflow(write(tmp_path / "w.md", flow)), {}).status == "succeeded"
        notices.wait(5.0)
        assert sent.notices == []


class AnsweredQueue(QueueApprover):
    """The queue approver, answered at once (the test stands in for the person)."""

    def decide(self, request: ApprovalRequest) -> bool:
        return True


def test_waiting_for_approval_in_the_queue_sends_a_notice_first(tmp_path: Path, store_where: Path | str) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        sent = Sent()
        flow = load_workflow(write(tmp_path / "w.md", FAILING))
        run_id = store.start_run(flow.path, flow.name, {})
        waiting = WaitingNotices(AnsweredQueue(ApprovalQueue(tmp_path / "approvals.db")), notifier(store, sent))
        waiting.step = StepInfo(run_id, flow, flow.step(3))
        request = ApprovalRequest(
            run_id, 3, flow.step(3).sentence, "click", 'button "Submit"', "it sends", (), "ab" * 32
        )
        assert waiting.decide(request) is True
        waiting.notifier.wait(5.0)
        [(_, title, body, _)] = sent.notices
        assert title == "deskhand: signup waits for approval at step 3"
        assert "Status: waiting for approval" in body and f"Console: http://console:8400/runs/{run_id}" in body


def test_a_healed_step_sends_a_notice_to_review(tmp_path: Path, store_where: Path | str) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        sent = Sent()
        flow = load_workflow(write(tmp_path / "w.md", FAILING))
        run_id = store.start_run(flow.path, flow.name, {})
        store.record_event(run_id, 3, "healed", {"step": 3, "sentence": 'Click "Sumbit"', "status": "applied"})
        store.finish_run(run_id, "succeeded")
        notices = notifier(store, sent)
        notices.run_ended(run_id, flow)
        notices.wait(5.0)
        [(_, title, body, _)] = sent.notices
        assert title == "deskhand: signup healed 1 step(s)"
        assert "Healed step 3 (applied): 'Click \"Sumbit\"'" in body and "deskhand heals" in body


def test_a_notifier_that_hangs_never_holds_up_the_run(tmp_path: Path, store_where: Path | str) -> None:
    """A send that does not come back (a server that accepts and never answers): the run has ended and is
    recorded while the notice is still on its way; it is delivered once the send returns."""
    release = threading.Event()
    sending = threading.Event()

    class Hanging(Sent):
        def __call__(self, urls: Sequence[str], title: str, body: str, attachment: Path | None) -> str | None:
            sending.set()
            release.wait(60)
            return super().__call__(urls, title, body, attachment)

    with RunStore(store_where, artifacts_root=tmp_path / "runs") as store:
        sent = Hanging()
        try:
            outcome, made = run_failing(store, sent, tmp_path)  # waits at most 5 s for the send, then goes on
            assert outcome.status == "failed" and store.get_run(outcome.run_id).status == "failed"
            assert sending.wait(30)  # the send had started and was still hanging when the run ended
            assert notifier(store, sent).outbox.get(made[0]).status != "delivered" and sent.notices == []
        finally:
            release.set()
        later = notifier(store, sent)
        deadline = time.monotonic() + 30
        while later.outbox.get(made[0]).status != "delivered" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert later.outbox.get(made[0]).status == "delivered" and len(sent.notices) == 1
