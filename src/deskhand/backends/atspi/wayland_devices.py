"""deskhand's own virtual pointer and keyboard on a wlroots compositor (sway), over one Wayland connection
(wayland_wire.py): ``zwlr_virtual_pointer_v1`` and ``zwp_virtual_keyboard_v1``.

Both devices live as long as the connection, so the seat keeps a pointer and a keyboard and the apps keep
theirs bound: a headless sway has no input device at all otherwise. The keyboard's keymap is a US layout
on the keys' own codes (Chromium drops keys whose code it cannot name, so a character never rides on an
arbitrary code); a character beyond it is put on one of the spare keys F13-F24 for the moment, as
xdotool does on X. Shift and other modifiers are sent as state.
"""

from __future__ import annotations

import os
import struct
import time

from deskhand.backends.atspi.wayland_wire import Connection

BUTTONS = {"left": 0x110, "right": 0x111, "middle": 0x112}  # evdev BTN_* codes
# Requests, by opcode (wlr-virtual-pointer-unstable-v1, virtual-keyboard-unstable-v1).
_CREATE = 0  # both managers: create_virtual_pointer(seat, id) / create_virtual_keyboard(seat, id)
_MOTION_ABSOLUTE, _BUTTON, _FRAME, _AXIS_SOURCE, _AXIS_DISCRETE, _POINTER_DESTROY = 1, 2, 4, 5, 7, 8
_KEYMAP, _KEY, _MODIFIERS, _KEYBOARD_DESTROY = 0, 1, 2, 3
_WHEEL = 0  # axis source
_WHEEL_STEP = 15  # what one notch of a wheel moves, as libinput reports it
_XKB_V1 = 1
# Real modifier masks of an XKB state (Shift, Control, Mod1 = Alt, Mod4 = Super).
MODIFIER_MASKS = {"shift": 1, "ctrl": 4, "alt": 8, "super": 64}
# The US layout by evdev code: (unshifted, shifted).
_US_ROWS = {2: "1!2@3#4$5%6^7&8*9(0)-_=+", 16: "qQwWeErRtTyYuUiIoOpP[{]}", 30: "aAsSdDfFgGhHjJkKlL;:'\"`~"}
_US_ROWS[43] = "\\|zZxXcCvVbBnNmM,<.>/?"
_US: dict[int, tuple[str, str]] = {
    start + i // 2: (row[i], row[i + 1]) for start, row in _US_ROWS.items() for i in range(0, len(row), 2)
}
_US[57] = (" ", " ")
NAMED_KEYS: dict[str, int] = {
    "Escape": 1, "BackSpace": 14, "Tab": 15, "Return": 28, "Home": 102, "Up": 103, "Page_Up": 104, "Left": 105,
    "Right": 106, "End": 107, "Down": 108, "Page_Down": 109, "Insert": 110, "Delete": 111, "Menu": 127,
    **{f"F{n}": 58 + n for n in range(1, 11)}, "F11": 87, "F12": 88,
}  # fmt: skip
_SPARE = range(183, 195)  # F13-F24: codes every toolkit names, used by nobody here


class VirtualDevices:
    """A pointer and a keyboard on the compositor at ``socket``; positions are in the output layout."""

    def __init__(self, socket: str) -> None:
        self._wire = Connection(socket)
        try:
            seat = self._wire.bind("wl_seat", 1)
            pointers = self._wire.bind("zwlr_virtual_pointer_manager_v1", 1)
            keyboards = self._wire.bind("zwp_virtual_keyboard_manager_v1", 1)
            self._pointer = self._wire.new_id()
            self._wire.send(pointers, _CREATE, struct.pack("<II", 0, self._pointer))  # seat 0: the default
            self._keyboard = self._wire.new_id()
            self._wire.send(keyboards, _CREATE, struct.pack("<II", seat, self._keyboard))
            self._keys = {char: (code, index == 1) for code, pair in _US.items() for index, char in enumerate(pair)}
            self._spares: dict[str, int] = {}
            self._upload_keymap()
        except BaseException:
            self._wire.close()
            raise

    def close(self) -> None:
        try:
            self._wire.send(self._pointer, _POINTER_DESTROY, b"")
            self._wire.send(self._keyboard, _KEYBOARD_DESTROY, b"")
        except OSError:
            pass
        self._wire.close()

    # ---- pointer ----
    def move(self, x: int, y: int, extent: tuple[int, int]) -> None:
        width, height = extent
        x, y = min(max(x, 0), width - 1), min(max(y, 0), height - 1)
        self._wire.send(self._pointer, _MOTION_ABSOLUTE, struct.pack("<IIIII", _now(), x, y, width, height))
        self._wire.send(self._pointer, _FRAME, b"")

    def button(self, button: str, *, pressed: bool) -> None:
        self._wire.send(self._pointer, _BUTTON, struct.pack("<III", _now(), BUTTONS[button], int(pressed)))
        self._wire.send(self._pointer, _FRAME, b"")

    def wheel(self, notches: int, *, horizontal: bool = False) -> None:
        """``notches`` clicks of the wheel, down (or right) when positive."""
        step = 1 if notches > 0 else -1
        for _ in range(abs(notches)):
            self._wire.send(self._pointer, _AXIS_SOURCE, struct.pack("<I", _WHEEL))
            body = struct.pack("<IIii", _now(), int(horizontal), step * _WHEEL_STEP * 256, step)  # wl_fixed 24.8
            self._wire.send(self._pointer, _AXIS_DISCRETE, body)
            self._wire.send(self._pointer, _FRAME, b"")

    # ---- keyboard ----
    def press_key(self, key: str, modifiers: int = 0) -> None:
        """A named key (NAMED_KEYS) or one character, tapped with the ``modifiers`` mask held."""
        if key in NAMED_KEYS:
            self._tap(NAMED_KEYS[key], modifiers)
        else:
            self.type_text(key, modifiers)

    def type_text(self, text: str, modifiers: int = 0) -> None:
        for char in text:
            if char == "\n" or char == "\t":
                self._tap(NAMED_KEYS["Return" if char == "\n" else "Tab"], modifiers)
                continue
            if char not in self._keys and char not in self._spares:
                if len(self._spares) == len(_SPARE):
                    self._spares.clear()
                self._spares[char] = _SPARE[len(self._spares)]
                self._upload_keymap()
            code, shifted = self._keys.get(char) or (self._spares[char], False)
            self._tap(code, modifiers | (MODIFIER_MASKS["shift"] if shifted else 0))

    def sync(self) -> None:
        self._wire.sync()

    def _tap(self, code: int, modifiers: int) -> None:
        if modifiers:
            self._wire.send(self._keyboard, _MODIFIERS, struct.pack("<IIII", modifiers, 0, 0, 0))
        self._wire.send(self._keyboard, _KEY, struct.pack("<III", _now(), code, 1))
        self._wire.send(self._keyboard, _KEY, struct.pack("<III", _now(), code, 0))
        if modifiers:
            self._wire.send(self._keyboard, _MODIFIERS, struct.pack("<IIII", 0, 0, 0, 0))

    def _upload_keymap(self) -> None:
        """The US keys, the named keys and the characters on spare keys now, as one XKB keymap."""
        keys = {code + 8: f"{keysym(low)}, {keysym(high)}" for code, (low, high) in _US.items()}
        keys.update({code + 8: name for name, code in NAMED_KEYS.items()})
        keys.update({code + 8: keysym(char) for char, code in self._spares.items()})
        text = _keymap(keys).encode() + b"\0"
        fd = os.memfd_create("deskhand-keymap")
        try:
            os.write(fd, text)
            self._wire.send(self._keyboard, _KEYMAP, struct.pack("<II", _XKB_V1, len(text)), fds=[fd])
        finally:
            os.close(fd)
        self._wire.sync()


def keysym(char: str) -> str:
    """The XKB keysym name typing ``char`` gives (Unicode keysyms: xkbcommon maps Latin-1 to its own)."""
    if char.isascii() and char.isalnum():
        return char
    return "space" if char == " " else f"U{ord(char):04X}"


def _keymap(keys: dict[int, str]) -> str:
    """An XKB keymap with ``keys`` (keycode → its keysyms by level) on keycodes of their own name."""
    codes = "".join(f"<K{code}> = {code};\n" for code in sorted(keys))
    symbols = "".join(f"key <K{code}> {{[ {names} ]}};\n" for code, names in sorted(keys.items()))
    return (
        "xkb_keymap {\n"
        f'xkb_keycodes "deskhand" {{\nminimum = 8;\nmaximum = 255;\n{codes}}};\n'
        'xkb_types "deskhand" { include "complete" };\n'
        'xkb_compat "deskhand" { include "complete" };\n'
        f'xkb_symbols "deskhand" {{\n{symbols}}};\n'
        "};\n"
    )


def _now() -> int:
    return int(time.monotonic() * 1000) & 0xFFFFFFFF
