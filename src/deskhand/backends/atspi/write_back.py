"""Filling a known text field in one trip to the app: the write and the read-back of the text the app then
holds go out together on one connection, and the app answers them in order. Where the app has a private
socket the trip is made from the caller's thread (direct_line.py), else through the loop.

Nothing is read before the write: the element is judged as events keep it (role, interfaces, enabled), and
its states stay as events keep them (a state the app changes is announced, and marks the field). The states
are read back only with an empty text: a field whose widget is gone can answer a write as taken and its text
as empty (an ATK accessible outliving its GTK3 widget), so only its DEFUNCT state tells "emptied" from "gone";
a non-empty text read back empty goes the careful way, which finds it gone. GetState made a GTK3 entry's
answer 0.11 ms slower (1.33 ms against 1.22, median of 150 interleaved, benchmarks/peers.py's zenity form).
A write the app refuses, or text it holds other than written, is left to the careful way (actions.set_text),
which types where writing does not work.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import CallSpec
from deskhand.backends.atspi.direct_line import DirectLine
from deskhand.backends.atspi.extras import TEXT_ROLES
from deskhand.backends.atspi.host import ActionHost
from deskhand.backends.atspi.model import RawNode, TreeState, states_of
from deskhand.errors import NodeGone
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

# Spin buttons and sliders take numbers through Value, and their text only on focus-out (actions.set_text).
_RANGE_ROLES = frozenset({Role.SPINBUTTON, Role.SLIDER})
_NAMES = tuple(field.name for field in fields(Node))
_NODE_FIELDS = attrgetter(*_NAMES)
_VALUE_AT, _STATES_AT = _NAMES.index("value"), _NAMES.index("states")
# The read-back's answer when the states were not asked for: they stay as events keep them (compared by identity).
_STATES_AS_KEPT: list[int] = []


def typed_by_hand(toolkit: str, node: Node) -> bool:
    """A Qt one-line field is typed into like a person: SetTextContents is QLineEdit::setText, which emits
    textChanged but not textEdited, and apps that follow what a person edits (QColorDialog's "HTML:" field,
    live filters, validators enabling OK) never hear of a written value (measured: the colour dialog kept
    #ffffff while its field showed the written #ff0000)."""
    return toolkit.lower() == "qt" and node.role in TEXT_ROLES and State.MULTILINE not in node.states


def writable_at_once(tree: TreeState, raw: RawNode, node: Node) -> bool:
    """A plain text field whose text is its value: written with SetTextContents, read back with GetText.
    Gecko answers SetTextContents without the field taking it (PLATFORM-NOTES): it is typed into instead."""
    if tree.toolkit.lower() == "gecko" or node.role in _RANGE_ROLES or typed_by_hand(tree.toolkit, node):
        return False
    if c.I_EDITABLE_TEXT not in raw.interfaces or c.I_TEXT not in raw.interfaces:
        return False
    return node.role in TEXT_ROLES or State.EDITABLE in node.states


def _calls(tree: TreeState, raw: RawNode, text: str) -> list[CallSpec]:
    path = raw.path
    calls: list[CallSpec] = [
        (path, c.I_EDITABLE_TEXT, "SetTextContents", "s", [text]),
        (path, c.I_TEXT, "GetText", "ii", [0, tree.text_end]),
    ]
    if not text:
        calls.append((path, c.I_ACCESSIBLE, "GetState", "", []))
    return calls


def _read_back(tree: TreeState, raw: RawNode, text: str, replies: list[list[Any] | BaseException]) -> list[int] | None:
    """The state bits read back when the app holds ``text`` as written (``_STATES_AS_KEPT`` where they were
    not asked for); None when it does not (the caller goes the careful way). Raises NodeGone
    when the element is gone."""
    written, held, *asked = replies
    state = asked[0] if asked else None
    if isinstance(written, NodeGone) or (
        isinstance(state, list) and State.DEFUNCT in c.states_from_bits(list(state[0]))
    ):
        raise NodeGone(
            f"The {raw.role} {raw.name!r} is gone from {tree.app_name} (it closed, or the app quit).",
            hint="Take a fresh snapshot; if the app quit, start it again.",
        )
    if not (isinstance(written, list) and written[0] and isinstance(held, list)) or str(held[0]) != text:
        return None
    if not asked:
        return _STATES_AS_KEPT
    return list(state[0]) if isinstance(state, list) else None


def _keep(tree: TreeState, raw: RawNode, text: str, words: list[int]) -> Node:
    """What was read back, kept in the model (on the loop thread, which owns it)."""
    raw.value = text
    if words is not _STATES_AS_KEPT:
        raw.set_states(words)
    # Only the text changed (as written and read back) unless the states were read too: what the guard judged
    # of the field still holds (TreeState.changes).
    tree.invalidate(raw.path, own_text=words is _STATES_AS_KEPT)
    tree.build()  # the whole tree again (only the path to the root is new): snapshots need no trip for it
    return tree.build(raw.path)


async def write_and_read(tree: TreeState, raw: RawNode, text: str) -> Node | None:
    """Set ``raw``'s text and read back its text and states over the loop's channel; the element as read,
    or None when the app did not take the text as written. Raises NodeGone when it is gone."""
    tree.echoes.expect(raw.path, raw.value, text)
    words = _read_back(tree, raw, text, await tree.channel.call_many(_calls(tree, raw, text)))
    if words is None:
        tree.echoes.forget(raw.path)
        return None
    return _keep(tree, raw, text, words)


def write_and_read_direct(
    line: DirectLine,
    tree: TreeState,
    raw: RawNode,
    node: Node,
    text: str,
    host: ActionHost,
) -> Node | None:
    """``write_and_read`` from the caller's thread over ``line`` (direct_line.py): no thread switch. The
    model is brought up to date on the loop thread (``host.on_loop``) when it takes the write's echo events, or
    at once if they came already; until then its snapshots are not taken as current (TreeState.writes),
    so a read that follows waits for it."""
    write = object()
    tree.writes.add(write)
    tree.echoes.expect(raw.path, raw.value, text)
    words: list[int] | None = None

    def keep() -> None:
        try:
            if words is not None:
                _keep(tree, raw, text, words)
            else:
                tree.echoes.forget(raw.path)
        finally:
            tree.writes.discard(write)

    try:
        words = _read_back(tree, raw, text, line.call_many(_calls(tree, raw, text)))
    finally:
        # Queued before asking: an echo the loop takes after this look runs the keep itself.
        host.on_loop(keep)
        if not tree.echoes.expecting(raw.path):
            host.wake_loop()
    if words is None:
        return None
    if words is _STATES_AS_KEPT:
        return as_read(node, text)
    return as_read(node, text, states_of(raw.role_number, words))


def as_read(node: Node, value: str, states: frozenset[str] | None = None) -> Node:
    """``node`` holding ``value`` (and ``states``) as read back: ``dataclasses.replace``, made from the node's
    fields in order, as replace took ~15 µs of a ~1.3 ms known-element fill (looking each field up by name)."""
    parts = list(_NODE_FIELDS(node))
    parts[_VALUE_AT] = value
    if states is not None:
        parts[_STATES_AT] = states
    return Node(*parts)
