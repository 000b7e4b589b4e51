"""Roles and states of a whole Chromium tree in a dozen ``Collection.GetMatches`` queries, not two calls a node.

Chromium's AT-SPI (at-spi2-atk's bridge) has no bulk role or state read: ``GetTree`` carries no role and no
state, and one ``GetRole`` + ``GetState`` per node was ~9,700 calls on the 4,830-node test page. But a
``GetMatches`` query walks the whole tree inside the app and answers with the nodes matching a rule of roles
or states, for about the cost of a few per-node calls. So each query asks one bit:

- **roles**: the roles web content has get a code of ``ROLE_BITS`` bits each, none of them 0; query ``k``
  lists the nodes whose role's code has bit ``k`` (``MATCH_ANY`` over those roles), and a node's code is the
  sum of the bits of the lists it is in. Codes with fewer bits go to the roles pages have most of (static
  text, cells, rows), so the lists stay short. A node in no list (a role without a code, or a node that came
  after the queries) is asked ``GetRole`` and ``GetState``.
- **states**: nearly every node of a page holds no states but ENABLED, SENSITIVE, VISIBLE and SHOWING. One
  query lists the nodes holding any other state (they are asked ``GetState``); one per usual state lists the
  nodes lacking it, and one the nodes SHOWING. The rest have exactly the usual states they are not listed
  as lacking, and SHOWING when listed so.

Each query walks the tree inside the app (~10-15 ms of Chromium's CPU for 4,830 nodes): six role bits cover
63 roles, which is why rarer roles are asked rather than coded.

The bridge maps AT-SPI state numbers to ATK's before matching and ATK roles to AT-SPI's (``MATCH_ANY`` only:
its ``MATCH_ALL`` and ``MATCH_NONE`` compare ATK roles with AT-SPI numbers), as at-spi2-core 2.46's
collection adaptor does. What changes while the queries run is marked by its events and read again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import CallSpec
from deskhand.backends.atspi.live import acted_on, read_acted_on_interfaces
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.errors import BackendError

ROLE_BITS = 6
_ROLE_WORDS = 5  # role numbers as a bit set: AT-SPI's reach 130
# Web content's commonest roles first (static text, table cell, table row, section, paragraph, panel, link,
# list item, push button, label, …; the first six get codes of one bit), then the roles Chromium gives its
# own window (notification, tool bar, toggle button, frame, filler, menu, …).
_COMMON_ROLES: tuple[int, ...] = (
    *(116, 56, 90, 85, 73, 39, 88, 32, 43, 29, 79, 31, 83, 27, 87, 95, 61, 99, 71, 72, 110, 82),
    *(101, 63, 62, 23, 20, 33, 35, 37, 38, 11, 7, 44, 52, 51, 98, 130, 10, 55, 50, 12),
)
_MATCH_ALL, _MATCH_ANY, _MATCH_NONE = 1, 2, 3
_SORT_CANONICAL = 1
_ENABLED, _SENSITIVE, _VISIBLE, _SHOWING = 8, 24, 30, 25
_USUAL = (_ENABLED, _SENSITIVE, _VISIBLE)
_SHOWN_WORD = 1 << _SHOWING
# The state bits besides the usual ones and SHOWING (bit 0 is AT-SPI's INVALID, never set).
_UNUSUAL = tuple(bit for bit in range(1, 64) if bit not in (*_USUAL, _SHOWING))
QUERY_TIMEOUT_S = 10.0


def role_codes() -> dict[int, int]:
    """Role number → its code: nonzero, the fewest bits for the commonest roles; web content's roles only
    (the roles deskhand names, after the common ones), as many as the bits give codes."""
    codes = sorted(range(1, 1 << ROLE_BITS), key=lambda code: (code.bit_count(), code))
    roles = [*_COMMON_ROLES, *(r for r in c.named_roles() if r not in _COMMON_ROLES)]
    return dict(zip(roles, codes, strict=False))


_CODES = role_codes()
_ROLE_OF_CODE = {code: role for role, code in _CODES.items()}


def _words(bits: Iterable[int], count: int) -> list[int]:
    """A bit set as D-Bus ``ai`` words (int32: bit 31 makes a word negative)."""
    words = [0] * count
    for bit in bits:
        words[bit // 32] |= 1 << (bit % 32)
    return [word - (1 << 32) if word >= 1 << 31 else word for word in words]


def _rule(
    states: Iterable[int] = (), state_match: int = _MATCH_ALL, roles: Iterable[int] = (), role_match: int = _MATCH_ALL
) -> list[Any]:
    # (states, state match, attributes, attribute match, roles, role match, interfaces, interface match, invert)
    role_words = _words(roles, _ROLE_WORDS)
    return [_words(states, 2), state_match, {}, _MATCH_ALL, role_words, role_match, [], _MATCH_ALL, False]


def role_rules() -> list[list[Any]]:
    """One rule per code bit: the roles whose code has that bit."""
    return [
        _rule(roles=[role for role, code in _CODES.items() if code >> bit & 1], role_match=_MATCH_ANY)
        for bit in range(ROLE_BITS)
    ]


def state_rules() -> list[list[Any]]:
    """Nodes holding an unusual state; lacking ENABLED; lacking SENSITIVE; lacking VISIBLE; SHOWING."""
    return [
        _rule(states=_UNUSUAL, state_match=_MATCH_ANY),
        *(_rule(states=[bit], state_match=_MATCH_NONE) for bit in _USUAL),
        _rule(states=[_SHOWING]),
    ]


@dataclass(frozen=True, slots=True)
class Kinds:
    """What the queries said: each coded node's role number, the nodes with an unusual state (their states
    must be asked), the nodes lacking each usual state, and the nodes SHOWING."""

    roles: dict[str, int]
    unusual: frozenset[str]
    lacking: tuple[frozenset[str], ...]
    showing: frozenset[str]

    def states_of(self, path: str) -> list[int] | None:
        """The state words of a node the queries fully told of, else None (ask the node)."""
        if path in self.unusual:
            return None
        enabled, sensitive, visible = self.lacking
        word = _SHOWN_WORD if path in self.showing else 0
        if path not in enabled:
            word |= 1 << _ENABLED
        if path not in sensitive:
            word |= 1 << _SENSITIVE
        if path not in visible:
            word |= 1 << _VISIBLE
        return [word, 0]


def decode(role_hits: Sequence[Iterable[str]], state_hits: Sequence[Iterable[str]]) -> Kinds:
    """``Kinds`` from the paths each query listed (in the order of ``role_rules`` and ``state_rules``)."""
    codes: dict[str, int] = {}
    for bit, paths in enumerate(role_hits):
        for path in paths:
            codes[path] = codes.get(path, 0) | 1 << bit
    roles = {path: _ROLE_OF_CODE.get(code, 0) for path, code in codes.items()}
    unusual, *lacking, showing = (frozenset(paths) for paths in state_hits)
    return Kinds(roles, unusual, tuple(lacking), showing)


async def query_kinds(tree: TreeState) -> Kinds | None:
    """Every role and state query, pipelined; None when the app refuses one (read node by node instead)."""
    rules = [*role_rules(), *state_rules()]
    calls = [
        tree.channel.call(
            c.ROOT_PATH,
            c.I_COLLECTION,
            "GetMatches",
            "(aiia{ss}iaiiasib)uib",
            [rule, _SORT_CANONICAL, 0, True],
            timeout=QUERY_TIMEOUT_S,
        )
        for rule in rules
    ]
    replies = await asyncio.gather(*calls, return_exceptions=True)
    hits: list[list[str]] = []
    for reply in replies:
        if isinstance(reply, BaseException):
            if isinstance(reply, BackendError | ValueError):
                return None
            raise reply
        hits.append([str(path) for _, path in reply[0]])
    return decode(hits[:ROLE_BITS], hits[ROLE_BITS:])


async def apply_kinds(tree: TreeState, nodes: list[RawNode], kinds: Kinds) -> None:
    """Give each node its role and states from ``kinds``, asking the app for what the queries left open, and
    the interfaces of the nodes people act on (``live.read_acted_on_interfaces``) in the same batch."""
    calls: list[CallSpec] = []
    asked: list[tuple[RawNode, str]] = []
    for node in nodes:
        node.lean = True
        node.extras_done = False
        node.role_number = kinds.roles.get(node.path, 0)
        if not node.role_number:
            asked.append((node, "role"))
            calls.append((node.path, c.I_ACCESSIBLE, "GetRole", "", []))
        # A node in no role list may be one the queries never saw (the root, or a node newer than they):
        # what they say of its states is not known either.
        words = kinds.states_of(node.path) if node.role_number else None
        if words is None:
            asked.append((node, "state"))
            calls.append((node.path, c.I_ACCESSIBLE, "GetState", "", []))
            words = []
        node.set_states(words)
        if words and acted_on(node):
            asked.append((node, "interfaces"))
            calls.append((node.path, c.I_ACCESSIBLE, "GetInterfaces", "", []))
    for (node, what), reply in zip(asked, await tree.channel.call_many(calls), strict=True):
        if not isinstance(reply, list):
            continue
        if what == "role":
            node.role_number = int(reply[0])
            node.set_states(node.state_words)
        elif what == "state":
            node.set_states(list(reply[0]))
        else:
            node.interfaces, node.interfaces_known = frozenset(reply[0]), True
    told_late = [node for node, what in asked if what == "state"]
    await read_acted_on_interfaces(tree, told_late)
    for node in nodes:
        tree.invalidate(node.path)
