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
from dataclasses import replace
from typing import Protocol

from deskhand.app.recording.address_bar import FOCUS_CHORDS, as_url, in_address_bar
from deskhand.app.recording.check import check_step
from deskhand.app.recording.noted import of_note
from deskhand.app.recording.ordering import Arrivals, input_time
from deskhand.app.recording.pointer import (
    CHECKABLE,
    DOUBLE_CLICK_MS,
    area,
    is_double,
    menu_path,
    opens_a_menu,
    pressed_at,
)
from deskhand.app.recording.save_watch import SaveDialogs
from deskhand.app.recording.saving import SaveDialog
from deskhand.app.recording.seen import Seen, in_combo, label_of, menu_item
from deskhand.app.recording.step import RecordedStep, secret_name
from deskhand.app.recording.xpresses import Key, Press
from deskhand.backends.atspi.event import AtspiEvent
from deskhand.backends.base import AppInfo
from deskhand.errors import BackendError
from deskhand.locate.desktop import Desktop
from deskhand.tree.node import Node
from deskhand.tree.roles import TEXT_INPUT_ROLES, Role, State
from deskhand.workflows.keys import normalise_chord

# How long without an event counts as the apps having caught up with the person, and the most to wait.
_QUIET_S = 0.2
_SETTLE_CAP_S = 2.0
# Keys that are a step of their own without a modifier (with Ctrl, Alt or Super every key is a chord).
_KEYS_OF_NOTE = frozenset({"Return", "KP_Enter", "Escape", "space", "Delete", "F1", "F2", "F5", "F10"})
_TYPED = TEXT_INPUT_ROLES - {Role.COMBOBOX}


class EventSource(Protocol):
    def listen(self, listener: Callable[[AtspiEvent], None]) -> Callable[[], None]: ...


class Recorder(SaveDialogs):
    """Understands what a person does on ``desktop`` (only in ``apps`` when given) until ``stop`` is set."""

    def __init__(
        self,
        desktop: Desktop,
        events: EventSource,
        *,
        apps: Sequence[str] = (),
        on_step: Callable[[RecordedStep], None] = lambda step: None,
    ) -> None:
        self.desktop = desktop
        self._events = events
        self._wanted = {a.casefold() for a in apps}
        self._on_step = on_step
        # What happened, in the order it happened (``ordering``); ``arrivals.caught_up`` is the input's marker.
        self.arrivals = Arrivals()
        self._focused: tuple[Seen, Node] | None = None
        # A press or key met while settling for the one before it: understood next, before the queue.
        self._ahead: deque[Press | Key] = deque()
        self._apps: dict[str, AppInfo] = {}
        self._trees: dict[str, Node] = {}
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
        self._save_waited(quiet=False)
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
        return tree

    def _seen(self, app: AppInfo, tree: Node, ref: str) -> Seen | None:
        for node, ancestors in tree.walk_with_ancestors():
            if node.ref == ref:
                return Seen(node, ancestors, app, label_of(tree, node))
        return None

    # ---- understanding ------------------------------------------------------------------------
    def _understand(self, item: AtspiEvent | Press | Key) -> None:
        if isinstance(item, Press | Key):
            self._save_waited(quiet=False)  # the person acts again: a pressed Save is done with
            self._pressed(item) if isinstance(item, Press) else self._keyed(item)
            return
        self._save_heard(item)
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
        if seen is None or tree is None:
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

    def _pressed(self, press: Press) -> None:
        # The trees held are as fresh as the last event and show the screen the person pressed on; reading
        # again would race the press itself (an OK button closes its window on release). When they show
        # nothing there yet (a menu just opened: its events are still on their way), each event taken in
        # while settling is a chance to see it, before the events of the press itself hide it again.
        # A menu item is found by its highlight instead: GTK3 announces a menu, not each item coming on
        # screen, so the held tree may not know where its items are; the item under the pointer is
        # highlighted (selected) as the press lands.
        pending = self._click
        if pending is not None and is_double(pending[2], press):
            # The toolkit's own rule (place and time, not what the tree shows): the trees may already show what
            # the double click did (zenity's list is gone), read as they are when the recorder gets here.
            self._click = None
            self._emit(replace(pending[0], kind="double_click"), pending[1])
            return
        if self._reload is not None:
            # A page opened since the browser was last read whole: its address bar's suggestion list, closed
            # with no event, may still be held over the page (a click on the page's field read as a suggestion).
            self.desktop.backend.invalidate(self._reload.ref)
            self._read(self._reload)
            self._reload = None
        found = self._under(press)
        # The dialog's Save and Cancel where they were read whole: the held tree may have lost their place.
        word = self._save.button_at(press.x, press.y) if self._save is not None else ""
        if word and self._save is not None:
            self._save.saved = word == "save"
            self._save_pressed()
            return
        settled = found is None
        if found is None:
            hits: list[tuple[Seen, Node] | None] = [self._highlighted]  # pointed at before the press
            before = self._focused

            def probe() -> None:
                # The highlight may come and go (activated) within the settling; a button pressed takes
                # the focus (a dialog's Save, laid out after the tree held was read).
                pressed = self._focused if self._focused is not before else None
                if pressed is not None and pressed[0].node.role != Role.BUTTON:
                    pressed = None
                if not any(hits):
                    hits.append(self._under(press) or self._highlighted or pressed)

            self._settle(probe=probe)
            found = next((hit for hit in hits if hit is not None), None) or self._highlighted
            self._highlighted = None
        if found is not None and self._in_save_dialog(*found, by_person=True):
            if not settled:
                self._settle()
            if self._save_button(found[0].node):
                self._save_pressed()
            return
        if not settled:
            self._settle()
        self._flush(keep=None)
        if found is None:
            return
        seen, tree = found
        if press.button == 2 or (press.button == 1 and (seen.node.role in CHECKABLE or in_combo(seen))):
            return  # a check box's state change, or the combo's new item, is the step
        if opens_a_menu(seen.node, seen.ancestors):
            return  # the path is written with the item at its end
        if self._opened_while_settling:
            return  # it opened a save dialog: `Save the file as` is the step
        if press.button == 3:
            self._emit(self._step(seen, "right_click"), tree)
            return
        self._click_done(waited=False)
        self._click = self._step(seen, "click"), tree, press, input_time(press.time, time.monotonic())

    def _under(self, press: Press) -> tuple[Seen, Node] | None:
        found: tuple[Seen, Node] | None = None
        for app in list(self._apps.values()):
            tree = self._trees.get(app.ref) if self._watched(app) else None
            hit = pressed_at(tree, press) if tree is not None else None
            closer = hit is not None and (found is None or area(hit[0].bounds) < area(found[0].node.bounds))
            if tree is not None and hit is not None and closer:
                found = Seen(hit[0], hit[1], app, label_of(tree, hit[0])), tree
        return found

    def _click_done(self, *, waited: bool) -> None:
        """The pending click becomes a step: now, or (``waited``) once the double-click time since the press
        has passed with no press in it. Judged by when the presses were made, not when they are handed over:
        under load X RECORD hands the second press of a double click over later than 400 ms after the first
        was understood, so the input stream must have caught up with the end of that time first."""
        if self._click is None:
            return
        step, tree, _, at = self._click
        if waited and time.monotonic() - at < DOUBLE_CLICK_MS / 1000:
            return
        if waited and (not self.arrivals.caught_up() or self.arrivals.input_waiting()):
            return  # a second press may be on its way, or is: it is understood first
        self._click = None
        self._emit(step, tree)

    def _keyed(self, key: Key) -> None:
        """Enter or Space on a focused button is its click; a chord (Ctrl+S) or Enter/Escape elsewhere is a
        `Press`. Plain typing is left to the text events, Tab and arrows to focus and selection events."""
        focused = self._focused
        plain = key.name not in _KEYS_OF_NOTE and not key.modifiers - {"shift"}
        if focused is not None and self._in_save_dialog(*focused, by_person=True) and self._save is not None:
            if not self._save.buttons:
                self._place_buttons(self._save, *focused)
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
        self._settle()
        focused = self._focused
        chord = normalise_chord("+".join([*sorted(key.modifiers), key.name]))
        if chord is None:
            return
        if not key.modifiers and focused is not None and focused[0].node.role == Role.BUTTON:
            if key.name in ("Return", "KP_Enter", "space"):
                self._flush(keep=None)
                self._emit(self._step(focused[0], "click"), focused[1])
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

    def _settle(self, probe: Callable[[], object] = lambda: None) -> None:
        """Take in the apps' events still on their way before a press or key is understood: X RECORD stamps it
        with the moment it was made, while the events of what was done before it come over D-Bus, later. Done
        when no event has come for a while (capped), or at the next press or key: what follows that belongs
        after it.
        ``probe`` runs after each event taken in."""
        self._settling, self._opened_while_settling = True, False
        try:
            deadline = time.monotonic() + _SETTLE_CAP_S
            while time.monotonic() < deadline:
                item = self.arrivals.next(timeout=_QUIET_S)
                if item is None:
                    return
                if isinstance(item, Press | Key):
                    self._ahead.append(item)
                    return
                self._understand(item)
                probe()
        finally:
            self._settling = False

    # ---- steps --------------------------------------------------------------------------------
    def _title(self, top: Node | None) -> str:
        return self._titles.setdefault(top.ref, top.name) if top is not None else ""

    def _step(self, seen: Seen, kind: str, **facts: object) -> RecordedStep:
        # GTK3 pads menu items' names with the space their accelerator column takes ("Save As...      ").
        target = seen.label if kind in ("type_text", "choose") else seen.node.name.strip() or seen.label
        path = menu_path(seen.node, seen.ancestors) if kind == "click" else ()
        if path:
            target = " > ".join(path)
        role = seen.node.role if not target else None
        top = seen.top
        return RecordedStep(
            kind,
            target,
            app=seen.app.name,
            window=self._title(top),
            ref=seen.node.ref,
            path=path,
            role=role,
            window_ref=top.ref if top is not None else "",
            **facts,  # type: ignore[arg-type]
        )

    def _flush(self, keep: str | None) -> None:
        for ref in [r for r in self._pending if r != keep]:
            step, tree = self._pending.pop(ref)
            if not self._as_it_began(step):
                self._emit(step, tree)

    def _as_it_began(self, step: RecordedStep) -> bool:
        began = self._at_start.get(step.ref)
        if began is None:
            return False
        if step.kind == "type_text":
            return not step.secret and step.value == began[0]
        return step.kind == "set_checked" and step.checked == began[1]

    def _emit(self, step: RecordedStep, tree: Node | None) -> None:
        if self._click is not None and step is not self._click[0]:
            self._click_done(waited=False)  # the click came first
        if step.window and step.window_ref and step.window_ref != self._window_ref:
            self._window_ref = step.window_ref
            self._add(RecordedStep("switch", step.window, app=step.app, window=step.window))
        self._add(check_step(self.desktop, step, tree))

    def _add(self, step: RecordedStep) -> None:
        if step.app and step.app not in self.apps_used:
            self.apps_used.append(step.app)
        self.steps.append(step)
        self._on_step(step)
