"""The recording as a workflow file: front matter (name, a description to fill in, the apps used) and the
numbered steps, each checked step as a sentence and each doubtful one followed by a comment saying why."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import yaml

from deskhand.app.recording.step import RecordedStep, slug

_WORDS = re.compile(r"[^a-z0-9]+")


def with_inputs(steps: Sequence[RecordedStep], names: Sequence[str]) -> tuple[list[RecordedStep], list[str]]:
    """Each typed value whose field's label is one of ``names`` (as a slug: ``email`` for "E-mail") becomes
    ``{name}``; returns the steps and the names that were found (a name no field had is left out)."""
    wanted = {_key(n): slug(n) for n in names if slug(n)}
    out: list[RecordedStep] = []
    found: list[str] = []
    for step in steps:
        name = wanted.get(_key(step.target)) if step.kind == "type_text" and not step.secret else None
        if name is not None:
            step = replace(step, input=name)
            found += [] if name in found else [name]
        out.append(step)
    return out, found


def _key(label: str) -> str:
    return slug(label).replace("_", "")


def workflow_text(
    name: str, steps: Sequence[RecordedStep], apps: Sequence[str], *, partial: str = "", inputs: Sequence[str] = ()
) -> str:
    """The Markdown workflow; ``partial`` (why the recording is incomplete) marks it as such; typed values of
    fields named in ``inputs`` become inputs."""
    steps, declared = with_inputs(steps, inputs)
    front: dict[str, object] = {
        "name": _WORDS.sub("-", name.casefold()).strip("-") or "recorded",
        "description": "Partial recording: " + partial if partial else "Recorded by deskhand; say what it does.",
        "apps": list(apps),
    }
    if declared:
        front["inputs"] = {n: {"type": "string", "required": True} for n in declared}
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
