"""Text to type that may hold secrets: which parts are literal and which are secret references, tracked.

A secret is typed only where the workflow's author wrote ``{secret:name}`` in the workflow's own text (or an
MCP client named it in its call). Text that came from anywhere else — an input or a CSV cell, a value read
from the screen, a model's reply, another variable — is data: it is typed exactly as it is, even when it
reads ``{secret:pin}``. That is taint, not a string check: :class:`SecretText` is the only carrier of secret
references, and only :func:`deskhand.workflows.interpolate.compose` and :func:`with_secrets` make one, from
the text they are told is authored.

:class:`SecretText` is a ``str`` (its text shows each reference as its placeholder, so everything above the
guard — locators, the lock, logs, models — handles it as before) whose ``parts`` keep literal pieces and
:class:`SecretRef` apart. The guard swaps in values at the last moment and only for a ``SecretText``; any
string operation on one returns a plain ``str``, which is then typed literally: losing the type fails safe.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

SECRET_REFERENCE = re.compile(r"\{secret:([A-Za-z_]\w*)\}")


@dataclass(frozen=True, slots=True)
class SecretRef:
    """A reference to the secret ``name``, placed by the workflow's author."""

    name: str

    @property
    def placeholder(self) -> str:
        return f"{{secret:{self.name}}}"


class SecretText(str):
    """A text whose ``parts`` are literal strings and the author's :class:`SecretRef` s (see the module doc)."""

    parts: tuple[str | SecretRef, ...]

    def __new__(cls, parts: Iterable[str | SecretRef]) -> SecretText:
        merged: list[str | SecretRef] = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + part
            elif part != "":
                merged.append(str(part) if isinstance(part, str) else part)
        shown = "".join(p if isinstance(p, str) else p.placeholder for p in merged)
        text = super().__new__(cls, shown)
        text.parts = tuple(merged)
        return text

    @property
    def secret_names(self) -> tuple[str, ...]:
        """The secrets this text types, in order, each once."""
        return tuple(dict.fromkeys(p.name for p in self.parts if isinstance(p, SecretRef)))

    def expand(self, value: Callable[[str], str]) -> str:
        """The text to type: each reference replaced by ``value(name)``, literal parts as they are."""
        return "".join(p if isinstance(p, str) else value(p.name) for p in self.parts)


def secret_names(text: str) -> tuple[str, ...]:
    """The secrets ``text`` would type: none for a plain ``str``, which is always typed literally."""
    return text.secret_names if isinstance(text, SecretText) else ()


def with_secrets(text: str, allowed: Callable[[str], bool] = lambda name: True) -> SecretText:
    """``text`` (authored by whoever may name secrets: an MCP client, the lock of this step) with its
    ``{secret:name}`` references for which ``allowed(name)`` holds; other braces stay literal."""
    parts: list[str | SecretRef] = []
    position = 0
    for found in SECRET_REFERENCE.finditer(text):
        if allowed(found.group(1)):
            parts += [text[position : found.start()], SecretRef(found.group(1))]
            position = found.end()
    parts.append(text[position:])
    return SecretText(parts)
