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
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

from deskhand.backends.base import Backend
from deskhand.errors import (
    BackendError,
    DeskhandError,
    HealNeedsReview,
    LocatorError,
    PolicyError,
    RunStopped,
    WorkflowError,
)
from deskhand.locate.desktop import Desktop
from deskhand.runner.diagnose import diagnose
from deskhand.runner.heal import Heal
from deskhand.runner.outcomes import RunOutcome, StepOutcome
from deskhand.runner.repair import filled_forms, locked_fingerprint, repair_step, workflow_file_facts
from deskhand.runner.retry import ActingCounter, transient
from deskhand.runner.run_lock import lock_of
from deskhand.runner.screen_marks import mark_screen_targets
from deskhand.runner.seams import FreeFormSolver, Launcher, Recorder, StepInfo
from deskhand.runner.steps import Resolution, StepContext, StepRunner
from deskhand.tree.snapshot import RefTable, render
from deskhand.workflows.interpolate import secret_names_in
from deskhand.workflows.lock import LockedStep, lock_path, read_lock, write_lock
from deskhand.workflows.model import Step, Workflow

# The outcomes live in outcomes.py, the seams in seams.py; importers know them from here too.
__all__ = ["FreeFormSolver", "Launcher", "Recorder", "RunOutcome", "Runner", "StepInfo", "StepOutcome", "lock_path_for"]


def lock_path_for(workflow: Workflow) -> Path:
    return lock_path(workflow.path)


def _open_url(launcher: Launcher, default_browser: str, url: str, browser: str) -> str:
    """ "In the browser" means the workflow's `browser:` (Chromium when it names none)."""
    return launcher.open_url(url, browser or default_browser)


@dataclass
class Runner:
    desktop: Desktop
    launcher: Launcher
    recorder: Recorder
    timeout: float = 10.0
    capture: bool = True
    should_stop: Callable[[], bool] = lambda: False
    stop_reason: Callable[[], str] = lambda: ""  # who stopped it and why, said in the run's error
    free_form: FreeFormSolver | None = None
    # Told before each step starts, so the policy guard knows which step an input event belongs to.
    on_step: Callable[[StepInfo], None] = lambda info: None
    # Asked before an irreversible step acts on an element found only by the lock's fingerprint.
    approve_heal: Callable[[Heal], bool] = lambda heal: False
    # Told when a run has ended and is recorded (notices); must not raise, and must not wait on the network.
    on_finish: Callable[[str, Workflow], object] = lambda run_id, workflow: None
    sleep: Callable[[float], None] = time.sleep

    def run(
        self,
        workflow: Workflow,
        inputs: Mapping[str, object],
        *,
        batch_id: str | None = None,
        row: int | None = None,
        use_lock: bool = True,
        repair: bool = False,
        kind: str = "workflow",
    ) -> RunOutcome:
        """Run ``workflow``. ``repair``: a failed reversible step whose first suggestion checks out on screen
        is carried out with that suggestion (marked healed, for review); the run stops at the first step
        that needs a person. ``kind="verify"``: a workflow's `verify:` steps, which never touch its lock."""
        run_id = self.recorder.start_run(
            workflow.path, workflow.name, dict(inputs), batch_id=batch_id, row=row, kind=kind
        )
        use_lock = use_lock and kind == "workflow"
        self.recorder.record_event(run_id, None, "workflow_file", workflow_file_facts(workflow.path))
        # Steps act through a counter, so a retry can prove the failed try sent nothing to an app.
        self._acting = ActingCounter(self.desktop.backend)
        ctx = StepContext(
            desktop=Desktop(cast(Backend, self._acting), timeout=self.desktop.timeout),
            values=dict(inputs),
            open_app=self.launcher.open_app,
            open_url=partial(_open_url, self.launcher, workflow.browser),
            timeout=self.timeout,
            approve_heal=self.approve_heal,
        )
        usage_before = self._usage()
        lock = read_lock(lock_path_for(workflow)) if use_lock else None
        locked = {s.sentence_hash: s for s in lock.steps} if lock is not None else {}
        runner = StepRunner(ctx)
        refs = RefTable()
        outcomes: list[StepOutcome] = []
        error: dict[str, Any] | None = None
        status = "succeeded"
        try:
            for step in workflow.steps:
                if self.should_stop():
                    said = self.stop_reason() or "Stopped on request."
                    status, error = "stopped", {"step": step.n, "message": said, "suggestion": None}
                    break
                outcome = self._run_step(run_id, workflow, step, runner, locked, refs, outcomes, repair)
                outcomes.append(outcome)
                if outcome.status != "succeeded":
                    status = "stopped" if outcome.status == "stopped" else "failed"
                    error = outcome.error
                    break
        except BaseException as crash:
            # Never leave a run "running" behind: a crash (or Ctrl-C) ends it, then goes on up.
            ended = "stopped" if isinstance(crash, KeyboardInterrupt) else "failed"
            with suppress(Exception):
                self.recorder.finish_run(run_id, ended, {"message": _ended_by(crash)})
            raise
        if status == "succeeded" and kind == "workflow":
            write_lock(lock_path_for(workflow), lock_of(workflow, outcomes))
        self.recorder.finish_run(run_id, status, error)
        if kind == "workflow":  # a check that finds a row not done is no failure to tell anyone about
            with suppress(Exception):
                self.on_finish(run_id, workflow)
        calls, (tokens_in, tokens_out) = self._usage()
        started_at, finished_at = self.recorder.run_times(run_id)
        return RunOutcome(
            run_id,
            status,
            outcomes,
            error,
            model_calls=calls - usage_before[0],
            input_tokens=tokens_in - usage_before[1][0],
            output_tokens=tokens_out - usage_before[1][1],
            workflow=workflow.name,
            batch_id=batch_id,
            started_at=started_at,
            finished_at=finished_at,
        )

    def _usage(self) -> tuple[int, tuple[int, int]]:
        if self.free_form is None:
            return 0, (0, 0)
        return self.free_form.calls, self.free_form.tokens

    def _run_step(
        self,
        run_id: str,
        workflow: Workflow,
        step: Step,
        runner: StepRunner,
        locked: Mapping[str, LockedStep],
        refs: RefTable,
        earlier: list[StepOutcome],
        repair: bool,
    ) -> StepOutcome:
        self.recorder.start_step(run_id, step.n, step.sentence)
        info = StepInfo(run_id, workflow, step)
        self.on_step(info)
        # Text a model types in this step may use only the secrets the step's own words name.
        runner.ctx.step_secrets = frozenset(secret_names_in(" ".join((step.sentence, *step.details))))
        started = time.perf_counter()
        prior = locked.get(workflow.step_hash(step))
        replay = (
            [Resolution(a.kind, a.selector, a.value, dict(a.fingerprint)) for a in prior.actions] if prior else None
        )
        outcome = StepOutcome(step.n, step.sentence, "succeeded", 0.0)
        outcome.source = prior.source if prior is not None else ("language" if step.action else "model")
        heals_before, reads_before = len(runner.ctx.heals), len(runner.ctx.reads)
        try:
            outcome.resolutions, outcome.healed = self._tries(run_id, step, runner, replay, info, outcome)
            if step.action is None:
                outcome.source = "model"
        except RunStopped as stop:
            outcome.status, outcome.reason = "stopped", stop.message
            outcome.error = {"step": step.n, "message": stop.message, "suggestion": None}
        except PolicyError as refused:
            outcome.status, outcome.reason = "blocked", refused.message
            outcome.error = {
                "step": step.n,
                "message": f"Step {step.n} was blocked: {refused.message}",
                "suggestion": None,
                "hint": refused.hint,
            }
            self.recorder.record_event(run_id, step.n, "blocked", {"reason": refused.message})
        except DeskhandError as failure:
            outcome.status, outcome.reason = "failed", failure.message
            outcome.screen_answer = isinstance(failure, LocatorError)
            outcome.error = diagnose(
                step,
                failure,
                self.desktop,
                runner.ctx.current_app,
                fingerprint=locked_fingerprint(prior),
                filled_forms=filled_forms(r for o in earlier for r in o.resolutions),
            )
            if outcome.error.get("candidates") or outcome.error.get("suggestions"):
                diagnosis = {k: outcome.error.get(k) for k in ("candidates", "suggestions", "evidence")}
                self.recorder.record_event(run_id, step.n, "diagnosis", diagnosis)
            if repair and not isinstance(failure, HealNeedsReview):
                repaired = repair_step(step, outcome.error, runner)
                if repaired is not None:
                    outcome.status, outcome.reason, outcome.error = "succeeded", None, None
                    outcome.resolutions, outcome.healed = repaired
        except BaseException as crash:
            ended = "stopped" if isinstance(crash, KeyboardInterrupt) else "failed"
            with suppress(Exception):
                ms = round((time.perf_counter() - started) * 1000)
                self.recorder.finish_step(run_id, step.n, ended, ms, reason=_ended_by(crash))
            raise
        for heal in runner.ctx.heals[heals_before:]:
            evidence = {**heal.evidence(), "step": step.n, "sentence": step.sentence}
            evidence["status"] = "applied" if outcome.status == "succeeded" else "needs_person"
            outcome.heals.append(evidence)
            self.recorder.record_event(run_id, step.n, "healed", evidence)
        if outcome.status == "succeeded":
            for name, value in runner.ctx.reads[reads_before:]:
                outcome.read[name] = value
                self.recorder.record_event(run_id, step.n, "read", {"name": name, "value": value})
        outcome.ms = (time.perf_counter() - started) * 1000
        shot, text = self._capture(runner.ctx.current_app, refs)
        shot = mark_screen_targets(shot, outcome.resolutions)
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
        return outcome

    def _tries(
        self,
        run_id: str,
        step: Step,
        runner: StepRunner,
        replay: list[Resolution] | None,
        info: StepInfo,
        outcome: StepOutcome,
    ) -> tuple[list[Resolution], bool]:
        """Carry out the step; a passing failure before anything was sent is tried again per `retries:`."""
        policy = info.workflow.retries
        while True:
            acted_before = self._acting.acted
            try:
                return self._carry_out(step, runner, replay, info)
            except (PolicyError, HealNeedsReview):
                raise
            except DeskhandError as failure:
                acted = self._acting.acted != acted_before
                again = outcome.attempts < policy.attempts and transient(failure) and not acted
                wait = policy.backoff_s * 2 ** (outcome.attempts - 1)
                attempt = {
                    "attempt": outcome.attempts,
                    "error": type(failure).__name__,
                    "message": failure.message,
                    "acted": acted,
                    "retry": again,
                    "wait_s": wait if again else None,
                }
                if policy.attempts > 1:
                    self.recorder.record_event(run_id, step.n, "attempt", attempt)
                if not again or self.should_stop():
                    raise
            self.sleep(wait)
            outcome.attempts += 1

    def _carry_out(
        self, step: Step, runner: StepRunner, replay: list[Resolution] | None, info: StepInfo
    ) -> tuple[list[Resolution], bool]:
        """Step language: run the sentence (with the lock's selectors). Free form: replay what the model did
        last time; only if that no longer fits the screen, ask the model again (the step is then healed)."""
        if step.action is not None:
            return runner.run(step.action, replay)
        if replay:
            try:
                return runner.replay(replay), False
            except (LocatorError, BackendError):
                if self.free_form is None:
                    raise
                return self.free_form.solve(step, runner.ctx, info), True
        if self.free_form is None:
            raise WorkflowError(
                f"Step {step.n} is not in the step language and no model is configured.",
                file=info.workflow.path,
                line=step.line,
                hint="Rewrite it in the step language, or set DESKHAND_MODEL to let a model do it.",
            )
        return self.free_form.solve(step, runner.ctx, info), False

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


def _ended_by(crash: BaseException) -> str:
    """What the run's record says when something other than a step's outcome ended it."""
    if isinstance(crash, KeyboardInterrupt):
        return "Interrupted (Ctrl-C twice, or SIGINT) before the step finished; what it sent is not known."
    return f"deskhand crashed: {crash!r}"
