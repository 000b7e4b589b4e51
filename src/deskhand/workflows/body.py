"""The Markdown body: numbered steps (``1.`` or ``1)``), their indented bullet details, and comments.

A numbered line (indented at most three spaces) is a step; an indented line right below it without a
bullet continues its sentence; an indented bullet (``-``, ``*`` or ``+``) is a detail for whoever resolves
the step. Everything else — prose, headings, code blocks, HTML comments — is a comment for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskhand.errors import WorkflowError

_NUMBERED = re.compile(r"^( {0,3})(\d{1,9})[.)](?:\s+(.*))?$")
_BULLET = re.compile(r"^(\s+)[-*+]\s+(.*)$")
_NESTED_NUMBERED = re.compile(r"^(\s+)\d{1,9}[.)]\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True, slots=True)
class RawStep:
    n: int
    sentence: str
    line: int
    details: tuple[str, ...]


@dataclass
class _Open:
    """The step being read: later indented lines may still extend it."""

    n: int
    line: int
    indent: int
    words: list[str]
    details: list[str]
    continuable: bool = True


def read_steps(body: tuple[tuple[int, str], ...], path: str) -> list[RawStep]:
    """The body's steps, checked to be numbered 1..N in order with a sentence each."""
    steps: list[RawStep] = []
    current: _Open | None = None
    fence: str | None = None
    in_comment = False
    for number, raw_line in body:
        line = raw_line.replace("\t", "    ").rstrip()
        # Code blocks and HTML comments are for people, even when they contain numbered lines.
        if fence is not None:
            fence = None if line.strip().startswith(fence) else fence
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if (opened := _FENCE.match(line)) is not None:
            fence = opened.group(1)
            _flush(current, steps)
            current = None
            continue
        if line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if not line:
            if current is not None:
                current.continuable = False
            continue
        indent = len(line) - len(line.lstrip())
        if current is not None and indent > current.indent and indent >= 2:
            detail = _BULLET.match(line) or _NESTED_NUMBERED.match(line)
            if detail is not None:
                current.details.append(detail.group(2).strip())
                current.continuable = False
            elif current.continuable and not current.details:
                current.words.append(line.strip())
            continue
        numbered = _NUMBERED.match(line)
        if numbered is None:
            _flush(current, steps)
            current = None  # prose between steps is a comment
            continue
        _flush(current, steps)
        n = int(numbered.group(2))
        expected = len(steps) + 1
        if n != expected:
            raise WorkflowError(
                f"Step {n} is numbered out of order: expected step {expected} here.",
                file=path,
                line=number,
                hint=f"Number the steps 1, 2, 3 … in order; this one should be {expected}.",
            )
        sentence = (numbered.group(3) or "").strip()
        if not sentence:
            raise WorkflowError(
                f"Step {n} has no sentence.",
                file=path,
                line=number,
                hint=f'Write what to do after the number, e.g. {n}. Click "Save".',
            )
        current = _Open(n, number, len(numbered.group(1)), [sentence], [])
    _flush(current, steps)
    return steps


def _flush(current: _Open | None, steps: list[RawStep]) -> None:
    """Add the step being read (if any) to ``steps``."""
    if current is not None:
        steps.append(RawStep(current.n, " ".join(current.words), current.line, tuple(current.details)))
