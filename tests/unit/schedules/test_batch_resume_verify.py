"""A resumed batch and its rows that may already be done: with no intent a row simply runs again; with one,
the workflow's `verify:` steps decide (done → verified, not done → run, cannot tell → set aside with why)."""

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
    """Records runs in the real store; ``verify_says`` picks how each check ends (by row name)."""

    store: RunStore
    intents: IntentLog
    verify_says: Mapping[str, str]
    calls: list[tuple[str, str]] = field(default_factory=list)

    def run(self, workflow: Workflow, inputs: Mapping[str, object], **kw: Any) -> RunOutcome:
        kind = kw.get("kind", "workflow")
        name = str(inputs["name"])
        self.calls.append((kind, name))
        run_id = self.store.start_run(workflow.path, workflow.name, inputs, kw["batch_id"], kw["row"], kind=kind)
        if kind == "verify":
            said = self.verify_says[name]
            n = {"done": 2, "not done": 2, "cannot open": 1}[said]
            status = "succeeded" if said == "done" else "failed"
            self.store.finish_run(run_id, status)
            step = StepOutcome(n, workflow.steps[n - 1].sentence, status, 1.0, reason=None if said == "done" else said)
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


def resume(tmp_path: Path, text: str, says: dict[str, str], *, with_intent: bool = True) -> tuple[Any, FakeRunner]:
    store = RunStore(tmp_path / "runs.db")
    intents = IntentLog(store.path)
    workflow = parse_workflow(text, str(tmp_path / "rec.md"))
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


def test_a_row_whose_check_cannot_look_is_set_aside_with_the_reason(tmp_path: Path) -> None:
    (outcome, rows, told), runner = resume(tmp_path, FRONT + VERIFY + BODY, {"a": "cannot open"})
    assert runner.calls == [("verify", "a"), ("workflow", "b")]
    assert rows[0][0] == "set_aside" and rows[0][1] is not None and "could not look" in rows[0][1]
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
