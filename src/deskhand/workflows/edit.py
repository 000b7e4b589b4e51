"""Editing a workflow file's text the way a person would: one step's sentence replaced, or a step inserted
(later steps and the front matter's step numbers shift by one). Everything else stays byte for byte; the
result is parsed again before anyone writes it, so a repair never leaves a broken workflow behind."""

from __future__ import annotations

import re

from deskhand.errors import WorkflowError
from deskhand.workflows.model import Workflow
from deskhand.workflows.parse import parse_workflow

_NUMBERED = re.compile(r"^( {0,3})(\d{1,9})([.)])(\s+)(.*)$")
_STEP_REF_KEYS = ("confirm", "preapproved")


def replace_step(text: str, workflow: Workflow, n: int, sentence: str) -> str:
    """``text`` with step ``n``'s sentence (all its lines) replaced by ``sentence``."""
    lines = text.splitlines(keepends=True)
    index = _step_index(workflow, n)
    head = _NUMBERED.match(lines[index].rstrip("\r\n"))
    if head is None:
        raise _stale(workflow, n)
    ending = lines[index][len(lines[index].rstrip("\r\n")) :]
    lines[index] = f"{head.group(1)}{head.group(2)}{head.group(3)}{head.group(4)}{sentence}{ending}"
    # A sentence continued on indented lines below: those lines were part of the old sentence.
    end = index + 1
    if head.group(5).strip() != workflow.steps[n - 1].sentence:
        while end < len(lines) and _continues(lines[end]):
            end += 1
    del lines[index + 1 : end]
    return _checked("".join(lines), workflow)


def insert_step(text: str, workflow: Workflow, before: int, sentence: str) -> str:
    """``text`` with a new step ``before`` holding ``sentence``; the steps from ``before`` on move down one."""
    lines = text.splitlines(keepends=True)
    index = _step_index(workflow, before)
    head = _NUMBERED.match(lines[index].rstrip("\r\n"))
    if head is None:
        raise _stale(workflow, before)
    for step in workflow.steps[before - 1 :]:
        lines[step.line - 1] = _renumbered(lines[step.line - 1], step.n + 1)
    ending = lines[index][len(lines[index].rstrip("\r\n")) :] or "\n"
    lines.insert(index, f"{head.group(1)}{before}{head.group(3)} {sentence}{ending}")
    for line_no in _step_ref_lines(workflow, before):
        at = line_no - 1
        key, sep, rest = lines[at].partition(":") if ":" in lines[at] else ("", "", lines[at])
        rest = re.sub(r"(?<![\w.\"'])(\d+)(?![\w.\"'])", lambda m: _shift(m.group(1), before), rest)
        lines[at] = f"{key}{sep}{rest}"
    return _checked("".join(lines), workflow)


def _renumbered(line: str, n: int) -> str:
    body = line.rstrip("\r\n")
    found = _NUMBERED.match(body)
    if found is None:
        return line
    return f"{found.group(1)}{n}{found.group(3)}{found.group(4)}{found.group(5)}{line[len(body) :]}"


def _shift(number: str, before: int) -> str:
    value = int(number)
    return str(value + 1) if value >= before else number


def _step_ref_lines(workflow: Workflow, before: int) -> list[int]:
    """Front-matter lines that name a step by a number that moves."""
    found: set[int] = set()
    for key in _STEP_REF_KEYS:
        for position, ref in enumerate(getattr(workflow, key)):
            if ref.number is not None and ref.number >= before:
                found.add(workflow.line_of(f"{key}.{position}"))
    return sorted(found)


def _step_index(workflow: Workflow, n: int) -> int:
    if not 1 <= n <= len(workflow.steps):
        raise _stale(workflow, n)
    return workflow.steps[n - 1].line - 1


def _continues(line: str) -> bool:
    stripped = line.strip()
    indent = len(line) - len(line.lstrip())
    return bool(stripped) and indent >= 2 and not re.match(r"[-*+]\s|\d{1,9}[.)]\s", stripped)


def _checked(text: str, workflow: Workflow) -> str:
    parse_workflow(text, workflow.path, allow_free_form=True)
    return text


def _stale(workflow: Workflow, n: int) -> WorkflowError:
    return WorkflowError(
        f"The workflow has no step {n} where the run had it.",
        file=workflow.path,
        hint="The file changed since the run; run it again to get a fresh diagnosis.",
    )
