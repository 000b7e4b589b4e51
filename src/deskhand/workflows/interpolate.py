"""Templates in step texts: ``{name}`` is an input or an earlier read, ``{secret:name}`` a secret.

``{{`` and ``}}`` stand for literal braces. A brace that does not form ``{name}`` or ``{secret:name}``
(for example the JSON ``{"a": 1}``) is kept as it is, so most text needs no escaping at all.
Secrets are never resolved here: that happens at the last moment, in the policy layer, so that a secret's
value never reaches the lock file, the run log or a model. :func:`compose` is what the runner types: a
:class:`~deskhand.workflows.secret_text.SecretText` whose secret references are only those written in the
template itself — a value filled in for ``{name}`` is literal text, whatever it holds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Literal

from deskhand.errors import WorkflowError
from deskhand.workflows.secret_text import SecretRef, SecretText

_TEMPLATE = re.compile(r"\{\{|\}\}|\{secret:([A-Za-z_]\w*)\}|\{([A-Za-z_]\w*)\}")
SECRET_MASK = "••••••"


def names_in(template: str) -> tuple[str, ...]:
    """The ``{name}`` names a template uses, in order, each once (secrets not included)."""
    return _unique(m.group(2) for m in _TEMPLATE.finditer(template) if m.group(2))


def secret_names_in(template: str) -> tuple[str, ...]:
    """The names of the ``{secret:name}`` references in a template, in order, each once."""
    return _unique(m.group(1) for m in _TEMPLATE.finditer(template) if m.group(1))


def interpolate(
    template: str,
    values: Mapping[str, object],
    *,
    secrets_as: Literal["placeholder", "mask"] = "placeholder",
) -> str:
    """``template`` with every ``{name}`` replaced by its value.

    ``{secret:name}`` stays as written (``secrets_as="placeholder"``) or becomes a mask (``"mask"``, for
    showing a step to people). A value of ``None`` (an optional input left empty) becomes empty text.
    """

    def replace(found: re.Match[str]) -> str:
        token = found.group(0)
        if token in ("{{", "}}"):
            return token[0]
        if found.group(1):
            return token if secrets_as == "placeholder" else SECRET_MASK
        return format_value(_value_of(found.group(2), template, values))

    return _TEMPLATE.sub(replace, template)


def compose(
    template: str, values: Mapping[str, object], *, secrets: Callable[[str], bool] = lambda name: True
) -> SecretText:
    """``template`` filled in as text to type: ``{name}`` values become literal parts, and each
    ``{secret:name}`` of the template itself for which ``secrets(name)`` holds becomes a secret reference
    (others stay literal). ``template`` must be authored text: the workflow's own, or text its author's
    secret references are checked against (``secrets``)."""
    parts: list[str | SecretRef] = []
    position = 0
    for found in _TEMPLATE.finditer(template):
        parts.append(template[position : found.start()])
        position = found.end()
        token = found.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
        elif found.group(1):
            parts.append(SecretRef(found.group(1)) if secrets(found.group(1)) else token)
        else:
            parts.append(format_value(_value_of(found.group(2), template, values)))
    parts.append(template[position:])
    return SecretText(parts)


def _value_of(name: str, template: str, values: Mapping[str, object]) -> object:
    if name not in values:
        known = ", ".join(sorted(values)) or "none"
        raise WorkflowError(
            f"{{{name}}} in {template!r} has no value (known names: {known}).",
            hint=f"Declare {name!r} under `inputs:` in the front matter, or read it in an earlier step "
            f'(Read "<field>" as {name}). Write {{{{{name}}}}} for literal braces.',
        )
    return values[name]


def format_value(value: object) -> str:
    """How an input value is written into a step: ISO dates, lower-case booleans, empty for ``None``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
