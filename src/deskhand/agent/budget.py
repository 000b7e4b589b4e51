"""Budgets for the agent: model calls, tokens, seconds and dollars, per step and per run."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from deskhand.errors import BudgetExceeded
from deskhand.models.messages import ModelReply


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits on one scope (a step or a run); ``None`` means no limit on that measure."""

    model_calls: int | None = None
    tokens: int | None = None
    seconds: float | None = None
    cost_usd: float | None = None


STEP_BUDGET = Budget(model_calls=25, tokens=200_000, seconds=300.0, cost_usd=1.0)
RUN_BUDGET = Budget(model_calls=200, tokens=2_000_000, seconds=3600.0, cost_usd=10.0)


@dataclass
class Spend:
    """What a scope has used so far; ``started`` is a ``time.monotonic()`` reading."""

    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    started: float = field(default_factory=time.monotonic)

    def add(self, reply: ModelReply) -> None:
        self.model_calls += 1
        self.input_tokens += reply.usage.input_tokens
        self.output_tokens += reply.usage.output_tokens
        self.cost_usd += reply.cost_usd

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def check(self, budget: Budget, scope: str, now: float | None = None) -> None:
        """Raise BudgetExceeded, naming the measure, when the next model call would go past ``budget``."""
        elapsed = (time.monotonic() if now is None else now) - self.started
        over: tuple[str, str] | None = None
        if budget.model_calls is not None and self.model_calls >= budget.model_calls:
            over = (f"{self.model_calls} model calls", f"model_calls={budget.model_calls}")
        elif budget.tokens is not None and self.tokens >= budget.tokens:
            over = (f"{self.tokens} tokens", f"tokens={budget.tokens}")
        elif budget.seconds is not None and elapsed >= budget.seconds:
            over = (f"{elapsed:.0f} s", f"seconds={budget.seconds:g}")
        elif budget.cost_usd is not None and self.cost_usd >= budget.cost_usd:
            over = (f"${self.cost_usd:.4f}", f"cost_usd={budget.cost_usd:g}")
        if over is not None:
            used, limit = over
            raise BudgetExceeded(
                f"The {scope} budget ran out: {used} used (limit {limit}).",
                hint=f"Raise the {scope} budget, or write the step more precisely so it needs fewer turns.",
            )
