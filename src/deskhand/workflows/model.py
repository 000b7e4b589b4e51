"""A parsed workflow: its declared inputs, policy, limits and numbered steps. Immutable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from deskhand.workflows.actions import READS, StepAction
from deskhand.workflows.sentences import same_sentence, sentence_hash

InputType = Literal["string", "number", "date", "bool", "enum"]
INPUT_TYPES: tuple[InputType, ...] = ("string", "number", "date", "bool", "enum")

if TYPE_CHECKING:
    from deskhand.workflows.when import When

_NO_LINES: Mapping[str, int] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One declared input. ``default`` is already of the input's type (int/float, date, bool, str)."""

    type: InputType = "string"
    required: bool = False
    default: object = None
    choices: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True, slots=True)
class Limits:
    """Budgets for one run; ``None`` means no limit from the workflow (settings may still set one)."""

    max_steps: int | None = None
    max_minutes: float | None = None
    max_spend_usd: float | None = None


@dataclass(frozen=True, slots=True)
class Retries:
    """How often a step that failed for a passing reason (app not up yet, window gone, browser crashed) is
    tried in all, and the wait before the second try (doubled before each later one)."""

    attempts: int = 1
    backoff_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Schedule:
    """``schedule:``: when the workflow runs unattended, and what happens to firings missed while the machine
    was off (``run``: once, for all of them; ``skip``: none) — reported either way."""

    whens: tuple[When, ...] = ()
    missed: str = "run"


@dataclass(frozen=True, slots=True)
class Step:
    """One numbered step. ``action`` is ``None`` for a free-form sentence, which needs a model."""

    n: int
    sentence: str
    line: int
    details: tuple[str, ...] = ()
    action: StepAction | None = None

    @property
    def free_form(self) -> bool:
        return self.action is None


@dataclass(frozen=True, slots=True)
class StepRef:
    """A step named in the front matter, by its number or by its sentence."""

    number: int | None = None
    sentence: str | None = None

    def matches(self, step: Step) -> bool:
        if self.number is not None:
            return step.n == self.number
        return self.sentence is not None and same_sentence(self.sentence, step.sentence)

    def __str__(self) -> str:
        return str(self.number) if self.number is not None else repr(self.sentence)


@dataclass(frozen=True, slots=True)
class Workflow:
    """A workflow file, parsed and checked. ``lines`` maps front-matter keys (``inputs.name``,
    ``confirm.0``) to their line in the file, for error messages raised later (e.g. by the runner)."""

    name: str
    steps: tuple[Step, ...]
    description: str = ""
    inputs: Mapping[str, InputSpec] = field(default_factory=lambda: MappingProxyType({}))
    apps: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    confirm: tuple[StepRef, ...] = ()
    preapproved: tuple[StepRef, ...] = ()
    secrets: tuple[str, ...] = ()
    limits: Limits = Limits()
    browser: str = ""  # what "the browser" means: chromium (also when empty) or firefox
    notify: tuple[str, ...] = ()  # apprise URLs told when a run fails, is blocked, waits or heals
    retries: Retries = Retries()
    schedule: Schedule = Schedule()
    # Steps that tell whether this row's irreversible action already happened (the last one decides).
    verify: tuple[Step, ...] = ()
    path: str = "<string>"
    lines: Mapping[str, int] = field(default_factory=lambda: _NO_LINES)

    def step(self, n: int) -> Step:
        """Step number ``n`` (1-based)."""
        return self.steps[n - 1]

    def step_hash(self, step: Step) -> str:
        """The key of a step in the lock file: changes when its sentence or details change."""
        return sentence_hash(step.sentence, step.details)

    def needs_confirmation(self, step: Step) -> bool:
        """Whether the workflow asks for a person's go-ahead before this step."""
        return any(ref.matches(step) for ref in self.confirm)

    def is_preapproved(self, step: Step) -> bool:
        """Whether the author approved this step in advance (it will not stop for approval)."""
        return any(ref.matches(step) for ref in self.preapproved)

    def reads_before(self, step: Step) -> tuple[str, ...]:
        """Names that ``Read … as name`` steps before ``step`` define."""
        return tuple(s.action.name for s in self.steps[: step.n - 1] if isinstance(s.action, READS))

    def line_of(self, key: str) -> int:
        """The file line of a front-matter key, or 1 when it is not there."""
        return self.lines.get(key, 1)
