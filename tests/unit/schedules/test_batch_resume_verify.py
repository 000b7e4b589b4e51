"""A resumed batch and its rows that may already be done: with no intent a row simply runs again; with one,
the workflow's `verify:` steps decide (done → verified, not done → run, cannot tell → looked at again, then
set aside with why; stopped on request → checked again on resume)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from deskhand.runner.batch import SetAside, run_batch
from deskhand.runner.run import Runner, RunOutcome, StepOutcome
from deskhand.runs.intents import IntentLog
from deskhand.runs.store import RunStore
from deskhand.workflows.model import Workflow
from deskhand.workflows.parse import parse_workflow

FRONT = "---\nname: rec\ninputs:\n  name: {type: string}\napps: [chromium]\n"
VERIFY = 'verify:\n  - Open http://127.0.0.1:1/records in the browser\n  - Expect "{name}" to appear\n'
BODY = '---\n1. Open http://127.0.0.1:1/new in the browser\n2. Click "Save record"\n'


@dataclass
class FakeRunner:
    """Records runs in the real store; ``verify_says`` picks how each check ends (by row name; a list: one
    answer per look, the last repeated)."""

    store: RunStore
    intents: IntentLog
    verify_says: Mapping[str, str | list[str]]
    calls: list[tuple[str, str]] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    def run(self, workflow: Workflow, inputs: Mapping[str, object], **kw: Any) -> RunOutcome:
        kind = kw.get("kind", "workflow")
        name = str(inputs["name"])
        self.calls.append((kind, name))
        run_id = self.store.start_run(workflow.path, workflow.name, inputs, kw["batch_id"], kw["row"], kind=kind)
        if kind == "verify":
            answers = self.verify_says[name]
            looked = sum(1 for kind_, name_ in self.calls if kind_ == "verify" and name_ == name)
            said = answers if isinstance(answers, str) else answers[min(looked, len(answers)) - 1]
            n = {"done": 2, "not done": 2, "gone at the end": 2, "cannot open": 1, "blocked": 1, "stopped": 1}[said]
            status = {"done": "succeeded", "blocked": "failed", "stopped": "stopped"}.get(said, "failed")
            self.store.finish_run(run_id, status)
            step_status = {"done": "succeeded", "blocked": "blocked", "stopped": "stopped"}.get(said, "failed")
            reason = None if said == "done" else said
            step = StepOutcome(n, workflow.steps[n - 1].sentence, step_status, 1.0, reason=reason)
            step.screen_answer = said == "not done"  # the Expect read the page; "gone": the browser went away
            return RunOutcome(run_id, status, [step])
        self.intents.settle(self.intents.intend(run_id, 2, "click", {"name": "Save record"}, "save"), "sent")
        self.store.finish_run(run_id, "succeeded")
        return RunOutcome(run_id, "succeeded", [])


def interrupted_batch(store: RunStore, intents: IntentLog, workflow: Workflow, *, with_intent: bool) -> str:
    """A batch of rows a and b as a kill leaves it: row 0 running, an intent recorded (no outcome) or none."""
    batch = store.create_batch(workflow.path, 2, inputs_file_hash="h")
    run_id = store.start_run(workflow.path, workflow.name, {"name": "a"}, batch, 0)
    store.mark_row(batch, 0, run_id, "running")
    if with_intent:
        intents.intend(run_id, 2, "click", {"name": "Save record"}, "save")  # killed before the outcome
    return batch


def resume(
    tmp_path: Path, text: str, says: Mapping[str, str | list[str]], *, with_intent: bool = True, again: bool = False
) -> tuple[Any, FakeRunner]:
    """Resume the interrupted batch (``again``: the batch a first resume left, resumed once more)."""
    store = RunStore(tmp_path / "runs.db")
    intents = IntentLog(store.path)
    workflow = parse_workflow(text, str(tmp_path / "rec.md"))
    if not again:
        interrupted_batch(store, intents, workflow, with_intent=with_intent)
    runner = FakeRunner(store, intents, says)
    told: list[SetAside] = []
    rows = [{"name": "a"}, {"name": "b"}]
    outcome = run_batch(
        cast(Runner, runner), store, workflow, rows, inputs_file_hash="h", intents=intents, on_set_aside=told.append
    )
    rows_now = {r.index: (r.status, r.reason) for r in store.batch_rows(outcome.batch_id)}
    return (outcome, rows_now, told), runner


def test_a_row_verify_finds_done_is_not_run_again(tmp_path: Path) -> None:
    (outcome, rows, told), runner = resume(tmp_path, FRONT + VERIFY + BODY, {"a": "done"})
    assert runner.calls == [("verify", "a"), ("workflow", "b")]
    assert outcome.verified == [0] and rows[0][0] == "verified"
    assert rows[0][1] is not None and "verify: found it done" in rows[0][1] and "no outcome recorded" in rows[0][1]
    assert told == [] and outcome.ok


def test_a_row_verify_finds_not_done_is_run_again(tmp_path: Path) -> None:
    (outcome, rows, _), runner = resume(tmp_path, FRONT + VERIFY + BODY, {"a": "not done", "b": "done"})
    assert runner.calls == [("verify", "a"), ("workflow", "a"), ("workflow", "b")]
    assert rows[0][0] == "succeeded" and outcome.ok


def test_a_row_whose_check_cannot_look_is_looked_at_again_then_set_aside_with_the_reason(tmp_path: Path) -> None:
    (outcome, rows, told), runner = resume(tmp_path, FRONT + VERIFY + BODY, {"a": "cannot open"})
    assert runner.calls == [("verify", "a")] * 3 + [("workflow", "b")]
    assert runner.waits == [2.0, 4.0]  # doubled between looks
    assert rows[0][0] == "set_aside" and rows[0][1] is not None and "could not look" in rows[0][1]
    assert "looked 3 times" in rows[0][1]
    assert [item.row for item in told] == [0] and not outcome.ok
    events = runner.store.get_run(told[0].run_id or "").events
    assert [(e.kind, e.data["row"]) for e in events] == [("row_set_aside", 1)]
    assert "could not look" in events[0].data["reason"]


def test_without_verify_a_row_that_may_be_done_is_set_aside(tmp_path: Path) -> None:
    (_, rows, told), runner = resume(tmp_path, FRONT + BODY, {})
    assert runner.calls == [("workflow", "b")]
    assert rows[0][0] == "set_aside" and "no verify: steps" in (rows[0][1] or "")
    assert told[0].reason == rows[0][1]


def test_a_row_with_no_intent_runs_again_from_its_start(tmp_path: Path) -> None:
    (outcome, rows, _), runner = resume(tmp_path, FRONT + VERIFY + BODY, {}, with_intent=False)
    assert runner.calls == [("workflow", "a"), ("workflow", "b")]
    assert outcome.ok and rows[0][0] == "succeeded"


def test_a_check_that_could_not_look_once_decides_on_the_next_look(tmp_path: Path) -> None:
    """A look that failed before its last step (the page not up in time) decided nothing: look again."""
    says: dict[str, str | list[str]] = {"a": ["cannot open", "done"]}
    (outcome, rows, told), runner = resume(tmp_path, FRONT + VERIFY + BODY, says)
    assert runner.calls == [("verify", "a"), ("verify", "a"), ("workflow", "b")]
    assert rows[0][0] == "verified" and outcome.verified == [0] and told == [] and outcome.ok


def test_a_look_the_policy_refused_is_not_tried_again(tmp_path: Path) -> None:
    (_, rows, told), runner = resume(tmp_path, FRONT + VERIFY + BODY, {"a": "blocked"})
    assert runner.calls == [("verify", "a"), ("workflow", "b")] and runner.waits == []
    assert rows[0][0] == "set_aside" and "verify step 1 blocked" in (rows[0][1] or "")
    assert [item.row for item in told] == [0]


def test_a_check_stopped_on_request_is_made_again_when_the_batch_resumes(tmp_path: Path) -> None:
    (outcome, rows, told), runner = resume(tmp_path, FRONT + VERIFY + BODY, {"a": "stopped"})
    assert runner.calls == [("verify", "a")]  # the batch stops there: b does not run
    assert rows[0][0] == "failed" and "checked again when the batch resumes" in (rows[0][1] or "")
    assert told == [] and outcome.set_aside == [] and not outcome.ok
    (outcome, rows, _), runner = resume(tmp_path, FRONT + VERIFY + BODY, {"a": "done"}, again=True)
    assert runner.calls == [("verify", "a"), ("workflow", "b")]
    assert rows[0][0] == "verified" and rows[1][0] == "succeeded"


def test_a_last_step_that_could_not_read_the_app_is_no_answer(tmp_path: Path) -> None:
    """The browser gone during the last step is not "not done": running the row then could send it twice."""
    says: dict[str, str | list[str]] = {"a": ["gone at the end", "done"]}
    (_, rows, told), runner = resume(tmp_path, FRONT + VERIFY + BODY, says)
    assert runner.calls == [("verify", "a"), ("verify", "a"), ("workflow", "b")]
    assert rows[0][0] == "verified" and told == []
