"""What a run and each of its steps came to: the run object every surface prints (`to_json`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deskhand.runner.steps import Resolution


@dataclass
class StepOutcome:
    n: int
    sentence: str
    status: str
    ms: float
    healed: bool = False
    reason: str | None = None
    resolutions: list[Resolution] = field(default_factory=list)
    error: dict[str, Any] | None = None
    source: str = "language"
    heals: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 1
    # Failed with an answer about the screen (a LocatorError: not there, not as expected), not for want of
    # a look (the app gone or not answering): only such a failure of a verify: step says "not done".
    screen_answer: bool = False
    # The values its `Read ... as <name>` took, by name.
    read: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "sentence": self.sentence,
            "status": self.status,
            "ms": round(self.ms, 1),
            "healed": self.healed,
            "reason": self.reason,
            "heals": self.heals,
            "attempts": self.attempts,
            "read": self.read,
        }


@dataclass
class RunOutcome:
    run_id: str
    status: str
    steps: list[StepOutcome]
    error: dict[str, Any] | None = None
    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    report: str = ""
    workflow: str = ""
    batch_id: str | None = None
    # When the run began and ended, as its record says.
    started_at: str | None = None
    finished_at: str | None = None

    @property
    def read(self) -> dict[str, object]:
        """What the run's Read steps took, by name (a later read of the same name wins, as in the run)."""
        return {name: value for step in self.steps for name, value in step.read.items()}

    def to_json(self) -> dict[str, Any]:
        """The run object every surface prints: `run --json`, `runs list/show --json`, the console's API."""
        return {
            "run_id": self.run_id,
            "status": self.status,
            "workflow": self.workflow,
            "batch_id": self.batch_id,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "steps": [s.to_json() for s in self.steps],
            "read": self.read,
            "model_calls": self.model_calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "report": self.report,
            "error": self.error,
        }
