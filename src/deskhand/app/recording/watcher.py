"""The recorder: accessibility events and real pointer presses in, steps in the step language out.

Events are only queued on the threads that deliver them; one thread (the caller's) reads the trees and
understands them in arrival order, so a press is seen before the window it closes is gone.
What becomes a step:
- text typed into a field: one `Type` per field with the final value, written when the focus leaves the
  field, a press happens or the recording ends (a password field: `{secret:<label>}`);
- a check box, switch or radio turning on/off: `Check` / `Uncheck`;
- a combo box showing another item: one `Choose` per combo, its final item;
- a press on a button, link, menu item, tab or list item (X RECORD): `Click`;
- the first step in another window: `Switch to "<title>"` before it.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from deskhand.app.recording.check import check_step
from deskhand.app.recording.step import RecordedStep, secret_name
from deskhand.app.recording.xpresses import Key, Press
from deskhand.backends.atspi.event import AtspiEvent
from deskhand.backends.base import AppInfo
from deskhand.errors import BackendError
from deskhand.locate.desktop import Desktop
from deskhand.tree.match import positional_labels
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import TEXT_INPUT_ROLES, WINDOW_ROLES, Role, State
from deskhand.workflows.keys import normalise_chord

_CHECKABLE = (Role.CHECKBOX, Role.SWITCH, Role.RADIO, Role.MENUITEMCHECKBOX)
_CLICKABLE = (Role.BUTTON, Role.LINK, Role.MENUITEM, Role.TAB, Role.LISTITEM, Role.OPTION, Role.TREEITEM)
# How long without an event counts as the apps having caught up with the person, and the most to wait.
_QUIET_S = 0.2
_SETTLE_CAP_S = 2.0
# Keys that are a step of their own without a modifier (with Ctrl, Alt or Super every key is a chord).
_KEYS_OF_NOTE = frozenset({"Return", "KP_Enter", "Escape", "space", "Delete", "F1", "F2", "F5", "F10"})
_TYPED = TEXT_INPUT_ROLES - {Role.COMBOBOX}
_WATCHED = ("TextChanged", "StateChanged", "SelectionChanged", "PropertyChange", "Activate", "ChildrenChanged")


class EventSource(Protocol):
    def listen(self, listener: Callable[[AtspiEvent], None]) -> Callable[[], None]: ...


@dataclass(frozen=True, slots=True)
class _Seen:
    """An element as the tree showed it, with the words the runner will look for it by."""

    node: Node
    ancestors: tuple[Node, ...]
    app: AppInfo
    label: str

    @property
    def window(self) -> str:
        return next((a.name for a in reversed(self.ancestors) if a.role in WINDOW_ROLES), "")


class Recorder:
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
        self._queue: queue.Queue[AtspiEvent | Press | Key] = queue.Queue()
        self._focused: tuple[_Seen, Node] | None = None
        # A press or key met while settling for the one before it: understood next, before the queue.
        self._ahead: deque[Press | Key] = deque()
        self._apps: dict[str, AppInfo] = {}
        self._trees: dict[str, Node] = {}
        self._pending: dict[str, tuple[RecordedStep, Node]] = {}
        self.steps: list[RecordedStep] = []
        self.apps_used: list[str] = []
        self._window = ""
        self._unlisten: Callable[[], None] | None = None

    def press(self, press: Press) -> None:
        """Where the X RECORD watcher hands a pointer press (any thread)."""
        self._queue.put(press)

    def key(self, key: Key) -> None:
        """Where the X RECORD watcher hands a key going down (any thread). Every key is queued, typed ones
        too: each marks where the events of what was done before it end (see ``_settle``)."""
        self._queue.put(key)

    def start(self) -> None:
        """Listen, and read the watched apps as they are now (what a first press lands on)."""
        self._unlisten = self._events.listen(self._queue.put)
        for app in self.desktop.apps():
            if self._watched(app):
                self._apps[app.ref.split("|", 1)[0]] = app
                self._read(app)

    def run(self, stop: threading.Event) -> list[RecordedStep]:
        """Understand what happens until ``stop`` is set; the last typed values become steps at the end."""
        if self._unlisten is None:
            self.start()
        try:
            while not stop.is_set() or self._ahead:
                if self._ahead:
                    self._understand(self._ahead.popleft())
                    continue
                try:
                    item = self._queue.get(timeout=0.1)
                except queue.Empty:
                    continue
                self._understand(item)
            while not self._queue.empty() or self._ahead:
                self._understand(self._ahead.popleft() if self._ahead else self._queue.get_nowait())
        finally:
            if self._unlisten is not None:
                self._unlisten()
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

    def _seen(self, app: AppInfo, tree: Node, ref: str) -> _Seen | None:
        for node, ancestors in tree.walk_with_ancestors():
            if node.ref == ref:
                return _Seen(node, ancestors, app, _label_of(tree, node))
        return None

    # ---- understanding ------------------------------------------------------------------------
    def _understand(self, item: AtspiEvent | Press | Key) -> None:
        if isinstance(item, Press):
            self._pressed(item)
            return
        if isinstance(item, Key):
            self._keyed(item)
            return
        if item.member not in _WATCHED:
            return
        app = self._app_of(item.bus_name)
        if app is None:
            return
        tree = self._read(app)
        seen = self._seen(app, tree, item.ref) if tree is not None else None
        if seen is None or tree is None:
            return
        node = seen.node
        if item.member == "StateChanged" and item.detail == State.FOCUSED and item.number:
            self._focused = seen, tree
            self._flush(keep=node.ref)
        elif item.member == "TextChanged" and node.role in _TYPED and not _in_combo(seen):
            secret = secret_name(seen.label) if node.has(State.PASSWORD) else ""
            step = self._step(seen, "type_text", value=node.value or "", secret=secret)
            self._pending[node.ref] = (step, tree)
        elif item.member == "StateChanged" and item.detail == State.CHECKED and node.role in _CHECKABLE:
            if node.role != Role.RADIO or item.number:
                self._emit(self._step(seen, "set_checked", checked=bool(item.number)), tree)
        elif node.role == Role.COMBOBOX and item.member in ("PropertyChange", "SelectionChanged", "ChildrenChanged"):
            shown = node.value or node.name
            if shown and shown != seen.label:
                self._pending[node.ref] = (self._step(seen, "choose", value=shown), tree)

    def _pressed(self, press: Press) -> None:
        # The trees held are as fresh as the last event and show the screen the person pressed on; reading
        # again would race the press itself (an OK button closes its window on release).
        found: tuple[_Seen, Node] | None = None
        for app in list(self._apps.values()):
            tree = self._trees.get(app.ref) if self._watched(app) else None
            hit = _clickable_at(tree, press.x, press.y) if tree is not None else None
            closer = hit is not None and (found is None or _area(hit[0].bounds) < _area(found[0].node.bounds))
            if tree is not None and hit is not None and closer:
                found = _Seen(hit[0], hit[1], app, _label_of(tree, hit[0])), tree
        self._settle()
        self._flush(keep=None)
        if found is None or press.button != 1:
            return
        seen, tree = found
        if seen.node.role in _CHECKABLE or _in_combo(seen):
            return  # its state change, or the combo's new item, is the step
        self._emit(self._step(seen, "click"), tree)

    def _keyed(self, key: Key) -> None:
        """Enter or Space on a focused button is its click; a chord (Ctrl+S) or Enter/Escape elsewhere is a
        `Press`. Plain typing is left to the text events, Tab and arrows to focus and selection events."""
        if key.name not in _KEYS_OF_NOTE and not key.modifiers - {"shift"}:
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
        seen = focused[0] if focused is not None else None
        step = RecordedStep("press", chord, app=seen.app.name if seen else "", window=seen.window if seen else "")
        self._emit(step, focused[1] if focused is not None else None)

    def _settle(self) -> None:
        """Take in the apps' events still on their way before a press or key is understood: X RECORD sees it
        at once, while the events of what was done before it come over D-Bus, later. Done when no event has
        come for a while (capped), or at the next press or key: what follows that belongs after it."""
        deadline = time.monotonic() + _SETTLE_CAP_S
        while time.monotonic() < deadline:
            try:
                item = self._queue.get(timeout=_QUIET_S)
            except queue.Empty:
                return
            if isinstance(item, Press | Key):
                self._ahead.append(item)
                return
            self._understand(item)

    def _step(self, seen: _Seen, kind: str, **facts: object) -> RecordedStep:
        # GTK3 pads menu items' names with the space their accelerator column takes ("Save As...      ").
        target = seen.label if kind in ("type_text", "choose") else seen.node.name.strip() or seen.label
        return RecordedStep(kind, target, app=seen.app.name, window=seen.window, ref=seen.node.ref, **facts)  # type: ignore[arg-type]

    def _flush(self, keep: str | None) -> None:
        for ref in [r for r in self._pending if r != keep]:
            step, tree = self._pending.pop(ref)
            self._emit(step, tree)

    def _emit(self, step: RecordedStep, tree: Node | None) -> None:
        if step.window and step.window != self._window:
            self._window = step.window
            self._add(RecordedStep("switch", step.window, app=step.app, window=step.window))
        self._add(check_step(self.desktop, step, tree))

    def _add(self, step: RecordedStep) -> None:
        if step.app and step.app not in self.apps_used:
            self.apps_used.append(step.app)
        self.steps.append(step)
        self._on_step(step)


def _label_of(tree: Node, node: Node) -> str:
    """What a person reads as the element's name: the label pointing at it, else its own name."""
    for ref in node.labelled_by:
        label = tree.find(ref)
        if label is not None and label.name.strip():
            return label.name.strip().rstrip(":")
    if node.role not in _CLICKABLE and not node.name:
        # The same guess the locator makes for fields with no relation (zenity's form entries).
        placed = positional_labels(tree).get(node.ref, [])
        if placed:
            return placed[0].strip().rstrip(":")
    return (node.name or node.placeholder).strip()


def _in_combo(seen: _Seen) -> bool:
    return any(a.role == Role.COMBOBOX for a in seen.ancestors)


def _area(bounds: Bounds | None) -> int:
    return bounds.width * bounds.height if bounds is not None else 1 << 62


def _clickable_at(tree: Node, x: int, y: int) -> tuple[Node, tuple[Node, ...]] | None:
    best: tuple[Node, tuple[Node, ...]] | None = None
    for node, ancestors in tree.walk_with_ancestors():
        box = node.bounds
        if node.role not in (*_CLICKABLE, *_CHECKABLE) or box is None or not node.has(State.SHOWING):
            continue
        inside = box.x <= x < box.x + box.width and box.y <= y < box.y + box.height
        if inside and (best is None or _area(box) < _area(best[0].bounds)):
            best = node, ancestors
    return best
