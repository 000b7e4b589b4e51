"""page.js's wire format: one flat row per element, states as bits, empty trailing fields left off.

page.py builds Nodes from these rows; this module is the one place that knows the row's layout.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

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
