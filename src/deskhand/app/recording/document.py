"""The recording as a workflow file: front matter (name, a description to fill in, the apps used) and the
numbered steps, each checked step as a sentence and each doubtful one followed by a comment saying why."""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from deskhand.app.recording.step import RecordedStep

_WORDS = re.compile(r"[^a-z0-9]+")


def workflow_text(name: str, steps: Sequence[RecordedStep], apps: Sequence[str], *, partial: str = "") -> str:
    """The Markdown workflow; ``partial`` (why the recording is incomplete) marks it as such."""
    front: dict[str, object] = {
        "name": _WORDS.sub("-", name.casefold()).strip("-") or "recorded",
        "description": "Partial recording: " + partial if partial else "Recorded by deskhand; say what it does.",
        "apps": list(apps),
    }
    if secrets_used(steps):
        front["secrets"] = secrets_used(steps)
    lines = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True).rstrip(), "---"]
    if partial:
        lines += ["", f"This recording is partial: {partial}"]
    lines.append("")
    for number, step in enumerate(steps, 1):
        lines.append(f"{number}. {step.sentence()}")
        if step.note:
            lines.append(f"   <!-- {step.note.replace('--', '—')} -->")
    return "\n".join(lines).rstrip() + "\n"


def secrets_used(steps: Sequence[RecordedStep]) -> list[str]:
    return sorted({s.secret for s in steps if s.secret})
