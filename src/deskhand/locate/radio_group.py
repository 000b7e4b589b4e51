"""A radio group chosen from like a list: `Choose "Sick" in "Kind of leave"` checks the radio "Sick" inside
the group the words name (a web page's fieldset named by its legend, an ARIA radiogroup, a toolkit's frame
around its radios).

A label finds the first field after it, which for a fieldset's legend is its first radio: choosing there
clicked that radio and then looked for a list it never has. The group itself is what the words name.
"""

from __future__ import annotations

from deskhand.errors import NoMatch
from deskhand.tree.node import Node
from deskhand.tree.roles import Role
from deskhand.tree.text import FULL_MATCH, collapse_whitespace, name_rank

GROUP_ROLES = frozenset({Role.GROUP})


def radios_in(node: Node) -> list[Node]:
    return [part for part in node.walk() if part is not node and part.role == Role.RADIO]


def is_radio_group(node: Node) -> bool:
    return node.role in GROUP_ROLES and bool(radios_in(node))


def radio_named(group: Node, option: str) -> Node:
    """The radio of ``group`` whose name is ``option`` (a whole-name match first); fails naming the radios."""
    radios = radios_in(group)
    ranked = [(rank, radio) for radio in radios if (rank := name_rank(option, radio.name)) is not None]
    whole = [radio for rank, radio in ranked if rank == FULL_MATCH]
    found = whole or [radio for _, radio in ranked]
    if len(found) == 1:
        return found[0]
    names = [collapse_whitespace(radio.name) for radio in radios if radio.name.strip()]
    what = f"{len(found)} radios match" if found else "No radio is called"
    raise NoMatch(
        f"{what} {option!r} in the group {collapse_whitespace(group.name)!r}.",
        candidates=names,
        hint=f"Its choices: {', '.join(repr(n) for n in names)}." if names else "",
    )
