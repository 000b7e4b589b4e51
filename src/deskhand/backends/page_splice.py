"""One tree of a Chromium: its AT-SPI tree with each web document's children replaced by the page's nodes
read over CDP (:mod:`deskhand.backends.composite` decides when). Only the paths down to the documents are
copied; every other subtree is shared, so an unchanged app is not copied again.
"""

from __future__ import annotations

from dataclasses import replace

from deskhand.backends.page_focus import WEB_DOCUMENT
from deskhand.tree.node import Node
from deskhand.tree.roles import State


def viewport_origin(document: Node) -> tuple[int, int]:
    """The viewport's top-left corner on screen: where the web document sits."""
    return (document.bounds.x, document.bounds.y) if document.bounds is not None else (0, 0)


Documents = tuple[list[Node], frozenset[str]]


def web_documents(root: Node) -> Documents:
    """The web documents in ``root``, and the refs of the nodes on the paths down to them."""
    documents: list[Node] = []
    on_path: set[str] = set()
    for node, ancestors in root.walk_with_ancestors():
        if node.raw_role == WEB_DOCUMENT:
            documents.append(node)
            on_path.update(above.ref for above in ancestors)
    return documents, frozenset(on_path)


def same_pages(before: dict[str, tuple[Node, ...]], now: dict[str, tuple[Node, ...]]) -> bool:
    return before.keys() == now.keys() and all(before[ref] is now[ref] for ref in now)


def splice(root: Node, pages: dict[str, tuple[Node, ...]], on_path: frozenset[str]) -> Node:
    """``root`` with each document node's children replaced by its page's nodes. Only the paths down to
    the documents are copied; every other subtree is shared."""
    if root.ref in pages:
        return replace(root, children=pages[root.ref])
    if root.ref not in on_path:
        return root
    return replace(root, children=tuple(splice(child, pages, on_path) for child in root.children))


def mark_page_dialogs(root: Node, messages: list[str]) -> Node:
    """The browser's dialog showing a page's alert()/confirm() message is modal (CDP says the page waits
    for it), though AT-SPI does not say so: mark it, so a step meets it as a modal dialog."""
    wanted = {" ".join(m.split()) for m in messages if m.strip()}

    def shows_message(node: Node) -> bool:
        return any(" ".join(n.name.split()) in wanted for n in node.walk() if n.name)

    def mark(node: Node) -> Node:
        if node.role in ("dialog", "alert") and State.MODAL not in node.states and shows_message(node):
            return replace(node, states=node.states | {State.MODAL})
        if not node.children:
            return node
        children = tuple(mark(c) for c in node.children)
        if all(a is b for a, b in zip(children, node.children, strict=True)):
            return node
        return replace(node, children=children)

    return mark(root)
