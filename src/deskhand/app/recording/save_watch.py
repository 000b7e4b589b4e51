"""The recorder's save dialogs: what is done in one becomes a single `Save the file as "<path>"` step."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from deskhand.app.recording.event_text import with_change
from deskhand.app.recording.saving import SaveDialog, button_word, name_field, save_window
from deskhand.app.recording.seen import Seen
from deskhand.app.recording.step import RecordedStep
from deskhand.app.recording.xpresses import Press
from deskhand.backends.atspi.event import AtspiEvent
from deskhand.backends.base import AppInfo
from deskhand.errors import BackendError, NodeGone
from deskhand.locate.desktop import Desktop
from deskhand.locate.visibility import is_visible
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

# How long a pressed Save waits, with nothing happening, before it reads its dialog again (the app's own sign
# that it is done with it, ``_save_heard``, comes after the name field's last letters; a read may come before
# them); and the most the recording's end waits for the dialog of a Save pressed just before it to go.
_SAVE_WAIT_S = 3.0
_END_WAIT_S = 3.0


class SaveDialogs:
    """The save-dialog half of :class:`~deskhand.app.recording.watcher.Recorder`."""

    desktop: Desktop
    steps: list[RecordedStep]
    _trees: dict[str, Node]
    _titles: dict[str, str]
    _window_ref: str
    _save: SaveDialog | None
    _dialogs_read: set[str]
    _dialogs_placed: set[str]
    _finished: set[str]
    _settling: bool
    _focused: tuple[Seen, Node] | None
    _opened_while_settling: bool
    _click: tuple[RecordedStep, Node, Press, float] | None
    _read: Callable[[AppInfo], Node | None]
    _flush: Callable[..., None]
    _emit: Callable[[RecordedStep, Node | None], None]

    def _in_save_dialog(self, seen: Seen, tree: Node, *, by_person: bool = False) -> bool:
        """Whether ``seen`` is inside a save dialog; the first sight of one opens a Save step (of one done
        with already: only when the person acts in it again — GTK3 keeps it, hidden, and it still talks)."""
        # Judged on the latest tree of the app: the one the element was seen in may hold the dialog half read.
        tree = self._trees.get(seen.app.ref, tree)
        # A dialog known to be the save dialog stays one: the tree the events keep may lose its Save button.
        known = self._save.ref if self._save is not None else ""
        inside = next((a for a in seen.ancestors if a.ref == known), None)
        window = (tree.find(known) or inside) if inside else save_window(seen.ancestors, seen.node, tree)
        dialogs = {a.ref for a in seen.ancestors if a.role == Role.DIALOG} - self._dialogs_read
        if window is None and dialogs:
            # A dialog met for the first time is read whole once: its events may not have brought all of it.
            self._dialogs_read |= dialogs
            self.desktop.backend.invalidate(seen.app.ref)
            tree = self._read(seen.app) or tree
            window = save_window(seen.ancestors, seen.node, tree)
        if window is None:
            return False
        if self._save is None or self._save.ref != window.ref:
            if window.ref in self._finished and not by_person:
                return True
            self._finished.discard(window.ref)
            opened_from = self._titles.get(self._window_ref, "")
            self._save = SaveDialog(seen.app.name, window.ref, opened_from, self._window_ref, bus=seen.app.ref)
            self._drop_opener(seen.app.name)
        field = name_field(window, tree)
        if field is not None:  # read live: what it holds now
            self._save.name_ref, self._save.path = field.ref, field.value or ""
        return True

    def _save_heard(self, event: AtspiEvent) -> None:
        """Every event while a save dialog is open: the name field's own text carries its value on (the field
        may be gone from the tree when its last events come); once Save was pressed, the window it was opened
        from activated or focused again says the app is done with it: everything
        it sent before (the name field's last letters) has come, so the path is whole."""
        save = self._save
        if save is None or save.bus.split("|", 1)[0] != event.bus_name:
            return
        if event.member == "TextChanged" and event.ref == save.name_ref:
            save.path = with_change(save.path, event)
        if save.pressed_at is None:
            return
        focus_in = event.member == "StateChanged" and event.detail == State.FOCUSED and event.number
        if (event.member == "Activate" or focus_in) and self._in_opener(save, event.ref):
            self._save_done()

    def _in_opener(self, save: SaveDialog, ref: str) -> bool:
        """Whether ``ref`` is the window the dialog was opened from, or in it. Not just any window: GTK3's
        chooser opens and closes its completion popup (a window, focused rows) while the path is typed."""
        tree = self._trees.get(save.bus)
        window = tree.find(save.window_ref) if tree is not None and save.window_ref else None
        return window is not None and (ref == window.ref or window.find(ref) is not None)

    def _save_pressed(self) -> None:
        """Save or Cancel was pressed (or Enter, Escape): Cancel ends the dialog with no step; Save waits for
        its effect, the app done with the dialog (``_save_heard``, ``_save_waited``). A press the dialog did not
        take (GTK3 ignores Enter while its Save button is insensitive) leaves it open: the person's next press in
        it is the same save, never a second step."""
        save = self._save
        if save is None:
            return
        if not save.saved:
            if save.pressed_at is None:
                self._save_done()
            return
        if save.pressed_at is None:
            save.pressed_at = time.monotonic()
            save.looked_at = save.pressed_at

    def _save_waited(self, *, quiet: bool, ending: bool = False) -> None:
        """A pressed Save becomes its step once its dialog is gone, read again before the person's next input
        or after ``_SAVE_WAIT_S`` with nothing happening (``_save_heard`` is quicker: the app's sign); at the
        recording's end, once the dialog went within ``_END_WAIT_S``. A dialog still open did not save: no step,
        and the person may press again in it."""
        save = self._save
        if save is None or save.pressed_at is None:
            return
        now = time.monotonic()
        if quiet and now - save.looked_at <= _SAVE_WAIT_S:
            return
        if not quiet and not ending and self._focus_in(save):
            # The person acts in the dialog again (as the events understood so far hold the focus): the press
            # was not taken. A read now may find the dialog gone before its name's last letters are understood.
            return
        save.looked_at = now
        deadline = now + (_END_WAIT_S if ending else 0.0)
        while self._dialog_shown(save):
            if time.monotonic() >= deadline:
                return
            self.desktop.backend.wait_for_change(0.1)
        self._save_done()

    def _dialog_shown(self, save: SaveDialog) -> bool:
        """The save dialog is still on screen, read afresh from the app (gone, or hidden: the app is done; a
        read that fails otherwise, a busy app, says nothing)."""
        try:
            return is_visible(self.desktop.backend.refresh(save.ref))
        except NodeGone:
            return False
        except BackendError:
            return True

    def _focus_in(self, save: SaveDialog) -> bool:
        focused = self._focused
        return focused is not None and any(a.ref == save.ref for a in (*focused[0].ancestors, focused[0].node))

    def _place_buttons(self, save: SaveDialog, seen: Seen, tree: Node) -> None:
        """Read the dialog whole once the person works in it (laid out by now): its Save button must have its
        place when the press on it comes. Until placed, each key looks again in the trees held."""
        if save.ref not in self._dialogs_placed:
            self._dialogs_placed.add(save.ref)
            self.desktop.backend.invalidate(seen.app.ref)
            save.place_from(self._read(seen.app))
        save.place_from(tree, *seen.ancestors)

    def _drop_opener(self, app: str) -> None:
        """The step that opened the dialog is replaced by the Save step: the runner opens the dialog itself."""
        if self._settling:
            self._opened_while_settling = True
            return
        if self._click is not None and self._click[0].app == app:
            self._click = None
        elif self.steps and self.steps[-1].kind in ("click", "press") and self.steps[-1].app == app:
            self.steps.pop()

    def _save_button(self, node: Node) -> bool:
        """Whether ``node`` is the dialog's Save or Cancel (then noted on the dialog)."""
        word = button_word(node)
        if self._save is not None and word:
            self._save.saved = word == "save"
        return bool(word)

    def _save_done(self) -> None:
        """The dialog is done with: Save is the step, Cancel none. Judged by the person's press (then the app's
        events, ``_save_heard``), not by the tree: GTK3 hides the dialog without an event, and reading it
        afresh still finds it shown for a while."""
        save = self._save
        if save is None:
            return
        self._save = None
        self._finished.add(save.ref)
        if save.saved and save.path:
            self._flush(keep=None)
            step = RecordedStep("save_as", save.path, app=save.app, window=save.window, window_ref=save.window_ref)
            if not save.path.startswith(("/", "~")):
                step = replace(step, note="saved into the folder the dialog showed; write the full path to be sure")
            self._emit(step, None)
