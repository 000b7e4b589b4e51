"""Scrubbing what leaves the guard: errors and app/window lists, as well as trees (see the guard's ``_scrub``).

A page can copy a typed secret anywhere it likes — into its window title, an error the toolkit reports, a
label that ends up among the "nearest on screen" candidates. So every text that comes up from the backend
through the guard passes the :class:`~deskhand.policy.secrets.Redactor`, which turns each secret value this
process typed back into its ``{secret:name}`` placeholder: app names and window titles
(:func:`scrub_apps`), and the message, hint, model text and candidates of every error (:func:`scrub_errors`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from deskhand.backends.base import AppInfo
from deskhand.errors import DeskhandError
from deskhand.policy.secrets import Redactor
from deskhand.tree.node import Node
from deskhand.tree.roles import State


class HasRedactor(Protocol):
    @property
    def redactor(self) -> Redactor: ...


P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound=HasRedactor)


def scrub_error(error: DeskhandError, redactor: Redactor) -> DeskhandError:
    """``error`` with every known secret in its message, hint, model text and candidates made a placeholder
    (in place, so the same exception goes on up with its type and traceback)."""
    if not redactor.values:
        return error
    error.message = redactor.redact(error.message)
    error.hint = redactor.redact(error.hint)
    error.args = tuple(redactor.redact(a) if isinstance(a, str) else a for a in error.args)
    own_text = getattr(error, "_model_text", "")
    if own_text:
        error._model_text = redactor.redact(own_text)
    candidates = getattr(error, "candidates", None)
    if isinstance(candidates, list):
        candidates[:] = [redactor.redact(c) if isinstance(c, str) else c for c in candidates]
    return error


def scrub_errors(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
    """A guard method whose DeskhandErrors leave scrubbed."""

    @functools.wraps(method)
    def scrubbed(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except DeskhandError as error:
            scrub_error(error, self.redactor)
            raise

    return scrubbed


def scrub_apps(apps: list[AppInfo], redactor: Redactor) -> list[AppInfo]:
    """App names and window titles with every known secret masked (a page may put one in its title)."""
    if not redactor.values:
        return apps
    return [
        replace(
            app,
            name=redactor.redact(app.name),
            windows=tuple(replace(w, title=redactor.redact(w.title)) for w in app.windows),
        )
        for app in apps
    ]


def scrub_tree(root: Node, typed: Mapping[str, tuple[str, str]], redactor: Redactor) -> Node:
    """``root`` with every known secret in names, descriptions and values made a placeholder; a field deskhand
    typed a secret into (``typed``: ref → (text with placeholders, text typed)) shows the text with
    placeholders, also when the toolkit shows it as bullets."""
    if not typed and not redactor.values:
        return root

    def clean(node: Node) -> Node:
        children = tuple(clean(c) for c in node.children)
        changes: dict[str, Any] = {}
        mine = typed.get(node.ref)
        if mine is not None and node.value is not None:
            text, value = mine
            bullets = State.PASSWORD in node.states and len(node.value) == len(value)
            if node.value == value or bullets:
                changes["value"] = text
        for key in ("name", "description", "value"):
            current = changes.get(key, getattr(node, key))
            if isinstance(current, str) and redactor(current) != current:
                changes[key] = redactor(current)
        if not changes and all(a is b for a, b in zip(children, node.children, strict=True)):
            return node
        return replace(node, children=children, **changes)

    return clean(root)
