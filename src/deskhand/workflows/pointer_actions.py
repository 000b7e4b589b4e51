"""Step actions that need the pointer or the window manager: drag, click at a point, scroll by an amount,
window control (focus, raise, minimize, close, move, resize)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from deskhand.workflows.action_base import Action, MouseButton, Target, quote

WindowVerb = Literal["focus", "raise", "minimize", "close", "move", "resize"]
ScrollWay = Literal["up", "down", "left", "right"]


@dataclass(frozen=True, slots=True)
class Drag(Action):
    """Press on ``source``, move with the button held, release on ``destination``."""

    kind: ClassVar[str] = "drag"
    target_fields: ClassVar[tuple[str, ...]] = ("source", "destination")
    source: Target
    destination: Target

    def sentence(self) -> str:
        return f"Drag {self.source.sentence()} to {self.destination.sentence()}"


@dataclass(frozen=True, slots=True)
class ClickAt(Action):
    """Click ``x``, ``y`` pixels from the element's top-left corner (a point on a canvas, a map)."""

    kind: ClassVar[str] = "click_at"
    target_fields: ClassVar[tuple[str, ...]] = ("target",)
    target: Target
    x: int
    y: int
    button: MouseButton = "left"

    def sentence(self) -> str:
        verb = "Right-click" if self.button == "right" else "Click"
        return f"{verb} at {self.x}, {self.y} in {self.target.sentence()}"


@dataclass(frozen=True, slots=True)
class ScrollBy(Action):
    kind: ClassVar[str] = "scroll_by"
    mutates: ClassVar[bool] = False
    target_fields: ClassVar[tuple[str, ...]] = ("target",)
    target: Target
    direction: ScrollWay
    amount: int

    def sentence(self) -> str:
        return f"Scroll {self.direction} {self.amount} in {self.target.sentence()}"


@dataclass(frozen=True, slots=True)
class WindowControl(Action):
    """``x``/``y``: the new place (move) or ``width``/``height`` (resize), in screen pixels."""

    kind: ClassVar[str] = "window"
    template_fields: ClassVar[tuple[str, ...]] = ("window",)
    verb: WindowVerb
    window: str
    x: int = 0
    y: int = 0

    def sentence(self) -> str:
        title = quote(self.window)
        if self.verb == "move":
            return f"Move the window {title} to {self.x}, {self.y}"
        if self.verb == "resize":
            return f"Resize the window {title} to {self.x}x{self.y}"
        return f"{self.verb.capitalize()} the window {title}"
