"""Checking a batch row that may already be done: its run recorded an intent before an irreversible action
and ended (or died) without finishing the row. The workflow's `verify:` steps look; the last one decides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from deskhand.runner.run import Runner
from deskhand.workflows.model import Schedule, Workflow


class Intent(Protocol):
    @property
    def run_id(self) -> str: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """``done``: True (already done, do not run it again), False (not done: run it), None (cannot tell)."""

    done: bool | None
    reason: str
    run_id: str | None = None


def verify_row(
    runner: Runner,
    workflow: Workflow,
    inputs: Mapping[str, object],
    intents: Sequence[Intent],
    *,
    batch_id: str,
    row: int,
) -> Verdict:
    what = "; ".join(intent.describe() for intent in intents)
    if not workflow.verify:
        return Verdict(
            None,
            f"an earlier run may have done it ({what}), and the workflow has no verify: steps to check; "
            "look in the app, then mark the row done or run it again",
        )
    # The check acts under the workflow's apps and sites, with nothing approved in advance: it only looks.
    check = replace(
        workflow,
        name=f"{workflow.name} (verify)",
        steps=workflow.verify,
        confirm=(),
        preapproved=(),
        verify=(),
        schedule=Schedule(),
    )
    outcome = runner.run(check, inputs, batch_id=batch_id, row=row, kind="verify", use_lock=False)
    if outcome.status == "succeeded":
        return Verdict(True, f"verify: found it done ({what})", outcome.run_id)
    last = outcome.steps[-1] if outcome.steps else None
    if last is not None and last.n == len(workflow.verify) and last.status == "failed":
        return Verdict(False, f"verify: not done: {last.reason}", outcome.run_id)
    where = f"verify step {last.n} {last.status}: {last.reason}" if last is not None else outcome.status
    return Verdict(None, f"verify: could not look ({where}); an earlier run may have done it ({what})", outcome.run_id)
