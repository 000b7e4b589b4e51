"""The recorder's keys: Enter or Space on a focused button is its `Click`, a chord or Enter/Escape elsewhere a
`Press`, Enter in a browser's address bar an `Open <url>`; plain typing is left to the text events."""

from __future__ import annotations

from collections.abc import Callable

from deskhand.app.recording.address_bar import FOCUS_CHORDS, as_url, in_address_bar
from deskhand.app.recording.focus_moves import FocusMoves
from deskhand.app.recording.saving import SaveDialog
from deskhand.app.recording.seen import Seen
from deskhand.app.recording.step import RecordedStep
from deskhand.app.recording.xpresses import Key
from deskhand.backends.base import AppInfo
from deskhand.tree.node import Node
from deskhand.tree.roles import Role
from deskhand.workflows.keys import normalise_chord

# Keys that are a step of their own without a modifier (with Ctrl, Alt or Super every key is a chord).
_KEYS_OF_NOTE = frozenset({"Return", "KP_Enter", "Escape", "space", "Delete", "F1", "F2", "F5", "F10"})
# Written beside a key's step when the app never told where the Tabs typed before it moved the focus.
_UNANSWERED = "the app did not tell where the Tab before this key moved the focus: check what it acts on"


class Keys:
    """The keyboard half of :class:`~deskhand.app.recording.watcher.Recorder`."""

    steps: list[RecordedStep]
    _focused: tuple[Seen, Node] | None
    _moves: FocusMoves
    _save: SaveDialog | None
    _address: Seen | None
    _reload: AppInfo | None
    _window_ref: str
    _opened_while_settling: bool
    _settle: Callable[..., None]
    _flush: Callable[..., None]
    _emit: Callable[[RecordedStep, Node | None], None]
    _step: Callable[..., RecordedStep]
    _title: Callable[[Node | None], str]
    _in_save_dialog: Callable[..., bool]
    _place_buttons: Callable[..., None]
    _save_pressed: Callable[[], None]

    def _keyed(self, key: Key) -> None:
        """Enter or Space on a focused button is its click; a chord (Ctrl+S) or Enter/Escape elsewhere is a
        `Press`. Plain typing is left to the text events, Tab and arrows to focus and selection events."""
        self._moves.key(key)
        focused = self._focused
        plain = key.name not in _KEYS_OF_NOTE and not key.modifiers - {"shift"}
        if focused is not None and self._in_save_dialog(*focused, by_person=True) and self._save is not None:
            if not self._save.buttons:
                self._place_buttons(self._save, *focused)
            self._moves.forget()  # a save dialog's keys end in its Save step, wherever its focus is
            ends = key.name in ("Return", "KP_Enter", "Escape") and not key.modifiers
            self._save.saved = ends and key.name != "Escape"
            if ends:
                self._save_pressed()
            elif not plain:
                self._settle()
            return
        if plain:
            return
        bar = self._address_bar() if key.name in ("Return", "KP_Enter") and not key.modifiers else None
        if bar is not None:
            # Before settling: what Enter does next (the page takes the focus) would flush the address as a Type.
            self._opened(bar)
            return
        # What the key acts on is the element the app had focused when it took the key: after every Tab before it.
        self._settle(until=self._moves.answered)
        unsure = "" if self._moves.answered() else _UNANSWERED
        self._moves.forget()
        focused = self._focused
        chord = normalise_chord("+".join([*sorted(key.modifiers), key.name]))
        if chord is None:
            return
        if not key.modifiers and focused is not None and focused[0].node.role == Role.BUTTON:
            if key.name in ("Return", "KP_Enter", "space"):
                self._flush(keep=None)
                self._emit(self._step(focused[0], "click", note=unsure), focused[1])
            return
        if not key.modifiers - {"shift"} and key.name == "space":
            return  # a space typed, or a check box toggled: its own events tell
        self._flush(keep=None)
        if self._opened_while_settling:
            return  # the chord opened a save dialog (Ctrl+Shift+S)
        seen = focused[0] if focused is not None else None
        top = seen.top if seen is not None else None
        step = RecordedStep(
            "press",
            chord,
            app=seen.app.name if seen else "",
            window=self._title(top),
            window_ref=top.ref if top is not None else "",
            note=unsure,
        )
        self._emit(step, focused[1] if focused is not None else None)

    def _address_bar(self) -> Seen | None:
        """The browser address bar typed into (Chromium reports no focus moving into it) or focused."""
        if self._address is not None:
            return self._address
        focused = self._focused
        return focused[0] if focused is not None and in_address_bar(focused[0]) else None

    def _opened(self, seen: Seen) -> None:
        """Enter in a browser's address bar: `Open <url>` with the address it held (``address_bar``)."""
        self._address, self._reload = None, seen.app
        address = seen.node.value or ""
        self._flush(keep=None)
        if not address.strip():
            return
        last = self.steps[-1] if self.steps else None
        if (
            last is not None
            and last.kind == "press"
            and last.target in FOCUS_CHORDS
            and last.app in ("", seen.app.name)
        ):
            self.steps.pop()  # the runner's Open puts the page there itself
        top = seen.top
        if top is not None:
            self._window_ref = top.ref  # the steps in the page that opens follow in this window
        self._emit(RecordedStep("open_url", as_url(address), app=seen.app.name), None)
