"""The sentence forms of :mod:`.pointer_actions`, built from matched slots (the patterns live in
:mod:`.language` with the rest of the step language).

``Drag "Cherry" to "Basket"`` · ``Click at 40, 12 in "Canvas"`` · ``Scroll down 5 in "Results"`` ·
``Minimize the window "Notes"`` · ``Move the window "Notes" to 100, 50`` · ``Resize the window "Notes" to
800x600`` · ``Focus|Raise|Close the window "Notes"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from deskhand.workflows.action_base import MouseButton, Target
from deskhand.workflows.pointer_actions import ClickAt, Drag, ScrollBy, ScrollWay, WindowControl, WindowVerb
from deskhand.workflows.tokens import Bindings

_POINT = re.compile(r"^\s*(-?\d+)\s*(?:,\s*|\s+)(-?\d+)\s*$")
_SIZE = re.compile(r"^\s*(\d+)\s*[x×]\s*(\d+)\s*$", re.IGNORECASE)
_AMOUNT = re.compile(r"^\d+$")

DRAG_PATTERNS = ("drag {target} to|onto|into|over {destination}", "drag and drop {target} to|onto|into {destination}")
CLICK_AT_PATTERNS = ("click at {point} in|on|inside {target}",)
RIGHT_CLICK_AT_PATTERNS = ("right-click|rightclick at {point} in|on|inside {target}",)
SCROLL_WAYS: tuple[ScrollWay, ...] = ("up", "down", "left", "right")
WINDOW_VERBS: dict[str, WindowVerb] = {
    "focus": "focus",
    "raise": "raise",
    "minimize": "minimize",
    "minimise": "minimize",
    "close": "close",
}
MOVE_PATTERNS = ("move the window {window} to {place}",)
RESIZE_PATTERNS = ("resize the window {window} to {place}",)


def scroll_patterns(way: str) -> tuple[str, ...]:
    return (f"scroll {way} {{amount}} in|on|inside {{target}}",)


def window_patterns(verb: str) -> tuple[str, ...]:
    return (f"{verb} the window {{window}}",)


def _element(b: Bindings, slot: str) -> Target | None:
    text = b[slot].text.strip()
    return Target(text) if text else None


def drag(b: Bindings) -> Drag | None:
    source, destination = _element(b, "target"), _element(b, "destination")
    return Drag(source, destination) if source is not None and destination is not None else None


def click_at(button: MouseButton) -> Callable[[Bindings], ClickAt | None]:
    def build(b: Bindings) -> ClickAt | None:
        target = _element(b, "target")
        point = _POINT.match(b["point"].text)
        if target is None or point is None:
            return None
        return ClickAt(target, int(point.group(1)), int(point.group(2)), button)

    return build


def scroll(way: ScrollWay) -> Callable[[Bindings], ScrollBy | None]:
    def build(b: Bindings) -> ScrollBy | None:
        target = _element(b, "target")
        amount = b["amount"].text.strip()
        return ScrollBy(target, way, int(amount)) if target is not None and _AMOUNT.match(amount) else None

    return build


def window(verb: WindowVerb) -> Callable[[Bindings], WindowControl | None]:
    def build(b: Bindings) -> WindowControl | None:
        title = b["window"].text.strip()
        return WindowControl(verb, title) if title else None

    return build


def move(b: Bindings) -> WindowControl | None:
    title, place = b["window"].text.strip(), _POINT.match(b["place"].text)
    return WindowControl("move", title, int(place.group(1)), int(place.group(2))) if title and place else None


def resize(b: Bindings) -> WindowControl | None:
    title, size = b["window"].text.strip(), _SIZE.match(b["place"].text)
    return WindowControl("resize", title, int(size.group(1)), int(size.group(2))) if title and size else None
