"""The recording as a workflow file: front matter (name, a description to fill in, the apps and sites used,
the inputs) and the numbered steps, each checked step as a sentence and each doubtful one followed by a comment
saying why."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

import yaml

from deskhand.app.recording.step import RecordedStep, slug

_WORDS = re.compile(r"[^a-z0-9]+")


def typed_fields(steps: Sequence[RecordedStep]) -> list[RecordedStep]:
    """The steps whose typed value could become an input (not a secret), the last one per field: what the
    interactive prompt offers."""
    by_field: dict[str, RecordedStep] = {}
    for step in steps:
        if step.kind == "type_text" and not step.secret and step.value and step.target:
            by_field[_key(step.target)] = step
    return list(by_field.values())


def with_inputs(
    steps: Sequence[RecordedStep], names: Sequence[str]
) -> tuple[list[RecordedStep], dict[str, dict[str, object]]]:
    """Each typed value whose field's label is one of ``names`` (as a slug: ``email`` for "E-mail") becomes
    ``{name}`` (required); a value the step language cannot write literally becomes an input whose default is
    the value. Returns the steps and the inputs to declare (a name no field had is left out)."""
    wanted = {_key(n): slug(n) for n in names if slug(n)}
    out: list[RecordedStep] = []
    declared: dict[str, dict[str, object]] = {}
    for step in steps:
        name = wanted.get(_key(step.target)) if step.kind == "type_text" and not step.secret else None
        if name is not None:
            step = replace(step, input=name)
            declared.setdefault(name, {"type": "string", "required": True})
        elif step.kind == "type_text" and not step.secret and not step.literal_fits():
            name = _free_name(slug(step.target) or "text", declared)
            step = replace(step, input=name)
            declared[name] = {"type": "string", "default": step.value}
        out.append(step)
    return out, declared


def _free_name(base: str, taken: dict[str, dict[str, object]]) -> str:
    name, number = base, 2
    while name in taken:
        name, number = f"{base}_{number}", number + 1
    return name


def _key(label: str) -> str:
    return slug(label).replace("_", "")


def sites_used(steps: Sequence[RecordedStep]) -> list[str]:
    """The origins of the pages the browser was sent to (``http://127.0.0.1:8000``), in order of first use."""
    sites: list[str] = []
    for step in steps:
        if step.kind == "open_url":
            parts = urlsplit(step.target)
            origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else step.target
            sites += [] if origin in sites else [origin]
    return sites


def workflow_text(
    name: str,
    steps: Sequence[RecordedStep],
    apps: Sequence[str],
    *,
    partial: str = "",
    inputs: Sequence[str] = (),
    sites: Sequence[str] = (),
) -> str:
    """The Markdown workflow; ``partial`` (why the recording is incomplete) marks it as such; typed values of
    fields named in ``inputs`` become inputs; ``sites`` are the web origins used (with ``sites_used``')."""
    steps, declared = with_inputs(steps, inputs)
    front: dict[str, object] = {
        "name": _WORDS.sub("-", name.casefold()).strip("-") or "recorded",
        "description": "Partial recording: " + partial if partial else "Recorded by deskhand; say what it does.",
        "apps": list(apps),
    }
    all_sites = [*sites, *(s for s in sites_used(steps) if s not in sites)]
    if all_sites:
        front["sites"] = all_sites
    if declared:
        front["inputs"] = declared
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
