"""Filling a known text field in one trip to the app: the write and the read-back of what the app then holds
(its text and states) go out together, and the app answers them in order.

Nothing is read before the write: the element is judged as events keep it (role, interfaces, enabled). A
write the app refuses, or text it holds other than written, is left to the careful way (actions.set_text),
which types where writing does not work.
"""

from __future__ import annotations

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.extras import TEXT_ROLES
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.errors import NodeGone
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

# Spin buttons and sliders take numbers through Value, and their text only on focus-out (actions.set_text).
_RANGE_ROLES = frozenset({Role.SPINBUTTON, Role.SLIDER})


def writable_at_once(tree: TreeState, raw: RawNode, node: Node) -> bool:
    """A plain text field whose text is its value: written with SetTextContents, read back with GetText.
    Gecko answers SetTextContents without the field taking it (PLATFORM-NOTES): it is typed into instead."""
    if tree.toolkit.lower() == "gecko" or node.role in _RANGE_ROLES:
        return False
    if c.I_EDITABLE_TEXT not in raw.interfaces or c.I_TEXT not in raw.interfaces:
        return False
    return node.role in TEXT_ROLES or State.EDITABLE in node.states


async def write_and_read(tree: TreeState, raw: RawNode, text: str) -> Node | None:
    """Set ``raw``'s text and read back its text and states; the element as read, or None when the app did
    not take the text as written (the caller goes the careful way). Raises NodeGone when it is gone."""
    path = raw.path
    written, held, state = await tree.channel.call_many(
        [
            (path, c.I_EDITABLE_TEXT, "SetTextContents", "s", [text]),
            (path, c.I_TEXT, "GetText", "ii", [0, -1]),
            (path, c.I_ACCESSIBLE, "GetState", "", []),
        ]
    )
    for reply in (written, state):
        if isinstance(reply, NodeGone) or (
            isinstance(reply, list) and reply is state and State.DEFUNCT in c.states_from_bits(list(reply[0]))
        ):
            raise NodeGone(
                f"The {raw.role} {raw.name!r} is gone from {tree.app_name} (it closed, or the app quit).",
                hint="Take a fresh snapshot; if the app quit, start it again.",
            )
    if not (isinstance(written, list) and written[0] and isinstance(held, list) and isinstance(state, list)):
        return None
    if str(held[0]) != text:
        return None
    raw.value = text
    raw.set_states(list(state[0]))
    tree.invalidate(path)
    tree.build()  # the whole tree again (only the path to the root is new): snapshots need no trip for it
    return tree.build(path)
