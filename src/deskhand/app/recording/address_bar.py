"""A browser's address bar: an address typed into it and Enter is `Open <url> in the browser`, not its keys.

The address bar is the browser's own text field (Chromium's or Firefox's, by the app), outside any web page.
The runner's `Open <url>` opens the page itself, so the key that put the focus there (Ctrl+L, Alt+D, F6) is no
step either. An address typed with no scheme is written with ``http://``: what the browser's omnibox assumed
when it loaded the page the person was shown (a host and port on the loopback, a plain name).
"""

from __future__ import annotations

from deskhand.app.recording.seen import Seen
from deskhand.sandbox.browsers import browser_kind
from deskhand.tree.roles import Role

# The keys that put the focus into the address bar in Chromium and Firefox.
FOCUS_CHORDS = frozenset({"Ctrl+L", "Alt+D", "F6"})
_FIELDS = frozenset({Role.TEXTBOX, Role.SEARCHBOX, Role.COMBOBOX})
_PAGES = frozenset({Role.DOCUMENT})


def in_address_bar(seen: Seen) -> bool:
    """Whether ``seen`` is a browser's own address field (a text field of the browser outside its pages)."""
    if browser_kind(seen.app.name) is None or seen.node.role not in _FIELDS:
        return False
    return not any(a.role in _PAGES for a in seen.ancestors)


def as_url(typed: str) -> str:
    """The address as the browser took it: ``http://`` before one typed with no scheme."""
    typed = typed.strip()
    return typed if "://" in typed or typed.startswith(("about:", "data:", "file:")) else f"http://{typed}"
