"""A box on a toolbar that takes typed text: found by the toolbar item's name, committed with Enter.

LibreOffice's "Font Size" and "Font Name" are toolbar items (panels named so) holding a combo's entry that
has no name of its own. Text put in the entry changes nothing until Enter, as for a person: the box
then applies it to the selection, gives the focus back to the document and shows what it applied
("20 pt" for 20; the old size again for a size it rejects). So the step types into the entry it holds,
presses Enter there, and reads back what the box shows then.
"""

from __future__ import annotations

from deskhand.locate.commit import as_number, shown_number
from deskhand.tree.match import Match
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

_ITEM_ROLES = frozenset({Role.GROUP, Role.GENERIC})
_FIELD_ROLES = frozenset({Role.TEXTBOX, Role.SEARCHBOX})


def toolbar_box_entry(match: Match) -> Node | None:
    """The one shown field inside ``match``, a named item of a toolbar; None for anything else."""
    node = match.node
    if node.role not in _ITEM_ROLES or not node.name.strip():
        return None
    if not any(ancestor.role == Role.TOOLBAR for ancestor in match.ancestors):
        return None
    if any(ancestor.role == Role.DOCUMENT for ancestor in match.ancestors):
        return None  # a web page's toolbar: Enter there may submit a form the step never meant to send
    fields = [
        part
        for part in node.walk()
        if part is not node
        and part.role in _FIELD_ROLES
        and State.EDITABLE in part.states
        and State.SHOWING in part.states
    ]
    return fields[0] if len(fields) == 1 else None


def shows_applied(node: Node, text: str) -> bool:
    """The box shows ``text`` as applied: the same text, or the same number with the unit it adds."""
    shown = node.value or ""
    if " ".join(shown.split()).casefold() == " ".join(text.split()).casefold():
        return True
    wanted, held = as_number(text), shown_number(shown)
    return wanted is not None and held is not None and wanted == held
