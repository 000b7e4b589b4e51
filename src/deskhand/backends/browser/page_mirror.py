"""What deskhand holds of one document: the reader's rows by element id and the Nodes built from them.

page.js sends the whole page once, then only the subtrees of elements that changed; those are patched in
here, and only the Nodes on the path from a changed element to the body are built again.
"""

from __future__ import annotations

from typing import Any

from deskhand.backends.browser.page_refs import REF_PREFIX
from deskhand.backends.browser.page_rows import STATE_WORDS, build_all, full_row, row_attributes
from deskhand.backends.browser.roles import map_role
from deskhand.tree.node import Bounds, Node


class PageMirror:
    """The last read of one tab's document (``nonce``), its bounds placed from ``origin`` on screen."""

    def __init__(self, target_id: str, app_name: str) -> None:
        self.target_id = target_id
        self.app_name = app_name
        self.nonce = ""
        self.origin: tuple[int, int] | None = None
        self._rows: dict[int, list[Any]] = {}
        self._kids: dict[int, list[int]] = {}
        self._parent: dict[int, int] = {}
        self._built: dict[int, Node] = {}
        self._body = 0
        # Most elements share a handful of state sets: build each frozenset once.
        self._state_sets: dict[int, frozenset[str]] = {}
        self._ref_prefix = ("", "")  # (the refs' common start, the nonce it holds)

    @property
    def held(self) -> bool:
        """A read of the document is held (patches can be applied to it)."""
        return bool(self._rows)

    def forget(self, nonce: str) -> None:
        """A new document: what was read of the old one names nothing now."""
        self._rows, self._kids, self._parent, self._built = {}, {}, {}, {}
        self.nonce = nonce

    def load(self, nonce: str, origin: tuple[int, int], rows: list[list[Any]]) -> None:
        """A whole-page read: the script reads from <body>, whose children sit under the document node."""
        self.forget(nonce)
        self.origin = origin
        self._body = rows[0][0] if rows else 0
        self._add_rows(rows, parent=0)
        build_all(rows, self._kids, self._built, origin, self.ref_start(), self.app_name, self.states)

    def top(self) -> tuple[Node, ...]:
        """The body's children, built where a patch left them unbuilt."""
        body = self._build_one(self._body) if self._body in self._rows else None
        return body.children if body is not None else ()

    def build_rows(self, rows: list[list[Any]], origin: tuple[int, int]) -> tuple[Node, ...]:
        """Nodes for rows in read order (parents first), outside the kept read: the body's children."""
        kids: list[list[int]] = [[] for _ in rows]
        for index, row in enumerate(rows):
            if row[1] >= 0:
                kids[row[1]].append(index)
        built: list[Node | None] = [None] * len(rows)
        for index in range(len(rows) - 1, -1, -1):
            children = tuple(built[k] for k in kids[index])
            built[index] = self.node(rows[index], children, origin)  # type: ignore[arg-type]
        body = built[0] if built else None
        return body.children if body is not None else ()

    def _add_rows(self, rows: list[list[Any]], *, parent: int) -> None:
        """Rows of one subtree (parents before children, parent given as a row index; -1 is ``parent``)."""
        ids = [row[0] for row in rows]
        for row in rows:
            number = row[0]
            above = ids[row[1]] if row[1] >= 0 else parent
            self._rows[number] = row
            self._kids[number] = []
            self._parent[number] = above
            if above in self._kids and row[1] >= 0:
                self._kids[above].append(number)

    def patch(self, nonce: str, patches: list[list[Any]]) -> bool:
        """Replace each changed element's subtree; False when the last read does not hold it (read all)."""
        if nonce != self.nonce or any(number not in self._rows for number, _ in patches):
            return False
        for number, rows in patches:
            if not rows or rows[0][0] != number:
                return False
            old = self._descendants(number)
            # An element that moved here from a part not read again would sit in two places: read all.
            kept = set(old)
            if any(row[0] in self._rows and row[0] not in kept for row in rows[1:]):
                return False
            for gone in old:
                for table in (self._rows, self._kids, self._parent, self._built):
                    table.pop(gone, None)
            self._unbuild(number)
            self._add_rows(rows, parent=self._parent[number])
        return True

    def _descendants(self, number: int) -> list[int]:
        found: list[int] = []
        stack = list(self._kids.get(number, ()))
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(self._kids.get(current, ()))
        return found

    def _unbuild(self, number: int) -> None:
        """Drop the built Node of ``number`` and of its ancestors (their children tuples change)."""
        while number in self._built:
            del self._built[number]
            number = self._parent.get(number, 0)

    def _build_one(self, number: int) -> Node:
        built = self._built.get(number)
        if built is None:
            origin = self.origin or (0, 0)
            # Deep pages would overflow the stack recursively: build bottom-up from what is missing.
            order: list[int] = []
            stack = [number]
            while stack:
                current = stack.pop()
                order.append(current)
                stack.extend(k for k in self._kids[current] if k not in self._built)
            for current in reversed(order):
                children = tuple(self._built[k] for k in self._kids[current])
                self._built[current] = self.node(self._rows[current], children, origin)
            built = self._built[number]
        return built

    def node(self, row: list[Any], children: tuple[Node, ...], origin: tuple[int, int]) -> Node:
        number, _, computed, name, value, states, x, y, width, height, description, placeholder, labels, href, ids = (
            full_row(row)
        )
        bounds = Bounds(origin[0] + x, origin[1] + y, width, height) if width > 0 and height > 0 else None
        state_set = self._state_sets.get(states)
        return Node(
            ref=self.ref(number),
            role=map_role(computed),
            name=name,
            description=description,
            value=value,
            states=state_set if state_set is not None else self.states(states),
            bounds=bounds,
            actions=("press",),
            children=children,
            app=self.app_name,
            raw_role=computed,
            attributes=row_attributes(placeholder, href, ids),
            labelled_by=tuple(self.ref(label) for label in labels) if labels else (),
        )

    def states(self, bits: int) -> frozenset[str]:
        found = self._state_sets.get(bits)
        if found is None:
            found = self._state_sets[bits] = frozenset(w for n, w in enumerate(STATE_WORDS) if bits >> n & 1)
        return found

    def body_ref(self) -> str:
        return self.ref(self._body)

    def ref(self, number: int) -> str:
        return self.ref_start() + str(number)

    def ref_start(self) -> str:
        """What every ref of this document starts with (its element number follows)."""
        prefix = self._ref_prefix
        if prefix[1] != self.nonce:
            prefix = self._ref_prefix = (f"{REF_PREFIX}{self.target_id}|{self.nonce}.", self.nonce)
        return prefix[0]
