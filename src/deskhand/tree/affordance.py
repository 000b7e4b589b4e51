"""Which elements can take which action: a Click needs something pressable, a Type something editable.

Repair uses it so that it never proposes an element that cannot do what the step asks (the page's title for
a Click, a label for a Type).
"""

from __future__ import annotations

from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

_PRESSABLE = frozenset({Role.BUTTON, Role.LINK, Role.MENUITEM, Role.TAB})
_EDITABLE = frozenset({Role.TEXTBOX, Role.SEARCHBOX, Role.SPINBUTTON, Role.COMBOBOX})
_CHOOSABLE = frozenset({Role.COMBOBOX, Role.LISTBOX})
_CHECKABLE = frozenset({Role.CHECKBOX, Role.SWITCH, Role.RADIO, Role.MENUITEMCHECKBOX, Role.MENUITEMRADIO})
# What a Read or an Expect of a field can read: anything that holds a value or a name a person reads.
_READABLE = _EDITABLE | _CHOOSABLE | _CHECKABLE | {Role.SLIDER, Role.PROGRESSBAR, Role.STATUS, Role.LABEL, Role.TEXT}

ROLES_FOR: dict[str, frozenset[str]] = {
    "click": _PRESSABLE | _CHECKABLE | {Role.LISTITEM, Role.OPTION, Role.TREEITEM, Role.CELL},
    "type_text": _EDITABLE,
    "choose": _CHOOSABLE,
    "set_checked": _CHECKABLE,
    "read": _READABLE,
    "expect_field": _READABLE,
}
# The roles an action is *for*, in the order a person expects them (a Click is for buttons first).
PREFERRED_FOR: dict[str, frozenset[str]] = {
    "click": _PRESSABLE,
    "type_text": _EDITABLE,
    "choose": _CHOOSABLE,
    "set_checked": _CHECKABLE,
    "read": _EDITABLE | _CHOOSABLE,
    "expect_field": _EDITABLE | _CHOOSABLE,
}


def can_take(kind: str, node: Node) -> bool:
    """True when ``node`` can take an action of ``kind`` (a step kind: click, type_text, choose, …)."""
    roles = ROLES_FOR.get(kind)
    if roles is None:
        return True
    if node.role not in roles:
        return False
    if kind == "type_text" and node.role == Role.COMBOBOX:
        return State.EDITABLE in node.states
    return not (kind == "type_text" and node.has(State.READ_ONLY))


def fits(kind: str, node: Node) -> int:
    """How well ``node`` fits an action of ``kind``: 2 = what it is for, 1 = can take it, 0 = cannot."""
    if not can_take(kind, node):
        return 0
    return 2 if node.role in PREFERRED_FOR.get(kind, frozenset()) else 1
