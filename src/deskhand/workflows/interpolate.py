"""Templates in step texts: ``{name}`` is an input or an earlier read, ``{secret:name}`` a secret.

``{{`` and ``}}`` stand for literal braces. A brace that does not form ``{name}`` or ``{secret:name}``
(for example the JSON ``{"a": 1}``) is kept as it is, so most text needs no escaping at all.
Secrets are never resolved here: that happens at the last moment, in the policy layer, so that a secret's
value never reaches the lock file, the run log or a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Literal

from deskhand.errors import WorkflowError

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
        name = found.group(2)
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            raise WorkflowError(
                f"{{{name}}} in {template!r} has no value (known names: {known}).",
                hint=f"Declare {name!r} under `inputs:` in the front matter, or read it in an earlier step "
                f'(Read "<field>" as {name}). Write {{{{{name}}}}} for literal braces.',
            )
        return format_value(values[name])

    return _TEMPLATE.sub(replace, template)


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
