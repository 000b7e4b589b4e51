"""Notices of running unattended that are not about one run's steps: a batch row set aside because nobody
can tell whether its irreversible action happened, and scheduled runs missed while deskhand was not running."""

from __future__ import annotations

from collections.abc import Sequence

from deskhand.notices.message import Message, Scrub, console_link


def set_aside_message(
    workflow: str, batch_id: str, row: int, reason: str, run_id: str, console_url: str, scrub: Scrub
) -> Message:
    lines = [
        f"Workflow: {workflow}",
        f"Status: row {row + 1} of batch {batch_id} set aside for a person",
        f"Why: {reason}",
        f"Run: {run_id}",
        "Check the row in the app; then run it by hand or leave it done.",
        f"Console: {console_link(console_url, run_id)}",
    ]
    title = f"deskhand: {workflow} row {row + 1} set aside (may already be done)"
    return Message("set_aside", None, scrub(title), scrub("\n".join(lines)), None)


def missed_message(workflow: str, schedule: str, missed: Sequence[str], policy: str, run_id: str | None) -> Message:
    what = "runs once now" if policy == "run" else "is skipped (missed: skip)"
    lines = [
        f"Workflow: {workflow}",
        f"Schedule: {schedule}",
        f"Status: {len(missed)} scheduled run(s) missed while deskhand was not running; the workflow {what}",
        "Missed: " + ", ".join(missed[:10]) + (f" and {len(missed) - 10} more" if len(missed) > 10 else ""),
    ]
    if run_id:
        lines.append(f"Run: {run_id}")
    title = f"deskhand: {workflow} missed {len(missed)} scheduled run(s)"
    return Message("missed", None, title, "\n".join(lines), None)
