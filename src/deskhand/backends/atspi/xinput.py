"""X11 input through the XTest extension (python-xlib): clicks, keys, text, raising windows.

Used where AT-SPI has no action for the job (Chromium inputs have no EditableText, Qt combo boxes, GTK3
buttons that open a modal dialog and would freeze the app's AT-SPI if pressed through DoAction). Never shell
out to xdotool here: its defaults sleep ~100 ms per click.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from deskhand.backends.atspi.key_names import KEYSYM_NAMES, MODIFIERS, split_chord
from deskhand.errors import ActionFailed, BackendUnavailable

# The four modifiers as X keysym names.
_MODIFIER_KEYSYMS = {"ctrl": "Control_L", "alt": "Alt_L", "shift": "Shift_L", "super": "Super_L"}
_BUTTONS = {"left": 1, "middle": 2, "right": 3}
_SCROLL_BUTTONS = {"up": 4, "down": 5, "left": 6, "right": 7}


class XInput:
    """One X connection for input; thread-safe behind a lock (python-xlib is not)."""

    def __init__(self, display: str) -> None:
        try:
            from Xlib import XK, X
            from Xlib import display as xdisplay
            from Xlib.ext import xtest
        except ImportError as error:  # pragma: no cover - python-xlib is a hard dependency
            raise BackendUnavailable(f"python-xlib is missing: {error}") from None
        try:
            self._display = xdisplay.Display(display)
        except Exception as error:
            raise BackendUnavailable(
                f"Cannot open X display {display!r}: {error}.",
                hint="Set DISPLAY to a running X server, or start one with `deskhand desktop up`.",
            ) from None
        if not self._display.has_extension("XTEST"):
            raise BackendUnavailable(f"X display {display!r} has no XTEST extension; cannot send input.")
        self._X: Any = X
        self._XK: Any = XK
        self._xtest: Any = xtest
        self._lock = threading.Lock()
        self._root = self._display.screen().root
        self._spare_keycode = self._find_spare_keycode()
        self._raised: dict[str, Any] = {}  # title → the X window raised last for it

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._display.close()

    # ---- pointer ----
    def reaches(self, x: int, y: int) -> bool:
        """Whether the pointer can be at ``x``, ``y``: X keeps it on the screen, so a click meant for a point
        past an edge (a button of a dialog taller than the screen) lands on the edge instead."""
        screen = self._display.screen()
        return 0 <= x < int(screen.width_in_pixels) and 0 <= y < int(screen.height_in_pixels)

    def click(self, x: int, y: int, *, button: str = "left", count: int = 1) -> None:
        number = _BUTTONS[button]
        with self._lock:
            self._xtest.fake_input(self._display, self._X.MotionNotify, x=x, y=y)
            for _ in range(count):
                self._xtest.fake_input(self._display, self._X.ButtonPress, number)
                self._xtest.fake_input(self._display, self._X.ButtonRelease, number)
            self._display.sync()

    def scroll(self, x: int, y: int, direction: str, amount: int) -> None:
        number = _SCROLL_BUTTONS[direction]
        with self._lock:
            self._xtest.fake_input(self._display, self._X.MotionNotify, x=x, y=y)
            for _ in range(amount):
                self._xtest.fake_input(self._display, self._X.ButtonPress, number)
                self._xtest.fake_input(self._display, self._X.ButtonRelease, number)
            self._display.sync()

    # ---- keyboard ----
    def press(self, chord: str) -> None:
        """``Ctrl+Shift+S``, ``Enter``, ``Alt+F4``: modifiers held, the key tapped, released in reverse."""
        mods, key = split_chord(chord)
        keysyms = [self._keysym_for_name(_MODIFIER_KEYSYMS.get(MODIFIERS.get(m.lower(), ""), m)) for m in mods]
        with self._lock:
            codes = [self._keycode(ks) for ks in keysyms]
            key_code, needs_shift = self._key_for(key)
            if needs_shift and "shift" not in (m.lower() for m in mods):
                codes.append(self._keycode(self._keysym_for_name("Shift_L")))
            for code in codes:
                self._xtest.fake_input(self._display, self._X.KeyPress, code)
            self._xtest.fake_input(self._display, self._X.KeyPress, key_code)
            self._xtest.fake_input(self._display, self._X.KeyRelease, key_code)
            for code in reversed(codes):
                self._xtest.fake_input(self._display, self._X.KeyRelease, code)
            self._display.sync()

    def type_text(self, text: str) -> None:
        with self._lock:
            shift = self._keycode(self._keysym_for_name("Shift_L"))
            for char in text:
                code, needs_shift = self._char_key(char)
                if needs_shift:
                    self._xtest.fake_input(self._display, self._X.KeyPress, shift)
                self._xtest.fake_input(self._display, self._X.KeyPress, code)
                self._xtest.fake_input(self._display, self._X.KeyRelease, code)
                if needs_shift:
                    self._xtest.fake_input(self._display, self._X.KeyRelease, shift)
            self._display.sync()

    # ---- windows ----
    def raise_window_at(self, x: int, y: int, title: str) -> bool:
        """Raise and focus the top-level X window titled ``title`` (or containing the point)."""
        with self._lock:
            # Finding the window costs several round trips per top-level window: the window raised last
            # for this title, if it is still on top and focused, needs nothing (2-3 round trips to check).
            last = self._raised.get(title) if title else None
            if last is not None and self._on_top_and_focused(last):
                return True
            target = self._find_toplevel(title, x, y)
            if target is None:
                return False
            target.configure(stack_mode=self._X.Above)
            target.set_input_focus(self._X.RevertToParent, self._X.CurrentTime)
            self._display.sync()
            if title:
                self._raised = {title: target}
            return True

    def popups(self) -> list[tuple[int, int, int, int]]:
        """Boxes (x, y, width, height) of the popup windows on screen (override-redirect: menus, lists)."""
        boxes: list[tuple[int, int, int, int]] = []
        with self._lock:
            for window in self._root.query_tree().children:
                try:
                    attrs = window.get_attributes()
                    if attrs.map_state == self._X.IsViewable and attrs.override_redirect:
                        box = window.get_geometry()
                        boxes.append((box.x, box.y, box.width, box.height))
                except Exception:  # gone meanwhile
                    continue
        return boxes

    def popup_at(self, x: int, y: int) -> bool:
        """Whether the topmost window at the point is a popup (override-redirect: an open menu, a combo's
        list): raising its parent window would cover it, and the click would land on the parent."""
        with self._lock:
            for window in reversed(self._root.query_tree().children):
                try:
                    attrs = window.get_attributes()
                    if attrs.map_state != self._X.IsViewable:
                        continue
                    box = window.get_geometry()
                    if box.x <= x < box.x + box.width and box.y <= y < box.y + box.height:
                        return bool(attrs.override_redirect)
                except Exception:  # gone meanwhile
                    continue
        return False

    def _on_top_and_focused(self, window: Any) -> bool:
        try:
            if self._display.get_input_focus().focus != window:
                return False
            for child in reversed(self._root.query_tree().children):
                if child.get_attributes().map_state == self._X.IsViewable:
                    return bool(child == window)
        except Exception:  # the window is gone: find it again
            return False
        return False

    def _find_toplevel(self, title: str, x: int, y: int) -> Any:
        best = None
        for window in self._root.query_tree().children:
            try:
                attrs = window.get_attributes()
                if attrs.map_state != self._X.IsViewable:
                    continue
                client = self._client_window(window)
                name = client.get_wm_name() or ""
                if isinstance(name, bytes):
                    name = name.decode("utf-8", "replace")
                if title and name == title:
                    return window
                geometry = window.get_geometry()
                inside = (
                    geometry.x <= x < geometry.x + geometry.width and geometry.y <= y < geometry.y + geometry.height
                )
                if inside:
                    # The children come bottom to top: the last one holding the point is what it shows (a
                    # dialog whose X title differs from its accessible name must not lose to its parent).
                    best = window
            except Exception:
                continue
        return best

    def _client_window(self, window: Any) -> Any:
        # With a window manager the client is a child of a frame; without one it is the window itself.
        if window.get_wm_name():
            return window
        for child in window.query_tree().children:
            if child.get_wm_name():
                return child
        return window

    # ---- key mapping ----
    def _keysym_for_name(self, name: str) -> int:
        keysym = int(self._XK.string_to_keysym(name))
        if keysym == 0 and len(name) == 1:
            keysym = ord(name) if ord(name) < 0x100 else 0x01000000 | ord(name)
        if keysym == 0:
            keysym = int(self._XK.string_to_keysym(name.capitalize()))
        if keysym == 0:
            raise ActionFailed(
                f"Unknown key name {name!r}.", hint="Use names like Ctrl, Alt, Shift, Enter, Tab, F5, A."
            )
        return keysym

    def _key_for(self, key: str) -> tuple[int, bool]:
        if len(key) == 1:
            return self._char_key(key.lower() if key.isalpha() else key)
        name = KEYSYM_NAMES.get(key.lower(), key)
        return self._keycode(self._keysym_for_name(name)), False

    def _char_key(self, char: str) -> tuple[int, bool]:
        if char == "\n":
            return self._keycode(self._keysym_for_name("Return")), False
        if char == "\t":
            return self._keycode(self._keysym_for_name("Tab")), False
        keysym = int(self._XK.string_to_keysym(char)) if char.isalnum() and char.isascii() else 0
        if keysym == 0:
            # Latin-1 keysyms equal their code point; the rest live at 0x01000000 + the code point.
            keysym = ord(char) if ord(char) < 0x100 else 0x01000000 | ord(char)
        code = self._display.keysym_to_keycode(keysym)
        if code:
            shifted = self._display.keycode_to_keysym(code, 0) != keysym
            return code, shifted
        return self._remap_spare(keysym), False

    def _keycode(self, keysym: int) -> int:
        code = self._display.keysym_to_keycode(keysym)
        return int(code) if code else self._remap_spare(keysym)

    def _find_spare_keycode(self) -> int:
        low = self._display.display.info.min_keycode
        high = self._display.display.info.max_keycode
        mapping = self._display.get_keyboard_mapping(low, high - low + 1)
        for offset in range(len(mapping) - 1, -1, -1):
            if not any(mapping[offset]):
                return int(low + offset)
        return int(high)

    def _remap_spare(self, keysym: int) -> int:
        # A character the keyboard map lacks (é, €, ✓): bind it to a free keycode for this keystroke.
        self._display.change_keyboard_mapping(self._spare_keycode, [(keysym,) * 4])
        self._display.sync()
        return self._spare_keycode
