"""Apply a redaction function to every string inside JSON-like data before it is stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Redact = Callable[[str], str]


def keep_text(text: str) -> str:
    return text


def redact_data(value: Any, redact: Redact) -> Any:
    """A copy of ``value`` with ``redact`` applied to every string in it, keys included."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_data(key, redact): redact_data(item, redact) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_data(item, redact) for item in value]
    return value
