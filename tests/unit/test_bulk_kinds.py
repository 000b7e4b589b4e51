"""Roles and states of a whole tree told by a dozen Collection queries (atspi/bulk_kinds.py): the queries are
answered here as at-spi2-core's collection adaptor answers them (roles MATCH_ANY; states ALL, ANY, NONE), and
what the decoding makes of the answers is held against the truth, node by node."""

from __future__ import annotations

import asyncio
from typing import Any

from deskhand.backends.atspi import bulk_kinds
from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.model import RawNode, TreeState

ENABLED, SENSITIVE, VISIBLE, SHOWING, FOCUSABLE, FOCUSED, EDITABLE = 8, 24, 30, 25, 11, 12, 7
USUAL = (1 << ENABLED) | (1 << SENSITIVE) | (1 << VISIBLE)


def _bits(words: list[int]) -> set[int]:
    return {32 * i + b for i, word in enumerate(words) for b in range(32) if (word & 0xFFFFFFFF) >> b & 1}


def _answer(rule: list[Any], tree: dict[str, tuple[int, list[int]]]) -> list[str]:
    """The paths a GetMatches of ``rule`` lists, as the bridge matches them."""
    states, state_match, _, _, roles, role_match, _, _, _ = rule
    wanted_states, wanted_roles = _bits(states), _bits(roles)
    hits = []
    for path, (role, words) in tree.items():
        held = _bits(words)
        if (
            wanted_states
            and not {
                1: wanted_states <= held,
                2: bool(wanted_states & held),
                3: not wanted_states & held,
            }[state_match]
        ):
            continue
        if wanted_roles:
            assert role_match == 2  # the bridge's ALL and NONE compare ATK roles with AT-SPI numbers
            if role not in wanted_roles:
                continue
        hits.append(path)
    return hits


PAGE: dict[str, tuple[int, list[int]]] = {
    "/text": (116, [USUAL | 1 << SHOWING, 0]),
    "/cell": (56, [USUAL, 0]),
    "/row": (90, [USUAL, 0]),
    "/hidden": (85, [(1 << ENABLED) | (1 << SENSITIVE), 0]),
    "/disabled": (43, [(1 << VISIBLE) | (1 << SHOWING), 0]),
    "/field": (79, [USUAL | 1 << SHOWING | 1 << FOCUSABLE | 1 << FOCUSED | 1 << EDITABLE, 1 << (38 - 32)]),
    "/half": (88, [(1 << ENABLED) | (1 << VISIBLE), 0]),  # enabled, not sensitive
    "/switch": (130, [USUAL, 0]),  # a role number past the first 128
    "/odd": (126, [USUAL, 0]),  # a role deskhand does not name: no code, asked
}


def _kinds(tree: dict[str, tuple[int, list[int]]]) -> bulk_kinds.Kinds:
    roles = [_answer(rule, tree) for rule in bulk_kinds.role_rules()]
    states = [_answer(rule, tree) for rule in bulk_kinds.state_rules()]
    return bulk_kinds.decode(roles, states)


def test_the_queries_tell_every_coded_role_and_every_usual_state_exactly() -> None:
    kinds = _kinds(PAGE)
    for path, (role, words) in PAGE.items():
        if path == "/odd":
            assert kinds.roles.get(path, 0) == 0  # left to GetRole
        else:
            assert kinds.roles[path] == role, path
        told = kinds.states_of(path)
        if path == "/field":
            assert told is None  # FOCUSED, EDITABLE, SELECTABLE_TEXT…: asked with GetState
        else:
            assert told == words, path


def test_role_codes_are_distinct_nonzero_and_short_for_the_commonest_roles() -> None:
    codes = bulk_kinds.role_codes()
    assert len(set(codes.values())) == len(codes) == (1 << bulk_kinds.ROLE_BITS) - 1
    assert 0 not in codes.values()
    assert codes[116].bit_count() == codes[56].bit_count() == 1  # static text, table cell
    assert set(codes) <= set(c.named_roles())


class _Channel:
    """Answers GetRole and GetState from a table, and records what was asked."""

    def __init__(self, tree: dict[str, tuple[int, list[int]]]) -> None:
        self.tree = tree
        self.asked: list[tuple[str, str]] = []

    async def call_many(self, calls: list[Any], **_: Any) -> list[Any]:
        out = []
        for path, _interface, member, _signature, _body in calls:
            self.asked.append((path, member))
            role, words = self.tree[path]
            out.append({"GetRole": [role], "GetState": [words]}.get(member, [[c.I_ACCESSIBLE, c.I_ACTION]]))
        return out


def test_only_what_the_queries_left_open_is_asked_and_every_node_ends_right() -> None:
    channel = _Channel({c.ROOT_PATH: (75, [0, 0]), **PAGE})
    tree = TreeState(":1.9", channel, "chromium", "Chromium")  # type: ignore[arg-type]
    nodes = [RawNode(path, interfaces_known=False) for path in channel.tree]  # as read_tree makes them
    asyncio.run(bulk_kinds.apply_kinds(tree, nodes, _kinds(PAGE)))
    # The root and the node of an uncoded role: both facts; the field of unusual states: its states.
    expected = [(path, member) for path in (c.ROOT_PATH, "/odd") for member in ("GetRole", "GetState")]
    expected += [("/field", "GetState")]
    # The interfaces of what people act on come with them: a button, a field, a link, a switch.
    expected += [(path, "GetInterfaces") for path in ("/disabled", "/field", "/half", "/switch")]
    assert sorted(channel.asked) == sorted(expected)
    for node in nodes:
        role, words = channel.tree[node.path]
        assert node.role_number == role and node.state_words == words, node.path
        assert node.lean and not node.extras_done
        assert node.interfaces_known == (node.path in ("/disabled", "/field", "/half", "/switch"))
    assert "password" not in nodes[0].states
