"""What the app holds after an edit: the value it will use, judged per widget kind, never the typed text.

A spin button or slider holds its Value (the backend reads CurrentValue; GTK leaves typed text
uncommitted until activate or focus-out), a combo holds its selected item, a combo with an entry holds the
entry's text, a password field shows only as many bullets as it holds characters.
"""

from __future__ import annotations

import re

from deskhand.tree.date_parts import numbers_for_parts
from deskhand.tree.match import describe
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

RANGE_ROLES = frozenset({Role.SPINBUTTON, Role.SLIDER})


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def as_number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


# A number with the unit a formatted spin button shows after it (LibreOffice: "40%", "30°", "12 pt", "0.02″").
_WITH_UNIT = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s?(?:%|°|″|\"|[A-Za-z]{1,3})\s*$")


def shown_number(text: str) -> float | None:
    """The number a range control's text shows, with or without its unit."""
    plain = as_number(text)
    if plain is not None:
        return plain
    found = _WITH_UNIT.match(text)
    return as_number(found.group(1)) if found else None


def holds_text(node: Node, text: str) -> bool:
    """The element holds ``text`` as the app will use it."""
    value = node.value or ""
    parts = [n for n in node.walk() if n is not node and n.role == Role.SPINBUTTON]
    if not any(char.isdigit() for char in value) and len(parts) >= 2:
        # A field made of parts (a date): it holds the text when each part holds its number. Chromium's field
        # has no text of its own, Gecko's only the separators ("//").
        names = [p.name.removesuffix(node.name).strip() or p.name for p in parts]
        return [as_number(p.value) for p in parts] == [float(n) for n in numbers_for_parts(text, names)]
    if node.role in RANGE_ROLES:
        wanted, held = as_number(text), shown_number(value)
        if wanted is not None and held is not None:
            return wanted == held
    if State.PASSWORD in node.states and value != text:
        # Password fields read back as bullets: the count is all there is to check.
        return len(value) == len(text)
    return value == text


def shows_option(node: Node, option: str) -> bool:
    """A combo holds the option as its value (Qt), its name (GTK3 names a combo after its choice) or a
    selected child (Chromium's <select>); the whole text, not a part of it ("Pro" is not "Professional")."""
    wanted = norm(option)
    if not wanted:
        return False
    if wanted in (norm(node.value or ""), norm(node.name)):
        return True
    return any(
        child is not node and State.SELECTED in child.states and norm(child.name) == wanted for child in node.walk()
    )


def text_entry_of(node: Node) -> Node:
    """Where a person types into ``node``: a combo box with an entry takes text in that entry (what the
    app reads as the combo's text); anything else takes it itself."""
    if node.role != Role.COMBOBOX:
        return node
    for child in node.walk():
        if child is not node and child.role in (Role.TEXTBOX, Role.SEARCHBOX) and State.EDITABLE in child.states:
            return child
    return node


def held(node: Node) -> str:
    """What the app holds, in words for an error message."""
    if node.role == Role.COMBOBOX:
        selected = [c.name for c in node.walk() if c is not node and State.SELECTED in c.states and c.name]
        shown = node.value or (selected[0] if selected else node.name)
        return repr(shown) if shown else "nothing"
    if State.PASSWORD in node.states:
        return f"{len(node.value or '')} characters"
    # An element with no text or value at all (a frame, a button) holds nothing a field could be read as.
    return repr(node.value) if node.value is not None else f"no text or value ({describe(node)})"
