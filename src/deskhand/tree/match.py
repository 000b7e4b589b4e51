"""Resolving a Selector against a tree: all matches best first, the nearest misses, and short descriptions.

Matching does not judge visibility or enabledness; the locator layer decides what is actionable.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from deskhand.tree.label_memo import LabelMemo
from deskhand.tree.node import Node
from deskhand.tree.positional import LABEL_ROLES as LABEL_ROLES  # re-exported: callers import them from here
from deskhand.tree.positional import label_of as label_of
from deskhand.tree.positional import positional_labels as positional_labels
from deskhand.tree.roles import INTERACTIVE_ROLES, Role, State
from deskhand.tree.selector import Selector
from deskhand.tree.text import (
    FULL_MATCH,
    SUBSTRING_MATCH,
    best_rank,
    contains_words,
    name_rank,
    normalize_name,
    quote,
)

# What normalize_name strips from the end of a name (a label's colon, a button's ellipsis).
_TRAILING_NOISE = (":", "...")

# Roles a person confuses with each other; nearest() offers these before any other role.
_ROLE_FAMILIES: tuple[frozenset[str], ...] = (
    frozenset({Role.BUTTON, Role.LINK, Role.MENUITEM, Role.TAB, Role.SWITCH}),
    frozenset({Role.TEXTBOX, Role.SEARCHBOX, Role.COMBOBOX, Role.SPINBUTTON}),
    frozenset({Role.CHECKBOX, Role.SWITCH, Role.RADIO, Role.MENUITEMCHECKBOX, Role.MENUITEMRADIO}),
    frozenset({Role.MENUITEM, Role.MENUITEMCHECKBOX, Role.MENUITEMRADIO, Role.MENU}),
    frozenset({Role.LIST, Role.LISTBOX, Role.TABLE, Role.TREE}),
    frozenset({Role.LISTITEM, Role.OPTION, Role.ROW, Role.TREEITEM, Role.CELL}),
    frozenset({Role.WINDOW, Role.DIALOG, Role.ALERT}),
    frozenset({Role.LABEL, Role.TEXT, Role.PARAGRAPH, Role.HEADING, Role.STATUS}),
)


@dataclass(frozen=True, slots=True)
class Match:
    """A matched node with its ancestors (outermost first); ``rank`` 0 = whole-name match, 1 = substring."""

    node: Node
    ancestors: tuple[Node, ...]
    rank: int = 0

    @property
    def ref(self) -> str:
        return self.node.ref

    @property
    def window(self) -> Node | None:
        """The innermost window, dialog or alert holding the node (the node itself if it is one)."""
        for node in (self.node, *reversed(self.ancestors)):
            if node.role in (Role.WINDOW, Role.DIALOG, Role.ALERT):
                return node
        return None


class RoleIndex:
    """Which roles occur below each node, remembered across snapshots so a search for a role skips the
    subtrees without it (a Chromium page's 500-row table, when a textbox is wanted).

    Nodes are immutable and a re-snapshot shares every unchanged subtree with the last one, so after a
    change only the nodes on the changed paths are indexed again. Entries hold their node (an ``id`` is
    unique only while its object lives); the index starts over when it outgrows ``limit``.
    """

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._below: dict[int, tuple[Node, frozenset[str]]] = {}
        # Kept across searches as well: the last search by each label (label_memo.py).
        self.labels = LabelMemo()

    def roles_below(self, root: Node) -> frozenset[str]:
        """The roles of ``root`` and all its descendants (every descendant is indexed as well)."""
        below = self._below
        known = below.get(id(root))
        if known is not None and known[0] is root:
            return known[1]
        if len(below) > self.limit:
            below.clear()
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            if not children_done:
                entry = below.get(id(node))
                if entry is None or entry[0] is not node:
                    stack.append((node, True))
                    stack.extend((child, False) for child in node.children)
                continue
            roles = frozenset({node.role}).union(*(below[id(child)][1] for child in node.children))
            below[id(node)] = (node, roles)
        return below[id(root)][1]

    def has_below(self, node: Node, role: str) -> bool:
        """Whether ``role`` occurs in ``node``'s subtree; ``node`` must lie in a tree indexed already."""
        return role in self._below[id(node)][1]


def find_all(root: Node, selector: Selector, *, index: RoleIndex | None = None) -> list[Match]:
    """Every node in ``root`` (itself included) that ``selector`` describes, best rank first, then in order.

    With ``within`` only descendants of the scope's first match are searched; with ``nth`` the result is
    that one match (or nothing). ``index`` (kept by the caller across snapshots) makes role searches skip
    subtrees without the role; the result is the same.
    """
    if index is not None:
        index.roles_below(root)
    if selector.within is not None:
        scopes = find_all(root, selector.within, index=index)
        if not scopes:
            return []
        scope = scopes[0]
        matches = _search(root, scope.node, scope.ancestors, selector, include_self=False, index=index)
    elif index is not None and selector.label is not None:
        matches = _search_by_label(root, selector, index)
    else:
        matches = _search(root, root, (), selector, include_self=True, index=index)
    if selector.nth is None:
        return matches
    try:
        return [matches[selector.nth]]
    except IndexError:
        return []


def _search(
    root: Node,
    top: Node,
    top_ancestors: tuple[Node, ...],
    selector: Selector,
    *,
    include_self: bool,
    index: RoleIndex | None = None,
    nodes: list[Node] | None = None,
) -> list[Match]:
    # Hot path of every locator action (a Chromium page has ~2,800 nodes): ancestors are kept as a
    # linked chain and turned into a tuple only for matches, and the cheap role and state tests run first.
    labels = _LabelIndex(root, selector, nodes) if selector.label is not None else None
    criteria = _Criteria(selector, labels)
    role = selector.role
    wanted_states = selector.states
    found: list[Match] = []
    # (node, chain of its ancestors as (parent, chain of the parent's ancestors), or None at the top)
    stack: list[tuple[Node, _Chain]] = [(top, None)]
    while stack:
        node, chain = stack.pop()
        children = node.children
        if children and (index is None or role is None or index.has_below(node, role)):
            below = (node, chain)
            stack.extend((child, below) for child in reversed(children))
        if (role is not None and node.role != role) or (node is top and not include_self):
            continue
        if wanted_states and not wanted_states <= node.states:
            continue
        rank = criteria.rank(node)
        if rank is not None:
            found.append(Match(node=node, ancestors=(*top_ancestors, *_unchain(chain)), rank=rank))
    found.sort(key=lambda match: match.rank)  # stable: document order within a rank
    return found


def _search_by_label(root: Node, selector: Selector, index: RoleIndex) -> list[Match]:
    """``_search`` of the whole tree, or the last one's matches where the tree is laid out as it was then."""
    nodes = list(root.walk())
    placed = index.labels.recall(selector, nodes)
    if placed is not None:
        return [Match(nodes[at], tuple(nodes[up] for up in above), rank) for at, above, rank in placed]
    matches = _search(root, root, (), selector, include_self=True, index=index, nodes=nodes)
    where = {id(node): at for at, node in enumerate(nodes)}
    index.labels.keep(
        selector,
        nodes,
        [(where[id(m.node)], tuple(where[id(up)] for up in m.ancestors), m.rank) for m in matches],
    )
    return matches


_Chain = tuple[Node, "_Chain"] | None


def _unchain(chain: _Chain) -> tuple[Node, ...]:
    """The ancestors in a chain, outermost first."""
    out: list[Node] = []
    while chain is not None:
        out.append(chain[0])
        chain = chain[1]
    out.reverse()
    return tuple(out)


class _NameTest:
    """``name_rank(wanted, actual)`` with the wanted text normalised once per search, not once per node."""

    def __init__(self, wanted: str, exact: bool) -> None:
        self.wanted = wanted
        self.exact = exact
        self.want = normalize_name(wanted)
        self.seen: dict[str, int | None] = {}

    def rank(self, actual: str) -> int | None:
        if self.exact:
            return name_rank(self.wanted, actual, exact=True)
        found = self.seen.get(actual, -1)
        if found == -1:
            have = _normalize(actual)
            found = FULL_MATCH if have == self.want else SUBSTRING_MATCH if contains_words(self.want, have) else None
            self.seen[actual] = found
        return found


def _normalize(text: str) -> str:
    """``normalize_name(text)``, with a shortcut for plain ASCII (most names): no NFKC, no mnemonics."""
    if not text.isascii() or "_" in text:
        return normalize_name(text)
    folded = " ".join(text.split()).lower()
    while folded.endswith(_TRAILING_NOISE):
        folded = folded.removesuffix("...").removesuffix(":").rstrip()
    return folded


class _Criteria:
    """The selector's name, text, placeholder and label tests, prepared once for one search."""

    def __init__(self, selector: Selector, labels: _LabelIndex | None) -> None:
        exact = selector.exact
        self.name = _NameTest(selector.name, exact) if selector.name is not None else None
        self.text = _NameTest(selector.text, exact) if selector.text is not None else None
        self.placeholder = _NameTest(selector.placeholder, exact) if selector.placeholder is not None else None
        self.labels = labels

    def rank(self, node: Node) -> int | None:
        """The worst rank over the criteria, or None when one fails (role and states tested already)."""
        worst = 0
        if self.name is not None:
            rank = self.name.rank(node.name)
            if rank is None:
                return None
            worst = max(worst, rank)
        if self.text is not None:
            rank = best_rank(
                self.text.rank(node.name), self.text.rank(node.value or ""), self.text.rank(node.placeholder)
            )
            if rank is None:
                return None
            worst = max(worst, rank)
        if self.placeholder is not None:
            rank = self.placeholder.rank(node.placeholder)
            if rank is None:
                return None
            worst = max(worst, rank)
        if self.labels is not None:
            rank = self.labels.rank_of(node)
            if rank is None:
                return None
            worst = max(worst, rank)
        return worst


class _LabelIndex:
    """Which nodes the wanted label names: by LABELLED_BY relation, own name, or geometry."""

    def __init__(self, root: Node, selector: Selector, nodes: list[Node] | None = None) -> None:
        assert selector.label is not None
        self.test = _NameTest(selector.label, selector.exact)
        # One walk of the tree for both indexes (a page has thousands of nodes), if the caller has none.
        nodes = nodes if nodes is not None else list(root.walk())
        self.by_ref = {node.ref: node for node in nodes}
        self.positional = positional_labels(root, nodes)

    def rank_of(self, node: Node) -> int | None:
        if node.role in LABEL_ROLES:
            return None
        if not node.labelled_by and node.role not in INTERACTIVE_ROLES and node.ref not in self.positional:
            return None  # nothing could name it: most nodes of a page, so the common answer comes first
        related = [self.by_ref[ref].name for ref in node.labelled_by if ref in self.by_ref]
        related += self.positional.get(node.ref, [])
        return best_rank(
            *(self.test.rank(name) for name in related),
            self.test.rank(node.name) if node.role in INTERACTIVE_ROLES else None,
        )


def describe(node: Node, *, label: str = "") -> str:
    """A short description for people: ``button "Save"``, ``textbox "Email" = "a@b.c"``.

    ``label`` names an unnamed field by its label: ``textbox (label "Email")``.
    """
    parts = [node.role]
    if node.name:
        parts.append(quote(node.name, limit=60))
    elif label:
        parts.append(f"(label {quote(label, limit=60)})")
    elif node.placeholder:
        parts.append(f"(placeholder {quote(node.placeholder, limit=40)})")
    if node.value:
        shown = "••••" if node.has(State.PASSWORD) else node.value
        parts.append(f"= {quote(shown, limit=40)}")
    return " ".join(parts)


def nearest(root: Node, selector: Selector, k: int = 5) -> list[str]:
    """The ``k`` elements most like what ``selector`` wanted, described for a person (for NoMatch errors).

    Nodes of the wanted role or a related one come first, by name similarity; then other roles that are
    clearly similar by name.
    """
    wanted = next(
        (value for value in (selector.name, selector.text, selector.label, selector.placeholder) if value),
        "",
    )
    want = normalize_name(wanted)
    family = _family_of(selector.role)
    by_ref = {node.ref: node for node in root.walk()}
    positional = positional_labels(root)
    # Sort keys: similarity, then the very role asked for, then elements on screen, then document order.
    own: list[tuple[float, bool, bool, int, str]] = []
    other: list[tuple[float, bool, bool, int, str]] = []
    for order, node in enumerate(root.walk()):
        label = "" if node.name else label_of(node, by_ref, positional)
        text = node.name or label or node.placeholder or node.value or ""
        if not text and not (family and node.role in family):
            continue
        ratio = difflib.SequenceMatcher(None, want, normalize_name(text)).ratio() if want else 0.0
        entry = (-round(ratio, 3), node.role != selector.role, _looks_hidden(node), order, describe(node, label=label))
        if family and node.role in family:
            own.append(entry)
        elif want and ratio >= 0.5:
            other.append(entry)
    result: list[str] = []
    for *_, text in sorted(own) + sorted(other):
        if text not in result:
            result.append(text)
        if len(result) >= k:
            break
    return result


def _looks_hidden(node: Node) -> bool:
    return bool(node.states) and State.VISIBLE not in node.states and State.SHOWING not in node.states


def _family_of(role: str | None) -> frozenset[str]:
    if role is None:
        return frozenset()
    related: set[str] = {role}
    for family in _ROLE_FAMILIES:
        if role in family:
            related |= family
    return frozenset(related)
