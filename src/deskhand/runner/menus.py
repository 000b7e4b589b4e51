"""Menus opened like a person opens them: each menu of the item's path clicked in turn, then the item.

`Click "Preferences..."` finds an item in a closed menu of the menu bar (GTK3 keeps closed menus' items in
the tree) and opens its path; `Click "Edit > Preferences..."` walks an explicit path level by level, which
also reaches items a toolkit only shows once their menu is open (Qt's submenus). A wrong part of a path
fails naming the items of the menu it was looked for in, and closes the menus it opened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from deskhand.errors import AmbiguousMatch, LocatorError, NoMatch, NotActionable
from deskhand.locate.dialogs import blocking_dialog
from deskhand.locate.locator import Locator, Resolved, is_visible
from deskhand.locate.visibility import is_placed
from deskhand.locate.waiting import retry_until
from deskhand.tree.match import Match
from deskhand.tree.node import Node
from deskhand.tree.roles import WINDOW_ROLES, Role, State
from deskhand.tree.text import FULL_MATCH, collapse_whitespace, name_rank

MENU_ROLES = frozenset({Role.MENUITEM, Role.MENU, Role.MENUITEMCHECKBOX, Role.MENUITEMRADIO})
_SEPARATOR = ">"


def split_path(text: str) -> list[str] | None:
    """``"Edit > Preferences..."`` → its parts; None when the text is no path."""
    if _SEPARATOR not in text:
        return None
    parts = [part.strip() for part in text.split(_SEPARATOR)]
    return parts if len(parts) >= 2 and all(parts) else None


def menu_path(match: Match) -> list[Node]:
    """The menus a person opens to reach ``match``'s item, outermost first (named menu ancestors)."""
    return [a for a in match.ancestors if a.role in MENU_ROLES and a.name.strip()]


def path_text(match: Match) -> str:
    return " > ".join(collapse_whitespace(n.name) for n in (*menu_path(match), match.node))


def ambiguous_menu_items(text: str, found: list[Resolved]) -> AmbiguousMatch | None:
    """Several menu items of one name: listed by their paths, with the sentence that picks one."""
    if len(found) < 2 or not all(r.node.role in MENU_ROLES for r in found):
        return None
    paths = [path_text(r.match) for r in found]
    return AmbiguousMatch(
        f"{len(found)} menu items are called {text!r}: " + "; ".join(paths) + ".",
        candidates=paths,
        hint="Write the path of the one you mean: " + " | ".join(f'`Click "{p}"`' for p in paths[:4]),
    )


@dataclass
class MenuWalker:
    """Opens menus in ``scope`` with ``press`` (a click through the guarded backend) and waits for them."""

    scope: Locator
    press: Callable[[str], None]
    escape: Callable[[], None]
    timeout: float

    def open_to(self, resolved: Resolved) -> bool:
        """Open the closed menus in front of a hidden item; False when its path does not start on screen
        (a combo's popup, a menu of a window not shown): then there is nothing a person could open."""
        openers = menu_path(resolved.match)
        if not openers or not is_visible(self._now(openers[0])):
            return False
        for opener, then in zip(openers, [*openers[1:], resolved.node], strict=True):
            if not is_visible(self._now(then)):
                self.press(opener.ref)
            self._wait_placed(then, opener, resolved.app.ref)
        return True

    def walk(self, parts: list[str]) -> Resolved:
        """Open ``parts[:-1]`` one by one and return the last part's item, shown."""
        opened = 0
        try:
            under: Resolved | None = None
            for index, part in enumerate(parts):
                under = self._shown_item(part, under, parts[:index])
                if index < len(parts) - 1:
                    self.press(under.ref)
                    opened += 1
            assert under is not None
            return under
        except LocatorError:
            for _ in range(opened):
                self.escape()  # leave no menu open behind a failed step
            raise

    # ---- helpers --------------------------------------------------------------------------------------
    def _now(self, node: Node) -> Node:
        return self.scope.desktop.backend.refresh(node.ref)

    def _wait_placed(self, node: Node, opener: Node, app_ref: str) -> None:
        """Until ``node`` is on screen in its open menu, as a person waits for the menu to show."""

        def attempt() -> None:
            # The app's events applied first: whether the item shows depends on its menu's state too.
            self.scope.desktop.backend.snapshot(app_ref)
            if not is_placed(self._now(node)):
                raise NoMatch(f"The menu {collapse_whitespace(opener.name)!r} did not open.")

        retry_until(self.scope.desktop.backend, attempt, timeout=self.timeout, on_timeout=lambda last: last or _gone())

    def _shown_item(self, part: str, under: Resolved | None, before: list[str]) -> Resolved:
        """The visible menu item called ``part``: inside the menu just opened, or on screen for the first."""

        def attempt() -> Resolved:
            pool = self._items(under)
            hits = [r for r in pool if name_rank(part, r.node.name) == FULL_MATCH]
            if not hits and under is not None and self._exact_item_coming(part, under):
                # The item of exactly this name is in the menu but not shown yet (LibreOffice fills a menu
                # as it opens): not "AutoCorrect Options..." for "Options..." meanwhile.
                raise NotActionable(f"The menu item {part!r} is not shown yet.")
            hits = hits or [r for r in pool if name_rank(part, r.node.name) is not None]
            if len(hits) > 1 and under is None:
                # One app, several windows, each with its menu bar (LibreOffice's Calc and Writer in one
                # process): a person opens the menu of the window in front.
                hits = [r for r in hits if _in_active_window(r)] or hits
            if len(hits) == 1:
                if not is_placed(hits[0].node) and not is_placed(self._now(hits[0].node)):
                    # Marked shown before its menu is laid out (GTK3 says INT_MIN): not yet where a
                    # person could point at it. The events of the menu's drawing bring the next look.
                    raise NotActionable(f"The menu item {part!r} is not placed on screen yet.")
                return hits[0]
            where = f"the menu {' > '.join(before)!r}" if before else "the menus on screen"
            if hits:
                raise AmbiguousMatch(
                    f"{len(hits)} items called {part!r} in {where}.",
                    candidates=[collapse_whitespace(r.node.name) for r in hits],
                )
            dialog = blocking_dialog(self.scope.desktop, self.scope.app_name, self.scope.window_title)
            if dialog is not None:
                raise dialog.error(f"opening the menu {' > '.join([*before, part])!r}")
            names = [collapse_whitespace(r.node.name) for r in pool if r.node.name.strip()]
            path = [*before, "<item>"]
            raise NoMatch(
                f"No menu item {part!r} in {where}.",
                candidates=names[:12],
                hint=(f"Items there: {', '.join(names[:12])}. " if names else "")
                + f'Write the path as the menus show it: `Click "{" > ".join(path)}"`.',
            )

        return retry_until(
            self.scope.desktop.backend, attempt, timeout=self.timeout, on_timeout=lambda last: last or _gone()
        )

    def _exact_item_coming(self, part: str, under: Resolved) -> bool:
        root = self.scope.desktop.backend.snapshot(under.app.ref).find(under.ref) or under.node
        return any(
            n is not root and is_item(n, anc) and name_rank(part, n.name) == FULL_MATCH
            for n, anc in root.walk_with_ancestors()
        )

    def _items(self, under: Resolved | None) -> list[Resolved]:
        """Visible menu items inside ``under`` (the menu just opened), or anywhere in scope."""
        if under is not None:
            app = under.app
            root = self.scope.desktop.backend.snapshot(app.ref).find(under.ref) or under.node
            return [
                Resolved(Match(node=n, ancestors=(*under.match.ancestors, *anc)), app)
                for n, anc in root.walk_with_ancestors()
                if n is not root and is_item(n, anc) and is_visible(n)
            ]
        out: list[Resolved] = []
        for role in sorted(MENU_ROLES):
            try:
                found = self.scope.get_by_role(role).resolve_all()
            except NoMatch:
                continue
            out += [
                r
                for r in found
                if is_item(r.node, r.match.ancestors) and is_visible(r.node) and _bar_drawn(r.match.ancestors)
            ]
        return out


def _in_active_window(resolved: Resolved) -> bool:
    window = next((a for a in resolved.match.ancestors if a.role in WINDOW_ROLES), None)
    return window is not None and State.ACTIVE in window.states


def _bar_drawn(ancestors: tuple[Node, ...]) -> bool:
    """A menu bar of no height is not drawn, whatever its items report: LibreOffice (gtk3) keeps its own
    menu bar in the tree at height 0 beside the GTK one a person sees, each item 'showing'."""
    bar = next((a for a in reversed(ancestors) if a.role == Role.MENUBAR), None)
    return bar is None or bar.bounds is None or (bar.bounds.width > 0 and bar.bounds.height > 0)


def is_item(node: Node, ancestors: tuple[Node, ...]) -> bool:
    """A menu item a person picks: a menu node counts only as a submenu or a menu bar's menu (GTK3);
    the popup that holds a menu's items (Qt's unnamed or app-named popup) is not one."""
    if node.role != Role.MENU:
        return node.role in MENU_ROLES
    return bool(ancestors) and ancestors[-1].role in (Role.MENU, Role.MENUBAR)


def _gone() -> NoMatch:
    return NoMatch("The menu did not open.")
