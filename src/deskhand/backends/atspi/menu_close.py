"""A menu item clicked in a popup: its menu closes in the toolkit's own time, and until it has, the popup
holds the keyboard and pointer (GTK 4 hides a popover a moment after its item runs: keys typed meanwhile
were lost). A person waits for the menu to go before going on; so does deskhand."""

from __future__ import annotations

import time
from typing import Protocol

from deskhand.tree.roles import Role

# Items whose click closes their menu (a submenu's opener, role menu, keeps it open).
CLOSING_ROLES = frozenset({Role.MENUITEM, Role.MENUITEMCHECKBOX, Role.MENUITEMRADIO})
# A menu that stays open after its item ran (an item that keeps it open on purpose) is left open after this.
MENU_CLOSE_WAIT_S = 3.0


class Popups(Protocol):
    def popup_at(self, x: int, y: int) -> bool: ...


class Changes(Protocol):
    def wait_for_change(self, timeout: float) -> bool: ...


def wait_menu_closed(popups: Popups, changes: Changes, x: int, y: int, cap_s: float = MENU_CLOSE_WAIT_S) -> bool:
    """Until no popup covers the clicked point; woken by the app's accessibility events (a closing menu sends
    them), looked at again every 20 ms without. False when the menu is still open at ``cap_s``."""
    deadline = time.monotonic() + cap_s
    while popups.popup_at(x, y):
        if time.monotonic() >= deadline:
            return False
        changes.wait_for_change(0.02)
    return True
