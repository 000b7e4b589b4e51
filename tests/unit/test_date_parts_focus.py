"""Filling a field made of parts (Chromium's date input) moves the focus to a part only when the field has not
moved it there itself: Chromium applies a GrabFocus after it returns, and one on the part already focused,
landing between the keys typed next, starts the part's number afresh ("1815" became 15 in CI)."""

from __future__ import annotations

from typing import Any

from deskhand.backends.atspi.segments import fill_parts, parts_of
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State


class Field:
    """A date field of three parts that, like Chromium's, moves the focus on when a part's number is whole."""

    def __init__(self) -> None:
        self.parts = [Node(ref=f"/{n}", role=Role.SPINBUTTON, name=f"{n} Birthday") for n in ("Month", "Day", "Year")]
        self.node = Node(ref="/field", role=Role.TEXTBOX, name="Birthday", children=tuple(self.parts))
        self.values: dict[str, float] = {}
        self.focused = ""
        self.grabs: list[str] = []
        self.backend = self  # the strategies' host, for refresh, xinput and wait_for_change
        self.xinput = self

    # the host
    def refresh(self, ref: str) -> Node:
        part = next(p for p in self.parts if p.ref == ref)
        return Node(
            ref=ref, role=part.role, name=part.name, states=frozenset({State.FOCUSED} if ref == self.focused else ())
        )

    def wait_for_change(self, timeout: float) -> None: ...

    # the keys: the focused part takes the number, and the field moves on to the next part
    def type_text(self, text: str) -> None:
        self.values[self.focused] = float(text)
        at = [p.ref for p in self.parts].index(self.focused)
        self.focused = self.parts[min(at + 1, len(self.parts) - 1)].ref

    # the strategies
    def focus(self, ref: str) -> None:
        self.grabs.append(ref)
        self.focused = ref

    def _wait_focused(self, ref: str) -> None: ...

    def _call(
        self, ref: str, interface: str, member: str, signature: str = "", body: list[object] | None = None
    ) -> list[Any]:
        if member == "Get":
            name = str(body[1]) if body else ""
            value = {"CurrentValue": self.values.get(ref, 0.0), "MinimumValue": 0.0, "MaximumValue": 9999.0}[name]
            return [value]
        raise AssertionError(member)


def test_a_part_the_field_moved_to_is_typed_into_without_grabbing_the_focus_again() -> None:
    field = Field()
    fill_parts(field, field.node, parts_of(field.node), "1815-12-10")  # type: ignore[arg-type]
    assert field.values == {"/Month": 12.0, "/Day": 10.0, "/Year": 1815.0}
    assert field.grabs == ["/Month"]  # the first part only: the field itself moved on to Day and Year
