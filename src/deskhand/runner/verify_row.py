"""Checking a batch row that may already be done: its run recorded an intent before an irreversible action
and ended (or died) without finishing the row. The workflow's `verify:` steps look; the last one decides.

Only a look that got to its last step decides, and that step decides "not done" only by an answer about
the screen (not there, not as expected). A look that failed before it (the page did not load in time, the
browser was busy with what a killed process left behind, the app was not up yet), or whose last step could
not read the app at all (the browser gone or not answering), decided nothing; and looking does nothing to
the app, so the check is run again, with waits that double, before the row is set aside as undecidable.
A look the policy refused is not tried again (the policy will answer the same), and a look stopped on
request (the kill switch) leaves the row to be checked when the batch resumes: an interrupted check is no
answer either way.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from deskhand.runner.run import Runner, RunOutcome
from deskhand.workflows.model import Schedule, Workflow

# Looks at a row before it is set aside, and the wait before the second (doubled before each later one);
# a workflow's `retries:` may ask for more.
VERIFY_LOOKS = 3
VERIFY_WAIT_S = 2.0


class Intent(Protocol):
    @property
    def run_id(self) -> str: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """``done``: True (already done, do not run it again), False (not done: run it), None (cannot tell).
    ``interrupted``: the check was stopped on request before it decided (the row is checked on resume)."""

    done: bool | None
    reason: str
    run_id: str | None = None
    interrupted: bool = False


def verify_row(
    runner: Runner,
    workflow: Workflow,
    inputs: Mapping[str, object],
    intents: Sequence[Intent],
    *,
    batch_id: str,
    row: int,
    sleep: Callable[[float], None] = time.sleep,
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
    looks = max(VERIFY_LOOKS, workflow.retries.attempts)
    wait = workflow.retries.backoff_s or VERIFY_WAIT_S
    for look in range(1, looks + 1):
        outcome = runner.run(check, inputs, batch_id=batch_id, row=row, kind="verify", use_lock=False)
        verdict, again = _judge(outcome, len(workflow.verify), what)
        if not again:
            return verdict
        if look < looks:
            sleep(wait * 2 ** (look - 1))
    return replace(verdict, reason=f"{verdict.reason}; looked {looks} times")


def _judge(outcome: RunOutcome, last_n: int, what: str) -> tuple[Verdict, bool]:
    """The verdict of one look, and whether looking again may tell more."""
    if outcome.status == "succeeded":
        return Verdict(True, f"verify: found it done ({what})", outcome.run_id), False
    last = outcome.steps[-1] if outcome.steps else None
    if outcome.status == "stopped":
        reason = "verify: stopped on request before it decided; checked again when the batch resumes"
        return Verdict(None, reason, outcome.run_id, interrupted=True), False
    if last is not None and last.n == last_n and last.status == "failed" and last.screen_answer:
        return Verdict(False, f"verify: not done: {last.reason}", outcome.run_id), False
    where = f"verify step {last.n} {last.status}: {last.reason}" if last is not None else outcome.status
    reason = f"verify: could not look ({where}); an earlier run may have done it ({what})"
    return Verdict(None, reason, outcome.run_id), last is None or last.status != "blocked"
