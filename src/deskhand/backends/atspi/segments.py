"""Fields made of parts: Chromium's date and time inputs are a textbox whose children are one spin button per
part (Month, Day, Year), with no EditableText and a Value interface that ignores writes (measured).

Typing "12/10/1815" into the whole field races the field: the keys typed while it moves the focus from one
part to the next are lost (a year of 0001, or nothing). So each part is focused, typed, and its committed
value (``Value.CurrentValue``, what the form will submit) read back before the next part is touched.
Gecko's parts (Firefox) give a Value interface with no range that always says 0 (measured on ESR 153),
while their text is the number the field holds and submits: a Value without a range is no value, and the
part's text is read instead.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.host import ActionHost
from deskhand.errors import ActionFailed, BackendError
from deskhand.tree.date_parts import numbers_for_parts
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

COMMIT_WAIT_S = 2.0


class PartActions(Protocol):
    """What filling parts needs of the action strategies (actions.ActionStrategies fits)."""

    backend: ActionHost

    def focus(self, ref: str) -> None: ...

    def _wait_focused(self, ref: str) -> None: ...

    def _call(
        self, ref: str, interface: str, member: str, signature: str = "", body: list[object] | None = None
    ) -> list[Any]: ...


def parts_of(field: Node) -> list[Node]:
    """The spin buttons a field is made of (empty for an ordinary field)."""
    if field.role != Role.TEXTBOX:
        return []
    parts = [n for n in field.walk() if n is not field and n.role == Role.SPINBUTTON]
    return parts if len(parts) >= 2 else []


def fill_parts(strategies: PartActions, field: Node, parts: list[Node], text: str) -> None:
    """Type each number of ``text`` into its part and wait until the part holds it; fails naming the part."""
    names = [p.name.removesuffix(field.name).strip() or p.name for p in parts]
    numbers = numbers_for_parts(text, names)
    if len(numbers) != len(parts):
        raise ActionFailed(
            f"{field.name!r} has {len(parts)} parts ({', '.join(names)}); {text!r} gives {len(numbers)} numbers.",
            hint=f"Write one number per part, in this order: {' / '.join(names)}.",
        )
    xinput = strategies.backend.xinput
    for part, name, number in zip(parts, names, numbers, strict=True):
        if State.FOCUSED not in strategies.backend.refresh(part.ref).states:
            strategies.focus(part.ref)
            strategies._wait_focused(part.ref)
        # else the field moved there itself, on the last part's last key: Chromium applies a GrabFocus after
        # it returns, and one on the part already focused, landing between the keys typed next, starts the
        # part's number afresh (CI: "1815" typed, the Year part held 15).
        xinput.type_text(str(number))
        held = _wait_committed(strategies, part.ref, number)
        if held != number:
            raise ActionFailed(f"The {name} part of {field.name!r} holds {held} after typing {number}.")


def committed_value(strategies: PartActions, ref: str) -> float | None:
    current, low, high = (_number(strategies, ref, name) for name in ("CurrentValue", "MinimumValue", "MaximumValue"))
    if current is not None and low is not None and high is not None and high > low:
        return current
    try:
        (text,) = strategies._call(ref, c.I_TEXT, "GetText", "ii", [0, -1])
        return float(str(text).strip())
    except (BackendError, ValueError):
        return current


def _number(strategies: PartActions, ref: str, name: str) -> float | None:
    try:
        (variant,) = strategies._call(ref, c.I_PROPERTIES, "Get", "ss", [c.I_VALUE, name])
    except BackendError:
        return None
    value = getattr(variant, "value", variant)
    return float(value) if isinstance(value, int | float) else None


def _wait_committed(strategies: PartActions, ref: str, number: int) -> float | None:
    deadline = time.monotonic() + COMMIT_WAIT_S
    held = committed_value(strategies, ref)
    while held != number and time.monotonic() < deadline:
        strategies.backend.wait_for_change(0.05)
        held = committed_value(strategies, ref)
    return held
