"""The recorder: accessibility events and real pointer presses in, steps in the step language out.

Events are only queued on the threads that deliver them; one thread (the caller's) reads the trees and
understands them in the order they happened (``ordering``: a press or key handed over late by X RECORD still
comes before the events it caused), so a press is seen before the window it closes is gone.
What becomes a step:
- text typed into a field: one `Type` per field with the final value, written when the focus leaves the
  field, a press happens or the recording ends (a password field: `{secret:<label>}`; a field with no words
  of its own: `the first text field`);
- a check box, switch or radio turning on/off: `Check` / `Uncheck`;
- a combo box showing another item: one `Choose` per combo, its final item;
- a press on a button, link, menu item, tab or list item (X RECORD): `Click` (a menu item by its path,
  `File > Save As...`); two quick presses at one place: `Double-click`; button 3: `Right-click`;
- a save dialog: `Save the file as "<path>"` (``saving``), instead of what was done in it;
- an address typed into a browser's address bar and Enter: `Open <url> in the browser` (``address_bar``);
- the first step in another window: `Switch to "<title>"` before it (the title the window had when first
  seen: an editor's title changes as the document does).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Protocol

from deskhand.app.recording.address_bar import in_address_bar
from deskhand.app.recording.clicks import Clicks
from deskhand.app.recording.emitting import Emitting
from deskhand.app.recording.event_text import with_change
from deskhand.app.recording.focus_moves import FocusMoves
from deskhand.app.recording.held import HeldTrees
from deskhand.app.recording.keyed import Keys
from deskhand.app.recording.noted import of_note
from deskhand.app.recording.ordering import Arrivals
from deskhand.app.recording.pointer import CHECKABLE
from deskhand.app.recording.save_watch import SaveDialogs
from deskhand.app.recording.saving import SaveDialog, save_window
from deskhand.app.recording.seen import Seen, in_combo, label_of, menu_item
from deskhand.app.recording.step import RecordedStep, secret_name
from deskhand.app.recording.unexposed import UnexposedApps
from deskhand.app.recording.xpresses import Key, Press
from deskhand.backends.atspi.event import AtspiEvent
from deskhand.backends.base import AppInfo
from deskhand.errors import BackendError
from deskhand.locate.desktop import Desktop
from deskhand.tree.node import Node
from deskhand.tree.roles import TEXT_INPUT_ROLES, Role, State

# How long without an event counts as the apps having caught up with the person, and the most to wait.
_QUIET_S = 0.2
_SETTLE_CAP_S = 2.0
_ANSWER_CAP_S = 6.0  # the most to wait for an app to answer the Tabs typed before a key (``focus_moves``)
_TYPED = TEXT_INPUT_ROLES - {Role.COMBOBOX}


class EventSource(Protocol):
    def listen(self, listener: Callable[[AtspiEvent], None]) -> Callable[[], None]: ...


class Recorder(Clicks, Keys, Emitting, SaveDialogs):
    """Understands what a person does on ``desktop`` (only in ``apps`` when given) until ``stop`` is set."""

    def __init__(
        self,
        desktop: Desktop,
        events: EventSource,
        *,
        apps: Sequence[str] = (),
        on_step: Callable[[RecordedStep], None] = lambda step: None,
        unexposed: UnexposedApps | None = None,
    ) -> None:
        self.desktop = desktop
        self._unexposed = unexposed  # apps that show nothing to accessibility: their clicks are told and counted
        self._events = events
        self._wanted = {a.casefold() for a in apps}
        self._on_step = on_step
        # What happened, in the order it happened (``ordering``); ``arrivals.caught_up`` is the input's marker.
        self.arrivals = Arrivals()
        self._focused: tuple[Seen, Node] | None = None
        self._moves = FocusMoves()  # Tabs typed whose focus move is still on its way
        # A press or key met while settling for the one before it: understood next, before the queue.
        self._ahead: deque[Press | Key] = deque()
        self._apps: dict[str, AppInfo] = {}
        self._trees: dict[str, Node] = {}  # each app's tree as last read
        self._held = HeldTrees()  # and as read before (a press is placed on the trees read before it)
        self._pending: dict[str, tuple[RecordedStep, Node]] = {}
        self.steps: list[RecordedStep] = []
        self.apps_used: list[str] = []
        self._window_ref = ""
        self._titles: dict[str, str] = {}
        # A click waits out the double-click time before it is a step (the press, when it was made).
        self._click: tuple[RecordedStep, Node, Press, float] | None = None
        self._save: SaveDialog | None = None
        self._highlighted: tuple[Seen, Node] | None = None
        self._address: Seen | None = None  # a browser's address bar as last typed into
        self._reload: AppInfo | None = None  # a browser to read whole before the next press (``_opened``)
        self._dialogs_read: set[str] = set()
        self._dialogs_placed: set[str] = set()
        self._reread: set[str] = set()  # focused elements the app was read afresh for (once each)
        # Fields and boxes as they were when the recording started: a value or state ending as it began is
        # no step (GTK 4 announces an empty text view's text when it first shows).
        self._at_start: dict[str, tuple[str, bool]] = {}
        self._finished: set[str] = set()  # save dialogs done with
        self._settling = False
        self._opened_while_settling = False
        self._unlisten: Callable[[], None] | None = None

    def press(self, press: Press) -> None:
        """Where the X RECORD watcher hands a pointer press (any thread)."""
        if self._unexposed is not None:
            self._unexposed.note(press)  # before it is queued: the window under it, while it is still there
        self.arrivals.input(press)

    def key(self, key: Key) -> None:
        """Where the X RECORD watcher hands a key going down (any thread). Every key is queued, typed ones
        too: each marks where the events of what was done before it end (see ``_settle``)."""
        self.arrivals.input(key)

    def start(self) -> None:
        """Listen, and read the watched apps as they are now (what a first press lands on)."""
        self._unlisten = self._events.listen(self.arrivals.event)
        for app in self.desktop.apps():
            if self._watched(app):
                self._apps[app.ref.split("|", 1)[0]] = app
                tree = self._read(app)
                for window in tree.children if tree is not None else ():
                    self._titles.setdefault(window.ref, window.name)
                for node in tree.walk() if tree is not None else ():
                    if node.role in _TYPED or node.role in CHECKABLE:
                        self._at_start[node.ref] = (node.value or "", node.has(State.CHECKED))

    def run(self, stop: threading.Event) -> list[RecordedStep]:
        """Understand what happens until ``stop`` is set; the last typed values become steps at the end."""
        if self._unlisten is None:
            self.start()
        try:
            while not stop.is_set() or self._ahead:
                if self._ahead:
                    self._understand(self._ahead.popleft())
                    continue
                item = self.arrivals.next(timeout=0.1)
                if item is None:
                    self._click_done(waited=True)
                    self._save_waited(quiet=True)
                    continue
                self._understand(item)
            while self.arrivals.waiting() or self._ahead:
                ahead = self._ahead.popleft() if self._ahead else self.arrivals.next(timeout=0.0)
                if ahead is not None:
                    self._understand(ahead)
        finally:
            if self._unlisten is not None:
                self._unlisten()
        self._save_waited(quiet=False, ending=True)
        self._click_done(waited=False)
        self._flush(keep=None)
        return self.steps

    # ---- reading ------------------------------------------------------------------------------
    def _watched(self, app: AppInfo) -> bool:
        return not self._wanted or app.name.casefold() in self._wanted

    def _app_of(self, bus_name: str) -> AppInfo | None:
        if bus_name not in self._apps:
            for app in self.desktop.backend.applications():
                self._apps.setdefault(app.ref.split("|", 1)[0], app)
        known = self._apps.get(bus_name)
        return known if known is not None and self._watched(known) else None

    def _read(self, app: AppInfo) -> Node | None:
        try:
            tree = self.desktop.backend.snapshot(app.ref)
        except BackendError:
            return self._trees.get(app.ref)
        self._trees[app.ref] = tree
        self._held.add(app.ref, time.monotonic(), tree)
        return tree

    def _seen(self, app: AppInfo, tree: Node, ref: str) -> Seen | None:
        for node, ancestors in tree.walk_with_ancestors():
            if node.ref == ref:
                return Seen(node, ancestors, app, label_of(tree, node))
        return None

    # ---- understanding ------------------------------------------------------------------------
    def _understand(self, item: AtspiEvent | Press | Key) -> None:
        if isinstance(item, Press | Key):
            self._save_waited(quiet=False)  # the person acts again: a pressed Save whose dialog went is its step
            if isinstance(item, Press):
                self._pressed(item)
                if self._unexposed is not None:
                    self._unexposed.forget(item)
            else:
                self._keyed(item)
            return
        self._save_heard(item)
        self._moves.event(item)
        if not of_note(item):
            return
        app = self._app_of(item.bus_name)
        if app is None:
            return
        tree = self._read(app)
        seen = self._seen(app, tree, item.ref) if tree is not None else None
        focused = item.member == "StateChanged" and item.detail == State.FOCUSED and item.number
        if seen is None and focused and item.ref not in self._reread:
            self._reread.add(item.ref)  # a dialog's field the kept tree does not hold yet: read the app afresh
            self.desktop.backend.invalidate(app.ref)
            tree = self._read(app)
            seen = self._seen(app, tree, item.ref) if tree is not None else None
        gone = False
        if seen is None:
            # The app no longer shows it (under load the recorder reads after the app closed the window): the
            # element as last read, its new facts from the event itself (``_from_event``).
            held = self._held.holding(app.ref, item.ref)
            seen = self._seen(app, held, item.ref) if held is not None else None
            if seen is None or held is None:
                if focused and self._save is None:
                    # The focus moved to something never seen: a key there is no Click on the one before (in a
                    # save dialog, whose completion rows come and go, its keys end in its Save step anyway).
                    self._focused = None
                return
            if save_window(seen.ancestors, seen.node, held) is not None:
                return  # a save dialog's last events are carried by ``_save_heard``
            tree, gone = held, True
        if seen is None or tree is None:
            return
        if gone:
            self._from_event(item, seen, tree)
            return
        node = seen.node
        if focused:
            self._focused = seen, tree
        if item.member == "StateChanged" and item.detail == State.SELECTED and menu_item(seen):
            if item.number:
                self._highlighted = seen, tree
            elif self._highlighted is not None and self._highlighted[0].node.ref == node.ref:
                self._highlighted = None
        if self._in_save_dialog(seen, tree):
            return  # what is done in a save dialog is its Save step
        if focused:
            self._flush(keep=node.ref)
        elif item.member == "TextChanged" and node.role in _TYPED and in_address_bar(seen):
            self._address = seen  # an address is no Type: Enter makes it `Open` (the browser rewrites it too)
        elif item.member == "TextChanged" and node.role in _TYPED and not in_combo(seen):
            secret = secret_name(seen.label) if node.has(State.PASSWORD) else ""
            step = self._step(seen, "type_text", value=node.value or "", secret=secret)
            self._pending[node.ref] = (step, tree)
        elif item.member == "StateChanged" and item.detail == State.CHECKED and node.role in CHECKABLE:
            if node.role != Role.RADIO or item.number:
                # Pending like a typed value: the state it ends in is the step (GTK 4 reports a click on a
                # check box as unchecked, then checked).
                self._pending[node.ref] = (self._step(seen, "set_checked", checked=bool(item.number)), tree)
        elif node.role == Role.COMBOBOX and item.member in ("PropertyChange", "SelectionChanged", "ChildrenChanged"):
            shown = node.value or node.name
            if shown and shown != seen.label:
                self._pending[node.ref] = (self._step(seen, "choose", value=shown), tree)

    def _from_event(self, item: AtspiEvent, seen: Seen, tree: Node) -> None:
        """An event on an element the app no longer shows: only what the event itself says is taken (the
        element's value and state as last read are older than the event)."""
        node = seen.node
        if item.member == "StateChanged" and item.detail == State.FOCUSED and item.number:
            self._focused = seen, tree
            self._flush(keep=node.ref)
        elif item.member == "TextChanged" and node.role in _TYPED and not in_combo(seen) and not in_address_bar(seen):
            pending = self._pending.get(node.ref)
            value = with_change(pending[0].value if pending is not None else node.value or "", item)
            secret = secret_name(seen.label) if node.has(State.PASSWORD) else ""
            self._pending[node.ref] = (self._step(seen, "type_text", value=value, secret=secret), tree)
        elif item.member == "StateChanged" and item.detail == State.CHECKED and node.role in CHECKABLE:
            if node.role != Role.RADIO or item.number:
                self._pending[node.ref] = (self._step(seen, "set_checked", checked=bool(item.number)), tree)
        elif node.role == Role.COMBOBOX and item.member == "PropertyChange" and item.text and item.text != seen.label:
            self._pending[node.ref] = (self._step(seen, "choose", value=item.text), tree)

    def _settle(self, probe: Callable[[], object] = lambda: None, until: Callable[[], bool] | None = None) -> None:
        """Take in the apps' events still on their way before a press or key is understood: X RECORD stamps it
        with the moment it was made, while the events of what was done before it come over D-Bus, later. Done
        when no event has come for a while (capped), or at the next press or key: what follows that belongs
        after it. With ``until``, quiet is not enough: it must also hold (longer capped: an app busy under load
        tells nothing for seconds).
        ``probe`` runs after each event taken in."""
        self._settling, self._opened_while_settling = True, False
        try:
            deadline = time.monotonic() + (_SETTLE_CAP_S if until is None else _ANSWER_CAP_S)
            while time.monotonic() < deadline:
                item = self.arrivals.next(timeout=_QUIET_S)
                if item is None:
                    if until is None or until():
                        return
                    continue
                if isinstance(item, Press | Key):
                    self._ahead.append(item)
                    return
                self._understand(item)
                probe()
        finally:
            self._settling = False
