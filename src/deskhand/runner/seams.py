"""What the runner needs from outside and gives to it: the launcher that starts apps, the recorder that keeps the
run, the solver for free-form steps, and the step facts the policy judges by (:mod:`deskhand.runner.run`
uses them; app/ supplies the concrete classes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from deskhand.runner.steps import Resolution, StepContext
from deskhand.workflows.model import Step, Workflow


class Launcher(Protocol):
    """Starts apps and pages on the run's desktop; returns the app name the desktop will show."""

    def open_app(self, name: str) -> str: ...

    def open_url(self, url: str, browser: str = "") -> str: ...


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

    def run_times(self, run_id: str) -> tuple[str, str | None]:
        """When the run began and ended, as recorded."""
        ...


@dataclass(frozen=True)
class StepInfo:
    """What the policy layer needs to judge an action: which run and step it belongs to."""

    run_id: str
    workflow: Workflow
    step: Step

    @property
    def preapproved(self) -> bool:
        return self.workflow.is_preapproved(self.step)

    @property
    def needs_confirmation(self) -> bool:
        return self.workflow.needs_confirmation(self.step)


class FreeFormSolver(Protocol):
    """Carries out a sentence outside the step language (a model does); returns the concrete actions it took,
    which the lock records so the next run replays them with no model."""

    def solve(self, step: Step, ctx: StepContext, info: StepInfo) -> list[Resolution]: ...

    @property
    def calls(self) -> int:
        """Model calls made so far (over the solver's life)."""
        ...

    @property
    def tokens(self) -> tuple[int, int]:
        """Input and output tokens used so far."""
        ...
