"""Reading one element again before acting on it or to check an action's effect."""

from __future__ import annotations

import asyncio

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import bounded_gather
from deskhand.backends.atspi.extras import read_extras, shown_up_to_root
from deskhand.backends.atspi.live import read_facts
from deskhand.backends.atspi.model import RawNode
from deskhand.backends.atspi.reader import AppTree
from deskhand.backends.atspi.vcl_frame import FrameFix
from deskhand.errors import NodeGone
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State


def _gone(tree: AppTree, raw: RawNode) -> NodeGone:
    return NodeGone(
        f"The {raw.role} {raw.name!r} is gone from {tree.app_name} (it closed, or the app quit).",
        hint="Take a fresh snapshot; if the app quit, start it again.",
    )


def _known(tree: AppTree, path: str) -> RawNode:
    raw = tree.nodes.get(path)
    if raw is None:
        raise NodeGone(f"The element {path} is no longer in {tree.app_name}.", hint="Take a fresh snapshot.")
    return raw


async def reread_element(tree: AppTree, path: str) -> Node:
    """The element and its small subtree read again whole (a combo's options change state silently)."""
    raw = _known(tree, path)
    nodes = tree.subtree(raw, limit=64)
    # Ask the element itself too: a reread swallows per-node errors, and acting on what a dead app
    # last showed would click or type into whatever is now at that place on screen. A dead app says so at
    # once (gone, defunct); a busy one (Chromium on a loaded machine took over 1 s) gets a call's usual time.
    alive = tree.channel.call(path, c.I_ACCESSIBLE, "GetState")
    if all(_known_well(node) for node in nodes):
        # Role and interfaces of known nodes stay, and events keep the descendants' names: the element's
        # facts and extras and the descendants' states, all in one round trip (the read-back after every
        # action comes here).
        was_shown = {node.path: node.shown for node in nodes}
        below = nodes[1:]
        states = bounded_gather([tree.channel.call(n.path, c.I_ACCESSIBLE, "GetState") for n in below])
        # The parts of a date field hold its value: their numbers are read with the field's own.
        parts = [node for node in below if node.role == Role.SPINBUTTON]
        extras = read_extras(tree, [raw, *parts], relations=False)
        replies = await asyncio.gather(alive, read_facts(tree, [raw]), extras, states, return_exceptions=True)
        _check_alive(tree, raw, replies[0])
        if isinstance(replies[3], list):
            for node, state in zip(below, replies[3], strict=True):
                if isinstance(state, list):
                    node.set_states(list(state[0]))
                    tree.invalidate(node.path)
        flipped = [node for node in nodes if node.shown != was_shown[node.path]]
        if flipped:
            await read_extras(tree, flipped, relations=False)  # shown now, or hidden: bounds change
    else:
        _check_alive(tree, raw, (await asyncio.gather(alive, return_exceptions=True))[0])
        await tree.reread(nodes)
    tree.invalidate(path)
    return tree.build(path)


def _known_well(node: RawNode) -> bool:
    return node.extras_done and bool(node.role_number)


def _check_alive(tree: AppTree, raw: RawNode, reply: object) -> None:
    if isinstance(reply, NodeGone):
        raise _gone(tree, raw)
    if isinstance(reply, BaseException):
        raise reply
    words = reply[0] if isinstance(reply, list) else []
    if State.DEFUNCT in c.states_from_bits(list(words)):
        raise _gone(tree, raw)


async def current_element(tree: AppTree, path: str) -> Node:
    """The element for acting on it: states and place on screen in one round trip (a window can move
    without an event), the rest as events keep it. Falls back to ``reread_element`` when unsure."""
    raw = _known(tree, path)
    if raw.built is None or not raw.extras_done:
        return await reread_element(tree, path)
    calls = [tree.channel.call(path, c.I_ACCESSIBLE, "GetState")]
    placed_before = raw.bounds is not None
    # A node read before it had a place (a popup's item marked showing before its menu is laid out) is
    # asked again too: no event says when the place comes.
    frames = FrameFix(tree.nodes)  # LibreOffice's drawn part, reported off at times (vcl_frame.py)
    if placed_before or c.I_COMPONENT in raw.interfaces:
        calls.append(tree.channel.call(path, c.I_COMPONENT, "GetExtents", "u", [c.COORD_SCREEN]))
        frames.note(raw)
    calls.extend(tree.channel.call(*call) for call in frames.calls())
    replies = await bounded_gather(calls)
    states = replies[0]
    if isinstance(states, NodeGone):
        raise _gone(tree, raw)
    if not isinstance(states, list):
        return await reread_element(tree, path)
    if State.DEFUNCT in c.states_from_bits(list(states[0])):
        raise _gone(tree, raw)
    raw.set_states(list(states[0]))
    extents = replies[1] if len(replies) > 1 else None
    if isinstance(extents, list) and (placed_before or shown_up_to_root(tree, raw)):
        x, y, width, height = extents[0]
        raw.bounds = Bounds(x, y, width, height) if x > -(2**30) and y > -(2**30) else None
        frames.apply(replies[2:])
    tree.invalidate(path)
    return tree.build(path)
