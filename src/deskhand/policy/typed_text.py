"""Typed text, as the guard sends it: control characters are the keys they produce, and long text goes out in
short runs with the stop checked between two.

A newline typed into a one-line field of a web form is Enter, so it is judged as ``press Enter`` there (it asks,
like the submit it is); a tab moves the focus, so what follows is judged again on whatever has the focus then;
a character no key types (other control characters, line separators) is refused. Keys in typed text are judged
before any of the text is typed, up to the first key that moves the focus, and each again as it is sent if
the focus is elsewhere by then.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import cast

from deskhand.backends.base import Backend, TextNow, offers
from deskhand.errors import BackendError, PolicyDenied, PolicyError
from deskhand.policy.key_effects import TAB_KEYS, typed_pieces
from deskhand.policy.rules import ActionKind, Decision, is_browser
from deskhand.policy.secrets import SecretResolver
from deskhand.policy.targets import Seen, see_focus
from deskhand.tree.roles import TEXT_INPUT_ROLES, State
from deskhand.workflows.keys import Chord
from deskhand.workflows.secret_text import secret_names

# Typed text goes out in short runs, each followed by a wait until the app has taken it in: a stop is obeyed
# between two runs and the app is never more than one run behind what was sent.
TYPE_CHUNK_CHARS = 16
TYPE_QUIET_S = 0.03  # no change event for this long: the app has taken in what was sent
TYPE_CATCH_UP_S = 2.0  # an app that never goes quiet (a clock, a spinner) does not stall typing for longer
TYPE_GLANCE_S = 0.002  # a lull this long in a text field's events: look whether it holds the run yet (one call)


def chunks_of(text: str) -> list[str]:
    return [text[i : i + TYPE_CHUNK_CHARS] for i in range(0, len(text), TYPE_CHUNK_CHARS)]


class TypedText:
    """The typed-text half of :class:`~deskhand.policy.guard.GuardedBackend` (it supplies what is declared here)."""

    inner: Backend
    secrets: SecretResolver
    _focused: str | None
    _judge: Callable[..., None]
    _refuse: Callable[[str, Seen, Decision, type[PolicyError]], None]
    _stop_check: Callable[[], None]
    _redact: Callable[[str], str]
    _enforce_focus: Callable[..., Seen]

    # ---- typed text: control characters are keys --------------------------------------------------------
    def _check_typed_text(self, kind: ActionKind, seen: Seen, text: str, typed: str) -> None:
        """Refuse text with a character no key types, and secrets typed into the browser's own controls
        (``text`` as the caller gave it, ``typed`` with its secrets swapped in)."""
        _, bad = typed_pieces(typed)
        if bad:
            reason = f"{kind} on {seen.target().describe()} refused: the text holds the control character {bad!r}"
            hint = "Type text without control characters; press keys with a Press step."
            self._refuse(kind, seen, Decision("deny", reason, hint), PolicyDenied)
        holds_secret = bool(secret_names(text)) or self._redact(typed) != typed
        if is_browser(seen.app) and not seen.in_web_page and holds_secret:
            where = seen.target().describe()
            reason = f"{kind} on {where} refused: a secret is never typed into the browser's own address or search bar"
            self._refuse(
                kind, seen, Decision("deny", reason, "Type secrets only into fields of an allowed page."), PolicyDenied
            )

    def _keys_in_field_text(self, seen: Seen, text: str) -> list[tuple[Chord, str]]:
        """The keys a field's new text would press, each with the text before it (a new line in a multi-line
        field is text, not a key)."""
        pieces, _ = typed_pieces(text)
        keys: list[tuple[Chord, str]] = []
        before = ""
        for piece in pieces:
            if not isinstance(piece, Chord):
                before += piece
                continue
            newline_in_text = seen.widget == "multi_line_field" and (
                piece.key == "Return" or (piece.keysym in TAB_KEYS and not seen.in_web_page)
            )
            if not newline_in_text:
                keys.append((piece, before))
        moving = next((k for k, _ in keys if k.keysym in TAB_KEYS or k.key == "Escape"), None)
        if moving is not None:
            reason = (
                f"set_text on {seen.target().describe()} refused: its text holds {moving.key}, which would move "
                "the focus or close the form, and the rest of the text would land elsewhere"
            )
            self._refuse("set_text", seen, Decision("deny", reason, "Fill each field on its own."), PolicyDenied)
        return keys

    def _judge_keys_ahead(self, seen: Seen, pieces: list[str | Chord]) -> set[int]:
        """Judge the keys of typed text against the focus before any of it is typed, up to the first key that
        moves the focus; returns the indices judged (the rest are judged when they are sent)."""
        judged: set[int] = set()
        typed_before = ""
        for piece in pieces:
            if not isinstance(piece, Chord):
                typed_before += piece
                continue
            self._judge(
                "press",
                seen,
                lambda: see_focus(self.inner, self._focused),
                value=piece.spelling,
                keys=piece.spelling,
                typed=typed_before,
            )
            judged.add(id(piece))
            if piece.keysym in TAB_KEYS:
                break
        return judged

    def _send_typed_key(self, key: Chord, judged: set[int], judged_on: str | None) -> None:
        """Send ``key``, judged again on what has the focus now unless it was judged ahead on that very element
        (``judged_on``): a page can move the focus while the text before it is typed (a keydown handler), and
        an Enter judged on a field outside any form must not land in one that submits."""
        self._stop_check()
        now = see_focus(self.inner, self._focused)
        moved = now.node is None or now.node.ref != judged_on
        if id(key) not in judged or moved or now.is_address_bar:
            self._judge(
                "press", now, lambda: see_focus(self.inner, self._focused), value=key.spelling, keys=key.spelling
            )
        self.inner.press(key.spelling)
        self._pace()

    def _send_pieces(self, seen: Seen, pieces: list[str | Chord], judged: set[int]) -> None:
        focus: Seen | None = seen
        judged_on = seen.node.ref if seen.node is not None else None
        for piece in pieces:
            if isinstance(piece, Chord):
                self._send_typed_key(piece, judged, judged_on)
                focus = None
                continue
            if focus is None:  # a key moved the focus: the text goes to whatever has it now
                focus = self._enforce_focus("type_text", value=self._redact(piece))
                self._check_typed_text("type_text", focus, piece, piece)
            field = _text_field(focus)
            for chunk in chunks_of(piece):
                self._stop_check()
                self.inner.type_text(chunk)
                field = (field[0], field[1] + chunk) if field is not None else None
                self._pace(field)

    def _pace(self, field: tuple[str, str] | None = None) -> None:
        """Let the app take in what was typed before more is sent, so a stop leaves nothing queued behind it:
        the app's change events (one per keystroke taken in) must fall quiet first — or, typing at the end of
        a text field (``field``: its ref and the text it should hold now), the field must hold all of it."""
        deadline = time.monotonic() + TYPE_CATCH_UP_S
        last_change = time.monotonic()
        while time.monotonic() < deadline:
            if field is None:
                if not self.inner.wait_for_change(TYPE_QUIET_S):
                    return
                continue
            if self.inner.wait_for_change(TYPE_GLANCE_S):
                last_change = time.monotonic()
                continue
            if self._holds(*field) or time.monotonic() - last_change >= TYPE_QUIET_S:
                return

    def _holds(self, ref: str, text: str) -> bool:
        try:
            held = cast(TextNow, self.inner).text_now(ref) if offers(self.inner, TextNow) else None
            return (held if held is not None else self.inner.refresh(ref).value) == text
        except BackendError:
            return False  # gone or not answering: the events falling quiet decide


def _text_field(focus: Seen) -> tuple[str, str] | None:
    """The focused text field and the text it holds, where typed runs can be checked by what it holds (a
    password field shows dots, not what was typed)."""
    node = focus.node
    if node is None or node.value is None or node.role not in TEXT_INPUT_ROLES or State.PASSWORD in node.states:
        return None
    return node.ref, node.value
