"""What a notice says: built from the run as the store recorded it (already redacted), scrubbed once more.

A failure notice carries the run id, workflow, status, step number, the step's sentence, what was looked
for, the nearest candidates, the suggested sentence and the console link; the step's screenshot goes as an
attachment. The text is plain so it reads the same in an email, a chat message and a JSON webhook body.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deskhand.runs.outbox import NoticeRecord
from deskhand.runs.records import RunRecord, StepRecord

Scrub = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Message:
    kind: str  # failed, blocked, waiting, healed, digest
    step: int | None
    title: str
    body: str
    attachment: Path | None


def console_link(base_url: str, run_id: str) -> str:
    return f"{base_url.rstrip('/')}/runs/{run_id}"


def failure_message(run: RunRecord, console_url: str, scrub: Scrub) -> Message:
    """A run that ended failed or blocked: the step and the diagnosis the runner recorded."""
    error: dict[str, Any] = run.error or {}
    step = _last_step(run, error.get("step"))
    status = "blocked" if step is not None and step.status == "blocked" else run.status
    lines = _head(run, status, step)
    lines.append(f"What happened: {error.get('message') or (step.reason if step else '') or status}")
    if error.get("looked_for"):
        lines.append(f"Looked for: {error['looked_for']!r}")
    candidates = [str(c) for c in error.get("candidates") or []]
    if candidates:
        lines.append("Nearest candidates: " + "; ".join(candidates))
    if error.get("suggestion"):
        lines.append(f"Suggested sentence: {error['suggestion']}")
    if error.get("hint"):
        lines.append(f"Hint: {error['hint']}")
    lines.append(f"Console: {console_link(console_url, run.run_id)}")
    n = step.n if step is not None else None
    title = f"deskhand: {run.workflow_name} {status} at step {n}" if n else f"deskhand: {run.workflow_name} {status}"
    shot = step.screenshot_path if step is not None and step.screenshot_path and step.screenshot_path.exists() else None
    return Message(status, n, scrub(title), scrub("\n".join(lines)), shot)


def healed_message(run: RunRecord, heals: Sequence[dict[str, Any]], console_url: str, scrub: Scrub) -> Message:
    """A run that healed steps: which, and what to review."""
    first = heals[0]
    step = _last_step(run, first.get("step"))
    lines = _head(run, run.status, step)
    for heal in heals:
        lines.append(
            f"Healed step {heal.get('step')} ({heal.get('status', 'applied')}): {heal.get('sentence', '')!r}"
            + (f" -> {heal['proposal']}" if heal.get("proposal") else "")
        )
    lines.append("Review with `deskhand heals` (accept into the lock or reject).")
    lines.append(f"Console: {console_link(console_url, run.run_id)}")
    title = f"deskhand: {run.workflow_name} healed {len(heals)} step(s)"
    return Message("healed", step.n if step else None, scrub(title), scrub("\n".join(lines)), None)


def waiting_message(
    run_id: str, workflow: str, step: int | None, sentence: str, request: str, console_url: str, scrub: Scrub
) -> Message:
    """A run waiting for a person's approval of an irreversible action."""
    lines = [
        f"Run: {run_id}",
        f"Workflow: {workflow}",
        "Status: waiting for approval",
        f"Step: {step}",
        f"Sentence: {sentence}",
        f"Asks: {request}",
        "Answer with `deskhand approvals`.",
        f"Console: {console_link(console_url, run_id)}",
    ]
    title = f"deskhand: {workflow} waits for approval at step {step}"
    return Message("waiting", step, scrub(title), scrub("\n".join(lines)), None)


def digest_message(held: Sequence[NoticeRecord], console_url: str) -> Message:
    """The repeats held back in a window, in one notice (their texts were scrubbed when made)."""
    first = held[0]
    lines = [
        f"Workflow: {first.workflow}",
        f"Status: {first.kind} again, {len(held)} more time(s) since the notice of {first.created_at}",
        f"Step: {first.step}",
        "Runs:",
        *(f"  {notice.run_id} at {notice.created_at}: {console_link(console_url, notice.run_id)}" for notice in held),
    ]
    title = f"deskhand digest: {first.workflow} {first.kind} {len(held)} more time(s) at step {first.step}"
    return Message("digest", first.step, title, "\n".join(lines), None)


def _head(run: RunRecord, status: str, step: StepRecord | None) -> list[str]:
    lines = [f"Run: {run.run_id}", f"Workflow: {run.workflow_name}", f"Status: {status}"]
    if step is not None:
        lines += [f"Step: {step.n}", f"Sentence: {step.sentence}"]
    return lines


def _last_step(run: RunRecord, n: object) -> StepRecord | None:
    if isinstance(n, int):
        for step in run.steps:
            if step.n == n:
                return step
    return run.steps[-1] if run.steps else None
