"""Keyboard and pointer input on sway (Wayland), with the same calls as the X input (xinput.py).

Keys, text and the pointer are deskhand's own virtual keyboard and pointer (wayland_devices.py), held for
the session; windows are found and focused through sway's IPC (``swaymsg``, part of sway). wtype was
measured first: each run adds a keyboard and removes it on exit, and an app that sees the seat's keyboard
go and come back loses keys (named keys never arrived; letters typed 0.6 s apart were dropped).

On Wayland the toolkits report extents relative to their window: a click is placed at the point inside the
window last raised (``raise_window_at``, which the actions call before every click), offset by where sway
shows that window's content.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from typing import Any

from deskhand.backends.atspi.key_names import KEYSYM_NAMES, MODIFIERS, split_chord
from deskhand.backends.atspi.wayland_devices import MODIFIER_MASKS, NAMED_KEYS, VirtualDevices
from deskhand.backends.atspi.wayland_wire import socket_path
from deskhand.errors import ActionFailed, BackendUnavailable

_TIMEOUT_S = 10.0
# Keys the virtual keyboard types as the characters they are.
_CHARACTER_KEYS = {"space": " ", "plus": "+", "minus": "-"}
_SCROLL = {"up": (-1, False), "down": (1, False), "left": (-1, True), "right": (1, True)}


def sway_input_possible(env: Mapping[str, str]) -> bool:
    """A sway session (its IPC socket named) with swaymsg installed."""
    return bool(env.get("SWAYSOCK") and env.get("WAYLAND_DISPLAY") and shutil.which("swaymsg", path=env.get("PATH")))


class SwayInput:
    """Input on one sway session, described by its environment (WAYLAND_DISPLAY, SWAYSOCK)."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self._env = dict(env)
        self._devices = VirtualDevices(socket_path(env["WAYLAND_DISPLAY"], env.get("XDG_RUNTIME_DIR", "")))
        self._window: int | None = None  # sway's id of the window raised last

    def close(self) -> None:
        self._devices.close()

    # ---- pointer ----
    def reaches(self, x: int, y: int) -> bool:
        """Sway places the pointer in its outputs' layout; a point it cannot reach is not known here."""
        return True

    def click(self, x: int, y: int, *, button: str = "left", count: int = 1) -> None:
        self._move(x, y)
        for _ in range(count):
            self._devices.button(button, pressed=True)
            self._devices.button(button, pressed=False)
        self._devices.sync()

    def scroll(self, x: int, y: int, direction: str, amount: int) -> None:
        step, horizontal = _SCROLL[direction]
        self._move(x, y)
        self._devices.wheel(step * amount, horizontal=horizontal)
        self._devices.sync()

    def _move(self, x: int, y: int) -> None:
        tree = self._tree()
        left, top = self._origin(tree)
        self._devices.move(left + x, top + y, (tree["rect"]["width"], tree["rect"]["height"]))

    def _origin(self, tree: dict[str, Any]) -> tuple[int, int]:
        """Where the content of the window raised last (else the focused one) starts on the layout."""
        windows = list(_windows(tree))
        chosen = next((w for w in windows if w["id"] == self._window), None)
        chosen = chosen or next((w for w in windows if w.get("focused")), None)
        if chosen is None:
            return 0, 0
        rect, inner = chosen["rect"], chosen["window_rect"]
        return rect["x"] + inner["x"], rect["y"] + inner["y"]

    # ---- keyboard ----
    def press(self, chord: str) -> None:
        """``Ctrl+Shift+S``, ``Enter``: the key tapped with the modifiers held."""
        mods, key = split_chord(chord)
        mask = 0
        for mod in mods:
            name = MODIFIERS.get(mod.lower())
            if name is None:
                raise ActionFailed(f"Unknown modifier {mod!r} in {chord!r}.", hint="Use Ctrl, Alt, Shift or Super.")
            mask |= MODIFIER_MASKS[name]
        self._devices.press_key(_key_of(key), mask)
        self._devices.sync()

    def type_text(self, text: str) -> None:
        if text:
            self._devices.type_text(text)
            self._devices.sync()

    # ---- windows ----
    def raise_window_at(self, x: int, y: int, title: str) -> bool:
        """Focus the window titled ``title`` (sway's focus also raises it); later clicks are placed in it."""
        windows = [w for w in _windows(self._tree()) if w.get("name") == title]
        if not windows:
            return False
        window = next((w for w in windows if w.get("focused")), windows[0])
        self._window = int(window["id"])
        if not window.get("focused"):
            self._swaymsg([f"[con_id={self._window}]", "focus"])
        return True

    def popups(self) -> list[tuple[int, int, int, int]]:
        return []  # Wayland popups are surfaces of their window: nothing separate to find

    def popup_at(self, x: int, y: int) -> bool:
        return False

    # ---- sway ----
    def _tree(self) -> dict[str, Any]:
        tree: dict[str, Any] = json.loads(self._swaymsg(["-t", "get_tree", "-r"]))
        return tree

    def _swaymsg(self, argv: list[str]) -> str:
        done = self._run(["swaymsg", *argv])
        if done.returncode != 0:
            raise BackendUnavailable(f"swaymsg {' '.join(argv)} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout

    def _run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(argv, env=self._env, capture_output=True, text=True, timeout=_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise BackendUnavailable(f"{argv[0]} could not run: {error}.", hint="See `deskhand doctor`.") from None


def _key_of(key: str) -> str:
    """A character, or the name of a key in NAMED_KEYS ("Ctrl+A" taps "a" with Ctrl held, as on X)."""
    if len(key) == 1:
        return key.lower() if key.isalpha() else key
    lowered = key.lower()
    name = _CHARACTER_KEYS.get(lowered) or KEYSYM_NAMES.get(
        lowered, key.upper() if key[0] in "fF" and key[1:].isdigit() else key
    )
    if len(name) != 1 and name not in NAMED_KEYS:
        raise ActionFailed(f"Unknown key name {key!r}.", hint="Use names like Ctrl, Alt, Shift, Enter, Tab, F5, A.")
    return name


def _windows(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every application window in sway's tree (containers with a process)."""
    if node.get("pid"):
        yield node
    for child in (*node.get("nodes", ()), *node.get("floating_nodes", ())):
        yield from _windows(child)
