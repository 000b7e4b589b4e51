"""What one action of a step touched, as the lock and the run record keep it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deskhand.tree.node import Node

SCREEN = "screen"


@dataclass
class Resolution:
    """What one action of a step touched: for the lock and the run record."""

    kind: str
    selector: str | None
    value: str | None
    fingerprint: dict[str, Any] = field(default_factory=dict)
    # Where the element was on screen when acted on (x, y, width, height): the console outlines it on the
    # step's screenshot. Not part of the lock (it moves with the window).
    bounds: list[int] | None = None

    def __post_init__(self) -> None:
        # What is recorded is plain text: a SecretText's references are for typing, never for storing.
        if self.value is not None:
            self.value = str.__str__(self.value)

    @property
    def via_screen(self) -> bool:
        return self.fingerprint.get("via") == SCREEN


def screen_facts(node: Node) -> dict[str, str]:
    """For an element read off the screen (OCR): ``via: screen``, the OCR's confidence and the element's box
    (the report draws it on the step's screenshot). Nothing for a tree element."""
    if node.attributes.get("via") != SCREEN:
        return {}
    facts = {"via": SCREEN, "confidence": node.attributes.get("confidence", "")}
    if node.bounds is not None:
        b = node.bounds
        facts["box"] = f"{b.x},{b.y},{b.width},{b.height}"
    return facts
