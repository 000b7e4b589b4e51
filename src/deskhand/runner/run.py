"""Running a workflow: step by step, recorded, replayed from the lock where it still fits.

For each step: is it in the lock with the same sentence? Replay the locked selectors (a check of each
element's fingerprint first; a mismatch re-resolves that step and marks it healed). Otherwise resolve the
sentence through the step language. After each step: a screenshot and the snapshot text go to the run's
artifacts. A failure stops the run with a diagnosis: the step, what was looked for, the nearest candidates,
and one rewrite of the sentence that would match what is on screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from deskhand.errors import AmbiguousMatch, DeskhandError, NoMatch, RunStopped
from deskhand.locate.desktop import Desktop
from deskhand.runner.diagnose import diagnose
from deskhand.runner.steps import Resolution, StepContext, StepRunner
from deskhand.tree.snapshot import RefTable, render
from deskhand.workflows.lock import Lock, LockedAction, LockedStep, lock_path, read_lock, write_lock
from deskhand.workflows.model import Step, Workflow


class Launcher(Protocol):
    """Starts apps and pages on the run's desktop; returns the app name the desktop will show."""

    def open_app(self, name: str) -> str: ...

    def open_url(self, url: str) -> str: ...


class Recorder(Protocol):
    """Where a run is recorded (deskhand.runs.store.RunStore fits)."""

    def start_run(
        self,
        workflow_path: str | Path,
        workflow_name: str,
        inputs: Mapping[str, Any],
        batch_id: str | None = None,
        row: int | None = None,
        kind: str = "workflow",
    ) -> str: ...

    def start_step(self, run_id: str, n: int, sentence: str) -> None: ...

    def finish_step(
        self,
        run_id: str,
        n: int,
        status: str,
        ms: int,
        *,
        healed: bool = False,
        reason: str | None = None,
        actions: list[dict[str, Any]] | None = None,
        snapshot_text: str | None = None,
        screenshot_png: bytes | None = None,
    ) -> None: ...

    def record_event(self, run_id: str, step: int | None, kind: str, data: Mapping[str, Any]) -> None: ...

    def finish_run(self, run_id: str, status: str, error: Mapping[str, Any] | None = None) -> None: ...


@dataclass
class StepOutcome:
    n: int
    sentence: str
    status: str
    ms: float
    healed: bool = False
    reason: str | None = None
    resolutions: list[Resolution] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "sentence": self.sentence,
            "status": self.status,
            "ms": round(self.ms, 1),
            "healed": self.healed,
            "reason": self.reason,
        }


@dataclass
class RunOutcome:
    run_id: str
    status: str
    steps: list[StepOutcome]
    error: dict[str, Any] | None = None
    model_calls: int = 0
    report: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "steps": [s.to_json() for s in self.steps],
            "model_calls": self.model_calls,
            "input_tokens": 0,
            "output_tokens": 0,
            "report": self.report,
            "error": self.error,
        }


def lock_path_for(workflow: Workflow) -> Path:
    return lock_path(workflow.path)


@dataclass
class Runner:
    desktop: Desktop
    launcher: Launcher
    recorder: Recorder
    secret: Callable[[str], str]
    timeout: float = 10.0
    capture: bool = True
    should_stop: Callable[[], bool] = lambda: False

    def run(
        self,
        workflow: Workflow,
        inputs: Mapping[str, object],
        *,
        batch_id: str | None = None,
        row: int | None = None,
        use_lock: bool = True,
    ) -> RunOutcome:
        run_id = self.recorder.start_run(workflow.path, workflow.name, dict(inputs), batch_id=batch_id, row=row)
        ctx = StepContext(
            desktop=self.desktop,
            values=dict(inputs),
            open_app=self.launcher.open_app,
            open_url=self.launcher.open_url,
            secret=self.secret,
            timeout=self.timeout,
        )
        lock = read_lock(lock_path_for(workflow)) if use_lock else None
        locked = {s.sentence_hash: s for s in lock.steps} if lock is not None else {}
        runner = StepRunner(ctx)
        refs = RefTable()
        outcomes: list[StepOutcome] = []
        error: dict[str, Any] | None = None
        status = "succeeded"
        for step in workflow.steps:
            if self.should_stop():
                status, error = "stopped", {"step": step.n, "message": "Stopped on request.", "suggestion": None}
                break
            outcome = self._run_step(run_id, workflow, step, runner, locked, refs)
            outcomes.append(outcome)
            if outcome.status != "succeeded":
                status = "failed" if outcome.status != "stopped" else "stopped"
                error = self._last_error
                break
        if status == "succeeded":
            write_lock(lock_path_for(workflow), _lock_of(workflow, outcomes, lock))
        self.recorder.finish_run(run_id, status, error)
        return RunOutcome(run_id, status, outcomes, error)

    def _run_step(
        self,
        run_id: str,
        workflow: Workflow,
        step: Step,
        runner: StepRunner,
        locked: Mapping[str, LockedStep],
        refs: RefTable,
    ) -> StepOutcome:
        self.recorder.start_step(run_id, step.n, step.sentence)
        started = time.perf_counter()
        self._last_error = None
        prior = locked.get(workflow.step_hash(step))
        replay = (
            [Resolution(a.kind, a.selector, a.value, dict(a.fingerprint)) for a in prior.actions] if prior else None
        )
        outcome = StepOutcome(step.n, step.sentence, "succeeded", 0.0)
        try:
            if step.action is None:
                raise NoMatch(
                    f"Step {step.n} is not in the step language and no model is configured.",
                    hint="Rewrite it in the step language, or set DESKHAND_MODEL to let a model do it.",
                )
            outcome.resolutions, outcome.healed = runner.run(step.action, replay)
        except RunStopped as stop:
            outcome.status, outcome.reason = "stopped", stop.message
        except DeskhandError as failure:
            outcome.status, outcome.reason = "failed", failure.message
            self._last_error = diagnose(step, failure, self.desktop, runner.ctx.current_app)
        outcome.ms = (time.perf_counter() - started) * 1000
        shot, text = self._capture(runner.ctx.current_app, refs)
        self.recorder.finish_step(
            run_id,
            step.n,
            outcome.status,
            round(outcome.ms),
            healed=outcome.healed,
            reason=outcome.reason,
            actions=[vars(r) for r in outcome.resolutions],
            snapshot_text=text,
            screenshot_png=shot,
        )
        if isinstance(self._last_error, dict) and isinstance(
            failure_candidates := self._last_error.get("candidates"), list
        ):
            self.recorder.record_event(run_id, step.n, "diagnosis", {"candidates": failure_candidates})
        return outcome

    _last_error: dict[str, Any] | None = None

    def _capture(self, app: str | None, refs: RefTable) -> tuple[bytes | None, str | None]:
        if not self.capture:
            return None, None
        try:
            shot = self.desktop.screenshot()
        except DeskhandError:
            shot = None
        text = None
        if app:
            try:
                text = render(self.desktop.snapshot(app), refs)
            except DeskhandError:
                text = None
        return shot, text


def _lockable(fingerprint: Mapping[str, Any]) -> dict[str, str | tuple[str, ...]]:
    return {k: tuple(v) if isinstance(v, list | tuple) else str(v) for k, v in fingerprint.items()}


def _lock_of(workflow: Workflow, outcomes: list[StepOutcome], previous: Lock | None) -> Lock:
    steps = []
    for step, outcome in zip(workflow.steps, outcomes, strict=False):
        actions = tuple(
            LockedAction(kind=r.kind, selector=r.selector, value=r.value, fingerprint=_lockable(r.fingerprint))
            for r in outcome.resolutions
        )
        steps.append(
            LockedStep(
                n=step.n,
                sentence=step.sentence,
                sentence_hash=workflow.step_hash(step),
                actions=actions,
                source="language",
            )
        )
    return Lock(version=1, workflow_name=workflow.name, steps=tuple(steps))


__all__ = ["AmbiguousMatch", "Launcher", "Recorder", "RunOutcome", "Runner", "StepOutcome"]
