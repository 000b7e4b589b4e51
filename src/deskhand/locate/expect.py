"""``expect(locator)``: assertions about what is on screen, retried until they hold or time runs out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deskhand.errors import LocatorError, NotActionable
from deskhand.locate.locator import Locator, is_visible
from deskhand.locate.waiting import retry_until
from deskhand.tree.match import describe
from deskhand.tree.node import Node
from deskhand.tree.roles import State


class ExpectationFailed(NotActionable):
    """What was expected and what the screen showed instead."""


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class LocatorAssertions:
    locator: Locator
    timeout: float | None = None

    def _check(self, holds: Callable[[Node], bool], wanted: str) -> Node:
        backend = self.locator.desktop.backend
        limit = self.locator.desktop.timeout if self.timeout is None else self.timeout
        seen: list[str] = []

        def attempt() -> Node:
            resolved = self.locator.resolve()
            node = backend.refresh(resolved.ref)
            if not holds(node):
                seen[:] = [describe(node)]
                raise ExpectationFailed(f"Expected {self.locator.describe()} {wanted}; it shows {describe(node)}.")
            return node

        def timed_out(last: LocatorError | None) -> Exception:
            if last is not None:
                last.message = f"{last.message} (waited {limit:.1f} s)"
                return last
            return ExpectationFailed(f"Expected {self.locator.describe()} {wanted}.")

        return retry_until(backend, attempt, timeout=limit, on_timeout=timed_out)

    def to_have_text(self, text: str, *, exact: bool = False) -> Node:
        def holds(node: Node) -> bool:
            shown = node.value if node.value else node.name
            return shown == text if exact else _norm(text) in _norm(shown or "")

        return self._check(holds, f"to show {text!r}")

    def to_have_value(self, value: str) -> Node:
        return self._check(lambda n: (n.value or "") == value, f"to have the value {value!r}")

    def to_be_visible(self) -> Node:
        return self._check(is_visible, "to be visible")

    def to_be_checked(self, checked: bool = True) -> Node:
        return self._check(
            lambda n: (State.CHECKED in n.states) == checked,
            "to be checked" if checked else "to be unchecked",
        )

    def to_be_enabled(self) -> Node:
        return self._check(lambda n: State.SENSITIVE in n.states or State.ENABLED in n.states, "to be enabled")


def expect(locator: Locator, *, timeout: float | None = None) -> LocatorAssertions:
    return LocatorAssertions(locator, timeout)
