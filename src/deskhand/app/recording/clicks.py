"""The recorder's pointer presses: what a press landed on becomes a `Click` (after the double-click time, when
no second press made it a `Double-click`) or a `Right-click`; a press on a check box, a combo or a menu that
opens is left to the events it causes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from deskhand.app.recording.focus_moves import FocusMoves
from deskhand.app.recording.held import HeldTrees
from deskhand.app.recording.ordering import Arrivals, input_time
from deskhand.app.recording.pointer import CHECKABLE, DOUBLE_CLICK_MS, area, is_double, opens_a_menu, pressed_at
from deskhand.app.recording.saving import SaveDialog
from deskhand.app.recording.seen import Seen, in_combo, label_of
from deskhand.app.recording.step import RecordedStep
from deskhand.app.recording.unexposed import UnexposedApps
from deskhand.app.recording.xpresses import Press
from deskhand.backends.base import AppInfo
from deskhand.locate.desktop import Desktop
from deskhand.locate.visibility import is_visible
from deskhand.tree.node import Node
from deskhand.tree.roles import Role


class Clicks:
    """The pointer half of :class:`~deskhand.app.recording.watcher.Recorder`."""

    desktop: Desktop
    arrivals: Arrivals
    _apps: dict[str, AppInfo]
    _trees: dict[str, Node]
    _held: HeldTrees
    _moves: FocusMoves
    _focused: tuple[Seen, Node] | None
    _highlighted: tuple[Seen, Node] | None
    _click: tuple[RecordedStep, Node, Press, float] | None
    _save: SaveDialog | None
    _reload: AppInfo | None
    _opened_while_settling: bool
    _unexposed: UnexposedApps | None
    _watched: Callable[[AppInfo], bool]
    _read: Callable[[AppInfo], Node | None]
    _settle: Callable[..., None]
    _flush: Callable[..., None]
    _emit: Callable[[RecordedStep, Node | None], None]
    _step: Callable[..., RecordedStep]
    _in_save_dialog: Callable[..., bool]
    _save_button: Callable[[Node], bool]
    _save_pressed: Callable[[], None]

    def _pressed(self, press: Press) -> None:
        # The trees held are as fresh as the last event and show the screen the person pressed on; reading
        # again would race the press itself (an OK button closes its window on release). When they show
        # nothing there yet (a menu just opened: its events are still on their way), each event taken in
        # while settling is a chance to see it, before the events of the press itself hide it again.
        # A menu item is found by its highlight instead: GTK3 announces a menu, not each item coming on
        # screen, so the held tree may not know where its items are; the item under the pointer is
        # highlighted (selected) as the press lands.
        self._moves.forget()
        pending = self._click
        if pending is not None and is_double(pending[2], press):
            # The toolkit's own rule (place and time, not what the tree shows): the trees may already show what
            # the double click did (zenity's list is gone), read as they are when the recorder gets here.
            self._click = None
            self._emit(replace(pending[0], kind="double_click"), pending[1])
            return
        made: float | None = input_time(press.time, time.monotonic())
        if self._reload is not None:
            # A page opened since the browser was last read whole: its address bar's suggestion list, closed
            # with no event, may still be held over the page (a click on the page's field read as a suggestion).
            # The trees read before the press hold it too: this whole read is the one to go by.
            self.desktop.backend.invalidate(self._reload.ref)
            self._read(self._reload)
            self._reload, made = None, None
        found = self._landed_on(press, made)
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
            if self._unexposed is not None:
                self._unexposed.pressed_on_nothing(press)  # told when the window's app exposes nothing
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

    def _landed_on(self, press: Press, made: float | None) -> tuple[Seen, Node] | None:
        """What the press landed on. The trees held now were read when the recorder got to the events before the
        press, which under load is after it was made: they may already show what it did (the window it closed
        gone, the window behind in its place). An element under the point in the newest trees read before the
        press (``made``) that the trees held now no longer show was hidden by the press itself: it is the one.
        One they still show is under something else now (a dialog or menu come before the press, read late).
        ``made`` is None when the trees held now were just read whole for the press: they go alone."""
        now = self._under(press)
        before = self._under(press, made=made) if made is not None else None
        if before is None or (now is not None and now[0].node.ref == before[0].node.ref):
            return now
        held = self._trees.get(before[0].app.ref)
        still = held.find(before[0].node.ref) if held is not None else None
        return before if still is None or not is_visible(still) else now

    def _under(self, press: Press, made: float | None = None) -> tuple[Seen, Node] | None:
        """The element under the press in the trees held now, or in the newest read before ``made``."""
        found: tuple[Seen, Node] | None = None
        for app in list(self._apps.values()):
            if not self._watched(app):
                continue
            tree = self._trees.get(app.ref) if made is None else self._held.before(app.ref, made)
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
