"""Choosing an option in a combo box or list, per toolkit (see actions.py's module doc for the gaps measured)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.grab import grab_png
from deskhand.backends.atspi.host import ActionHost
from deskhand.backends.atspi.option_missing import option_missing
from deskhand.backends.atspi.options_by_sight import PopupList
from deskhand.backends.screen.ocr import shared_engine
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State
from deskhand.tree.unlisted_options import face_of

OPTION_WAIT_S = 2.0
_OPTION_ROLES = (Role.OPTION, Role.LISTITEM, Role.MENUITEM)


class Choosing:
    """The choosing half of :class:`~deskhand.backends.atspi.actions.ActionStrategies`."""

    backend: ActionHost
    _call: Callable[..., list[Any]]
    _toolkit: Callable[[str], str]
    _interfaces: Callable[[str], frozenset[str]]
    _x_available: Callable[[], bool]
    _require_enabled: Callable[[Node], None]
    _x_click: Callable[..., None]
    _raise_window_of: Callable[[Node], None]
    _do_action: Callable[..., bool]
    _wait_focused: Callable[[str], None]
    focus: Callable[[str], None]

    def select_option(self, ref: str, option: str) -> None:
        # The combo's own subtree, as events keep it, holds its options (a closed GTK3 combo's menu is
        # read too): no need to read the whole app again.
        combo = self.backend.current(ref)
        self._require_enabled(combo)
        item = _find_option(combo, option)
        if item is None:
            # Options that appeared without an event: read the app again before opening the popup.
            combo = self.backend.snapshot(ref).find(ref) or combo
            item = _find_option(combo, option)
        node = combo
        # A selected option is left alone (pressing it again deselects it in Chromium's <select>): its
        # state is read live with its actions, as options change state without events.
        qt = self._toolkit(ref).lower() == "qt"
        gecko = self._toolkit(ref).lower() == "gecko"
        # Qt and Gecko select without telling the app: Qt's item action only toggles the selection (the
        # app follows the current item), and Gecko's Selection changes a <select> with no input or change
        # event for the page. Where X is there, they are chosen like a person: click the option where it
        # shows (an open list), else open the popup and click it there.
        by_hand = (qt or gecko) and self._x_available()
        if item is not None and (qt or gecko) and State.SELECTED in self.backend.refresh(item.ref).states:
            return
        if item is not None and by_hand and combo.role != Role.COMBOBOX:
            self._x_click(item)  # an open list's row; scrolled into view first where it is off screen
            return
        if item is not None and gecko and by_hand and combo.role == Role.COMBOBOX:
            # A closed Gecko <select> picks the option whose name is typed while it has the focus (and
            # tells the page); its dropdown froze Firefox's accessibility for seconds once opened.
            self.focus(ref)
            self._wait_focused(ref)
            self.backend.xinput.type_text(item.name)
            return
        if item is not None and gecko and not by_hand and self._select_in_list(combo, item):
            return
        if item is not None and not by_hand and not qt and self._do_action(item.ref, unless_selected=True):
            return
        face = face_of(combo) if item is None and self._toolkit(ref).lower() == "gtk" else None
        if face is not None and self._x_available():
            # GTK 4's combo names no options, open or closed: its list is read off the popup its button
            # opens and the option clicked there (options_by_sight.py).
            by_sight = self._by_sight()
            before = by_sight.before_click()
            self._x_click(face)
            by_sight.choose(combo, option, before)
            return
        # Qt combos (and anything whose items only exist once open): open the popup, click the item.
        self._open_popup(node)
        deadline = time.monotonic() + OPTION_WAIT_S
        while time.monotonic() < deadline:
            self.backend.wait_for_change(0.05)
            app = self.backend.snapshot(ref)
            candidates = [
                n
                for n in app.walk()
                if n.role in _OPTION_ROLES and _same(n.name, option) and n.bounds is not None and not n.bounds.empty
            ]
            if candidates:
                self._x_click(candidates[-1])
                return
        if self.backend.xinput.popups():
            self.backend.xinput.press("Escape")  # the list opened here is closed again, as a person would
        raise option_missing(option, node)

    def _by_sight(self) -> PopupList:
        xinput = self.backend.xinput
        return PopupList(
            popups=xinput.popups,
            grab=lambda box: grab_png(self.backend.display, box),
            click=xinput.click,
            press=xinput.press,
            wait=self.backend.wait_for_change,
            engine=shared_engine(),
        )

    def _select_in_list(self, combo: Node, item: Node) -> bool:
        """Gecko: an option's action does not select it in a closed <select>; its list's Selection does."""
        for node in combo.walk():
            if any(child.ref == item.ref for child in node.children):
                if c.I_SELECTION not in self._interfaces(node.ref):
                    return False
                index = [child.ref for child in node.children].index(item.ref)
                return bool(self._call(node.ref, c.I_SELECTION, "SelectChild", "i", [index])[0])
        return False

    def _open_popup(self, combo: Node) -> None:
        """Click the combo open; an editable combo opens from its arrow at the right end (its middle is
        the entry, where a click only places the cursor)."""
        if State.EDITABLE not in combo.states or combo.bounds is None:
            self._x_click(combo)
            return
        self._raise_window_of(combo)
        box = combo.bounds
        self.backend.xinput.click(box.x + box.width - max(box.height // 2, 4), box.y + box.height // 2)


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _find_option(combo: Node, option: str) -> Node | None:
    for node in combo.walk():
        if node is not combo and node.role in (Role.OPTION, Role.LISTITEM, Role.MENUITEM) and _same(node.name, option):
            return node
    return None
