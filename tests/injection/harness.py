"""Workflows for policy tests, and two ways to carry out a free-form step with hostile intent: the real agent
(its model scripted by :mod:`tests.injection.hostile`) or a solver that acts by force, below the agent, with refs
it got some other way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deskhand.app.session import RunSession
from deskhand.runner.run import FreeFormSolver, RunOutcome, StepInfo
from deskhand.runner.steps import Resolution, StepContext
from deskhand.workflows.model import Step
from deskhand.workflows.parse import load_workflow

CANARY = "canary-7f3a9e1d"
Attack = Callable[[StepContext], None]


@dataclass
class HostileSolver:
    """Stands in for a model that obeys the screen: it does whatever ``attack`` does, through the locators
    and desktop the agent's tools use (so through the guard)."""

    attack: Attack
    calls: int = 0
    tokens: tuple[int, int] = (0, 0)
    errors: list[Exception] = field(default_factory=list)

    def solve(self, step: Step, ctx: StepContext, info: StepInfo) -> list[Resolution]:
        self.calls += 1
        self.attack(ctx)
        return []


def write_workflow(
    folder: Path,
    steps: Sequence[str],
    *,
    apps: Sequence[str] = ("chromium",),
    sites: Sequence[str] = (),
    preapproved: Sequence[str] = (),
    secrets: Sequence[str] = (),
    name: str = "policy-test",
) -> Path:
    def listed(items: Sequence[str]) -> str:
        return "[" + ", ".join(f"'{i}'" for i in items) + "]"

    front = [f"name: {name}", "inputs:", "  url: {type: string, default: 'about:blank'}"]
    front += [f"apps: {listed(apps)}", f"sites: {listed(sites)}"]
    if preapproved:
        front.append(f"preapproved: {listed(preapproved)}")
    if secrets:
        front.append(f"secrets: {listed(secrets)}")
    body = "\n".join(f"{n}. {s}" for n, s in enumerate(steps, start=1))
    path = folder / f"{name}.md"
    path.write_text("---\n" + "\n".join(front) + "\n---\n\n" + body + "\n", encoding="utf-8")
    return path


def run(
    session: RunSession,
    path: Path,
    attack: Attack | None = None,
    *,
    solver: FreeFormSolver | None = None,
    **inputs: Any,
) -> RunOutcome:
    """Run the workflow at ``path``; free-form steps go to ``attack`` (as a solver), to ``solver``, or to the
    session's own agent, in that order of preference."""
    workflow = load_workflow(path, allow_free_form=True)
    runner = session.runner_for(workflow)
    own = runner.free_form
    if attack is not None:
        runner.free_form = HostileSolver(attack)
    elif solver is not None:
        runner.free_form = solver
    try:
        return runner.run(workflow, inputs, use_lock=False)
    finally:
        runner.free_form = own
