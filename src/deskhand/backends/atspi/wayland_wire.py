"""A Wayland client connection spoken on the socket directly: just enough of the wire protocol to bind a
compositor's globals and send requests (8-byte header; 32-bit little-endian arguments; strings
length-prefixed, NUL-ended and padded to 4; file descriptors beside the bytes, as SCM_RIGHTS).

deskhand needs only a few requests of two wlroots protocols (virtual pointer, virtual keyboard:
wayland_devices.py). pywayland would need those protocols' XML at build time and Debian ships neither it
nor the XML; the tools that speak them (wtype, wlrctl) exit after each use, which removes their device,
and an app that sees the seat lose its keyboard drops the keys that follow (measured on sway 1.7).
"""

from __future__ import annotations

import socket
import struct
from pathlib import Path

from deskhand.errors import BackendUnavailable

_DISPLAY = 1  # wl_display is object 1 on every connection
_SYNC, _GET_REGISTRY = 0, 1  # wl_display requests
_ERROR = 0  # wl_display event
_GLOBAL, _BIND = 0, 0  # wl_registry event / request


def string_arg(text: str) -> bytes:
    raw = text.encode() + b"\0"
    return struct.pack("<I", len(raw)) + raw + b"\0" * (-len(raw) % 4)


def socket_path(wayland_display: str, runtime_dir: str) -> str:
    """WAYLAND_DISPLAY is a name in XDG_RUNTIME_DIR, or an absolute path."""
    return wayland_display if wayland_display.startswith("/") else str(Path(runtime_dir) / wayland_display)


class Connection:
    """One client connection; ``globals`` lists what the compositor offers (interface → (name, version))."""

    def __init__(self, path: str, *, timeout: float = 5.0) -> None:
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket.settimeout(timeout)
        try:
            self._socket.connect(path)
        except OSError as error:
            self._socket.close()
            raise BackendUnavailable(
                f"Cannot reach the Wayland compositor at {path}: {error}.",
                hint="Check WAYLAND_DISPLAY (and XDG_RUNTIME_DIR when it is a bare name).",
            ) from None
        self._pending = b""
        self._next_id = _DISPLAY
        self._registry = self.new_id()
        self.globals: dict[str, tuple[int, int]] = {}
        self.send(_DISPLAY, _GET_REGISTRY, struct.pack("<I", self._registry))
        self.sync()

    def close(self) -> None:
        self._socket.close()

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def bind(self, interface: str, version: int) -> int:
        """A new object bound to the global offering ``interface``; BackendUnavailable when none does."""
        if interface not in self.globals:
            raise BackendUnavailable(
                f"The Wayland compositor does not offer {interface}.",
                hint="sway and other wlroots compositors offer the virtual pointer and keyboard; weston does not.",
            )
        name, offered = self.globals[interface]
        object_id = self.new_id()
        body = struct.pack("<I", name) + string_arg(interface) + struct.pack("<II", min(version, offered), object_id)
        self.send(self._registry, _BIND, body)
        return object_id

    def send(self, target: int, opcode: int, body: bytes, fds: list[int] | None = None) -> None:
        message = struct.pack("<II", target, (8 + len(body)) << 16 | opcode) + body
        if fds:
            socket.send_fds(self._socket, [message], fds)
        else:
            self._socket.sendall(message)

    def sync(self) -> None:
        """Return once the compositor has handled every request sent so far (events read meanwhile)."""
        callback = self.new_id()
        self.send(_DISPLAY, _SYNC, struct.pack("<I", callback))
        while True:
            target, opcode, body = self._read_event()
            if target == callback:
                return
            if target == _DISPLAY and opcode == _ERROR:
                _, code, length = struct.unpack_from("<III", body)
                message = body[12 : 12 + length - 1].decode(errors="replace")
                raise BackendUnavailable(f"The Wayland compositor refused a request: {message} (error {code}).")
            if target == self._registry and opcode == _GLOBAL:
                name, length = struct.unpack_from("<II", body)
                interface = body[8 : 8 + length - 1].decode()
                (version,) = struct.unpack_from("<I", body, 8 + length + (-length % 4))
                self.globals.setdefault(interface, (name, version))

    def _read_event(self) -> tuple[int, int, bytes]:
        while True:
            if len(self._pending) >= 8:
                target, word = struct.unpack_from("<II", self._pending)
                size = word >> 16
                if len(self._pending) >= size:
                    body, self._pending = self._pending[8:size], self._pending[size:]
                    return target, word & 0xFFFF, body
            chunk = self._socket.recv(65536)
            if not chunk:
                raise BackendUnavailable("The Wayland compositor closed deskhand's input connection.")
            self._pending += chunk
