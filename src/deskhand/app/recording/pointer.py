"""What a pointer press landed on, in the trees the recorder holds, and the words a click on it is written in.

A left press is taken on the smallest button-like element under the point (button, link, menu item, tab,
list or tree item, a list view's row (table cell), check box); a right press also on a field (a context menu
is most often wanted on a field).
A menu item is written as the path of menus a person opens to reach it (``File > Save As...``), the way the
runner walks an explicit path; an item of a context menu (no named menu above it) by its own name.
Two left presses at one place within the toolkits' double-click time and distance (GTK's defaults, 400 ms and
5 px; Qt's are the same or longer) are a double click.
"""

from __future__ import annotations

from deskhand.app.recording.xpresses import Press
from deskhand.locate.visibility import is_visible
from deskhand.runner.menus import MENU_ROLES
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import TEXT_INPUT_ROLES, Role
from deskhand.tree.text import collapse_whitespace

CHECKABLE = (Role.CHECKBOX, Role.SWITCH, Role.RADIO, Role.MENUITEMCHECKBOX)
# A table cell is a row of a list view (GtkTreeView, Qt item views): a click selects it, a double click opens it.
CLICKABLE = (Role.BUTTON, Role.LINK, Role.MENUITEM, Role.TAB, Role.LISTITEM, Role.OPTION, Role.TREEITEM, Role.CELL)
# What a right press may be about besides those: fields and documents, and anything named a person points at.
_RIGHT_CLICKABLE = (*CLICKABLE, *CHECKABLE, *TEXT_INPUT_ROLES, Role.DOCUMENT, Role.LABEL, Role.IMAGE)
DOUBLE_CLICK_MS = 400
DOUBLE_CLICK_PX = 5


def area(bounds: Bounds | None) -> int:
    return bounds.width * bounds.height if bounds is not None else 1 << 62


def pressed_at(tree: Node, press: Press) -> tuple[Node, tuple[Node, ...]] | None:
    """The smallest element of a kind a press of this button means, shown under the press's point."""
    roles = _RIGHT_CLICKABLE if press.button == 3 else (*CLICKABLE, *CHECKABLE)
    best: tuple[Node, tuple[Node, ...]] | None = None
    for node, ancestors in tree.walk_with_ancestors():
        box = node.bounds
        kind = node.role in roles or opens_a_menu(node, ancestors)
        if not kind or box is None or not is_visible(node):
            continue
        inside = box.x <= press.x < box.x + box.width and box.y <= press.y < box.y + box.height
        if inside and (best is None or area(box) < area(best[0].bounds)):
            best = node, ancestors
    return best


def opens_a_menu(node: Node, ancestors: tuple[Node, ...]) -> bool:
    """A menu of the menu bar or a submenu: pressing it opens the next level of a path, no step of its own."""
    return node.role == Role.MENU and bool(ancestors) and ancestors[-1].role in (Role.MENU, Role.MENUBAR)


def menu_path(node: Node, ancestors: tuple[Node, ...]) -> tuple[str, ...]:
    """The item's path from the menu bar (its named menu ancestors, then itself); empty for a non-menu item."""
    if node.role not in MENU_ROLES:
        return ()
    menus = [a for a in ancestors if a.role in MENU_ROLES and a.name.strip()]
    return tuple(collapse_whitespace(n.name) for n in (*menus, node))


def is_double(first: Press, second: Press) -> bool:
    """Whether ``second`` completes a double click begun by ``first`` (X server times, in ms)."""
    close = abs(first.x - second.x) <= DOUBLE_CLICK_PX and abs(first.y - second.y) <= DOUBLE_CLICK_PX
    return first.button == second.button == 1 and close and 0 <= second.time - first.time <= DOUBLE_CLICK_MS
