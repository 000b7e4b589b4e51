"""page.js's wire format: one flat row per element, states as bits, empty trailing fields left off.

page.py builds and patches the page from these rows; this module is the one place that knows the row's
layout, and builds a whole read's Nodes (``build_all``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from deskhand.backends.browser.roles import map_role
from deskhand.tree.node import Bounds, Node

_NO_ATTRIBUTES: MappingProxyType[str, str] = MappingProxyType({})
# The states a row's bits stand for, in page.js's STATE_WORDS order (a unit test holds the two equal).
STATE_WORDS = (
    "enabled",
    "sensitive",
    "focusable",
    "focused",
    "visible",
    "showing",
    "checked",
    "mixed",
    "checkable",
    "selectable",
    "selected",
    "expandable",
    "expanded",
    "pressed",
    "editable",
    "readonly",
    "required",
    "invalid",
    "multiline",
    "password",
    "modal",
)
# A row's fields, and the empty values of its last ones (page.js leaves those off).
ROW_FIELDS = 15
_ROW_TAIL: list[Any] = ["", "", [], "", 0]


def full_row(row: list[Any]) -> list[Any]:
    """The row with the empty fields page.js left off its end put back."""
    if len(row) < ROW_FIELDS:
        return row + _ROW_TAIL[len(row) - ROW_FIELDS :]
    return row


_ID_KEYS = ("id", "name", "form", "type")


def _named_attributes(placeholder: str, href: str, ids: list[str] | int) -> Mapping[str, str]:
    named = zip(_ID_KEYS, ids if isinstance(ids, list) else [], strict=False)  # 0: the element has none
    pairs = (("placeholder", placeholder), ("href", href), *named)
    found = {key: text for key, text in pairs if text}
    return MappingProxyType(found) if found else _NO_ATTRIBUTES


def row_attributes(placeholder: str, href: str, ids: list[str] | int) -> Mapping[str, str]:
    """The attributes a row carries (most rows carry none: one shared empty mapping)."""
    return _named_attributes(placeholder, href, ids) if placeholder or href or ids else _NO_ATTRIBUTES


_PRESS = ("press",)
# Blink's computed roles as deskhand's, filled in as they are met (a page uses a few dozen).
_ROLES: dict[str, str] = {}


def build_all(
    rows: list[list[Any]],
    kids: dict[int, list[int]],
    built: dict[int, Node],
    origin: tuple[int, int],
    prefix: str,
    app: str,
    states_of: Callable[[int], frozenset[str]],
) -> None:
    """A Node for every row of a whole-page read into ``built`` (by element number), children first: rows
    come parents first, so built from the last row up every child is ready in time. ``prefix`` starts every
    ref; ``states_of`` turns state bits into states. One tight loop: per node, building was a fifth of a
    whole read's time."""
    left, top = origin
    roles = _ROLES
    for row in reversed(rows):
        number, _, computed, name, value, bits, x, y, width, height = row[:10]
        role = roles.get(computed)
        if role is None:
            role = roles[computed] = map_role(computed)
        if len(row) > 10:
            description, placeholder, labels, href, ids = full_row(row)[10:]
            attributes = row_attributes(placeholder, href, ids)
            labelled = tuple(prefix + str(label) for label in labels) if labels else ()
        else:
            description, attributes, labelled = "", _NO_ATTRIBUTES, ()
        built[number] = Node(
            prefix + str(number),
            role,
            name,
            description,
            value,
            states_of(bits),
            Bounds(left + x, top + y, width, height) if width > 0 and height > 0 else None,
            _PRESS,
            tuple([built[k] for k in kids[number]]),
            app,
            computed,
            attributes,
            labelled,
        )
