"""Which accessibility events the recorder reads the tree for: those that can make or change a step.

The rest are not worth a read: GTK3's file chooser sends thousands (`defunct`, `showing`, `widget`,
`accessible-parent`) as it fills its list, and reading the tree for each left the recorder seconds behind the
person under load (measured: 5-10 s), so it read a Save dialog that had already closed and lost the step.
"""

from __future__ import annotations

from deskhand.backends.atspi.event import AtspiEvent
from deskhand.tree.roles import State

_WATCHED = frozenset(
    {"TextChanged", "StateChanged", "SelectionChanged", "PropertyChange", "Activate", "ChildrenChanged"}
)
# A focus move, a check box or radio turning, a menu item highlighted; a combo's shown item (name or value).
_STATES = frozenset({State.FOCUSED, State.CHECKED, State.SELECTED})
_PROPERTIES = frozenset({"accessible-name", "accessible-value"})


def of_note(event: AtspiEvent) -> bool:
    if event.member not in _WATCHED:
        return False
    if event.member == "StateChanged":
        return event.detail in _STATES
    if event.member == "PropertyChange":
        return event.detail in _PROPERTIES
    return True
