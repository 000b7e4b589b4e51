"""Where an action leads, judged before it happens: the address bar's text for every Enter in it, a link's href.

Chromium's address bar hides "http://"; a link's relative href resolves against the page's address.
"""

from __future__ import annotations

from urllib.parse import urljoin

from deskhand.policy.key_effects import chord_effect, held
from deskhand.policy.rules import ActionKind, Target
from deskhand.policy.targets import Seen
from deskhand.policy.web import as_browser_reads
from deskhand.workflows.keys import parse_chord


def target_of(kind: ActionKind, seen: Seen, keys: str, typed: str | None = None) -> Target:
    destination = None
    chord = parse_chord(keys) if kind == "press" else None
    effect = chord_effect(chord) if chord is not None else "none"
    if chord is not None and effect in ("enter", "send") and seen.is_address_bar and seen.node is not None:
        # Every Enter in the address bar goes where its text says (typed text counts from the start: typing
        # replaces the selected bar text); Ctrl+Enter first completes a bare word to www.<word>.com.
        destination = (typed if typed else seen.node.value or "").strip()
        if "Ctrl" in held(chord) and destination and not any(c in destination for c in ".:/"):
            destination = f"www.{destination}.com"
    elif seen.node is not None and seen.in_web_page and (seen.node.attributes.get("href") or "").strip():
        # A link (or a form's submit button) is judged by where it leads, before the browser goes there.
        # Dragging a link carries its address: dropped on the tab strip, the address bar or a page that does
        # not take drops, the browser goes there.
        pressing = kind in ("click", "drag") or effect in ("enter", "send", "activate")
        if pressing:
            shown = seen.target().origin or ""
            # Chromium's address bar hides "http://"; a relative link resolves against the page.
            schemeless = bool(shown) and "://" not in shown
            href = as_browser_reads(seen.node.attributes["href"])  # "/\\evil.test" is a host, as the browser reads it
            destination = urljoin(f"http://{shown}" if schemeless else shown, href)
            if schemeless and destination.startswith(f"http://{shown.split('/', 1)[0]}"):
                destination = destination.removeprefix("http://")  # same host: judged like the bar's text
    return seen.target(destination=destination)
