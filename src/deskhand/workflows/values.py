"""Turning one raw input value (text from a CSV or the command line, or a YAML/JSON scalar) into its type."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from deskhand.errors import InputError
from deskhand.workflows.model import InputSpec

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


def coerce_value(spec: InputSpec, raw: object) -> object:
    """``raw`` as the input's type: int/float, ``datetime.date``, bool, or the canonical enum choice.

    Raises :class:`InputError` without a location; callers add the file, row or flag it came from.
    """
    if spec.type == "number":
        return _number(raw)
    if spec.type == "date":
        return _date(raw)
    if spec.type == "bool":
        return _bool(raw)
    if spec.type == "enum":
        return _choice(raw, spec.choices)
    return _text(raw)


def _text(raw: object) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str | int | float | date):
        return raw.isoformat() if isinstance(raw, date) else str(raw)
    raise InputError(f"value {raw!r} is not text", hint="Give a plain value, not a list or a mapping.")


def _number(raw: object) -> int | float:
    value: int | float | None = None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        if _INTEGER.match(text):
            value = int(text)
        elif _DECIMAL.match(text):
            value = float(text)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        raise InputError(f"value {_show(raw)} is not a number", hint="Write a number such as 3 or 2.5.")
    return value


def _date(raw: object) -> date:
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    if isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            pass  # 2024-02-30 has the right shape but is not a day
    raise InputError(f"value {_show(raw)} is not a date", hint="Write dates as YYYY-MM-DD, for example 2025-03-31.")


def _bool(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().casefold() if isinstance(raw, str | int) else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InputError(f"value {_show(raw)} is not true or false", hint="Write true/false, yes/no or 1/0.")


def _choice(raw: object, choices: tuple[str, ...]) -> str:
    text = _text(raw).strip().casefold() if not isinstance(raw, list | dict) else None
    for choice in choices:
        if choice.casefold() == text:
            return choice
    listed = ", ".join(choices)
    raise InputError(f"value {_show(raw)} is not one of: {listed}", hint=f"Use one of: {listed}.")


def _show(raw: object) -> str:
    return f'"{raw}"' if isinstance(raw, str) else repr(raw)
