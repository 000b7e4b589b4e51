"""The lock a successful run writes (:mod:`deskhand.workflows.lock`): what each step acted on, replayed next time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deskhand.runner.outcomes import StepOutcome
from deskhand.workflows.lock import Lock, LockedAction, LockedStep
from deskhand.workflows.model import Workflow


def _lockable(fingerprint: Mapping[str, Any]) -> dict[str, str | tuple[str, ...]]:
    return {k: tuple(v) if isinstance(v, list | tuple) else str(v) for k, v in fingerprint.items()}


def lock_of(workflow: Workflow, outcomes: list[StepOutcome]) -> Lock:
    """The lock a successful run leaves: each step's resolved actions, by its sentence's hash."""
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
                source="model" if outcome.source == "model" else "language",
            )
        )
    return Lock(version=1, workflow_name=workflow.name, steps=tuple(steps))
