"""Plain records the executor and recorder pass around: what was done, to which element.

A Fingerprint identifies an element across runs without backend refs (which die with the app): its role,
name, the named ancestors around it and its window. Window titles often carry a document name, so they
are recorded but not required to match.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deskhand.tree.match import Match
from deskhand.tree.node import Node
from deskhand.tree.roles import WINDOW_ROLES, Role
from deskhand.tree.text import normalize_name


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Who an element is, in words that survive a restart of its app."""

    role: str
    name: str
    window: str = ""
    ancestors: tuple[str, ...] = ()
    app: str = ""

    @classmethod
    def of(cls, match: Match) -> Fingerprint:
        node, ancestors = match.node, match.ancestors
        window = next((a.name for a in reversed(ancestors) if a.role in WINDOW_ROLES), "")
        app = node.app or next((a.name for a in ancestors if a.role == Role.APPLICATION), "")
        return cls(role=node.role, name=node.name, window=window, ancestors=_chain(ancestors), app=app)

    def matches(self, node: Node, ancestors: tuple[Node, ...]) -> bool:
        """Same role and name (normalised), same named ancestors (window titles aside), same app if known."""
        if node.role != self.role or normalize_name(node.name) != normalize_name(self.name):
            return False
        app = node.app or next((a.name for a in ancestors if a.role == Role.APPLICATION), "")
        if self.app and app and normalize_name(app) != normalize_name(self.app):
            return False
        return _titles_dropped(_chain(ancestors)) == _titles_dropped(self.ancestors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "name": self.name,
            "window": self.window,
            "ancestors": list(self.ancestors),
            "app": self.app,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fingerprint:
        return cls(
            role=str(data["role"]),
            name=str(data.get("name", "")),
            window=str(data.get("window", "")),
            ancestors=tuple(str(a) for a in data.get("ancestors", ())),
            app=str(data.get("app", "")),
        )


def _chain(ancestors: tuple[Node, ...]) -> tuple[str, ...]:
    """The "role:name" of the windows and named ancestors below the application, outermost first."""
    return tuple(
        f"{a.role}:{normalize_name(a.name)}"
        for a in ancestors
        if (a.name or a.role in WINDOW_ROLES) and a.role != Role.APPLICATION
    )


def _titles_dropped(chain: tuple[str, ...]) -> tuple[str, ...]:
    """The chain with window titles blanked: a dialog stays a dialog, whatever document it names."""
    return tuple(
        f"{role}:" if role in WINDOW_ROLES else f"{role}:{name}"
        for role, _, name in (link.partition(":") for link in chain)
    )


@dataclass(frozen=True, slots=True)
class ActionEvent:
    """One action the executor performed; ``value`` is already redacted, ``time`` is epoch seconds."""

    run_id: str
    step: int
    kind: str
    target: Mapping[str, Any] | None
    value: str | None
    time: float
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "step": self.step,
            "kind": self.kind,
            "target": dict(self.target) if self.target is not None else None,
            "value": self.value,
            "time": self.time,
            "extra": dict(self.extra),
        }
