"""Position words of the step language: which one of several look-alikes a person means.

A window may hold six check buttons all labelled "checkbutton", or switches with no label at all. A person
says which one by its place: ``the second "checkbutton"``, ``the last "Remove"``, ``the first switch``.
Positions count in reading order (top to bottom, then left to right), as the person sees them; the
locator does the counting. A kind word without quotes (``switch``, ``check box``) names a role, for
widgets that have no name to quote.
"""

from __future__ import annotations

# 0-based positions; -1 is the last.
ORDINALS: dict[str, int] = {
    "first": 0,
    "second": 1,
    "third": 2,
    "fourth": 3,
    "fifth": 4,
    "sixth": 5,
    "seventh": 6,
    "eighth": 7,
    "ninth": 8,
    "tenth": 9,
    "last": -1,
    **{f"{n}{suffix}": n - 1 for n, suffix in ((1, "st"), (2, "nd"), (3, "rd"))},
    **{f"{n}th": n - 1 for n in range(4, 21)},
}

# Kind words (lower case, single spaces) → the role they name.
KINDS: dict[str, str] = {
    "button": "button",
    "toggle button": "button",
    "check box": "checkbox",
    "checkbox": "checkbox",
    "check button": "checkbox",
    "radio button": "radio",
    "radio": "radio",
    "switch": "switch",
    "text field": "textbox",
    "text box": "textbox",
    "textbox": "textbox",
    "field": "textbox",
    "entry": "textbox",
    "spin button": "spinbutton",
    "spinbutton": "spinbutton",
    "slider": "slider",
    "scale": "slider",
    "combo box": "combobox",
    "combobox": "combobox",
    "drop-down": "combobox",
    "dropdown": "combobox",
    "tab": "tab",
    "link": "link",
    "list item": "listitem",
    "menu item": "menuitem",
}


def position_word(word: str) -> int | None:
    """The 0-based position a word names (``second`` → 1, ``last`` → -1), or None."""
    return ORDINALS.get(word.casefold())


def kind_role(words: str) -> str | None:
    """The role a kind word names (``check box`` → ``checkbox``), or None."""
    return KINDS.get(" ".join(words.casefold().split()))


def ordinal_text(position: int) -> str:
    """How a position is written back in a sentence."""
    if position == -1:
        return "last"
    for word, index in ORDINALS.items():
        if index == position and word.isalpha():
            return word
    return f"{position + 1}th"
