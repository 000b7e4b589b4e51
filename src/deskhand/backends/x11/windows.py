"""Top-level X windows: listing them (title, WM_CLASS, process) and controlling them like a window manager's
user would (focus, raise, minimize, close, move, resize).

With a window manager (EWMH: ``_NET_SUPPORTING_WM_CHECK``), requests go to it as client messages (it owns
stacking, focus and frames); with none (deskhand's own Xvfb desktop), the window is configured directly. A
window's process comes from ``_NET_WM_PID`` or else the X-Resource extension (Tk sets no ``_NET_WM_PID``).
Every request is read back by the caller (:mod:`deskhand.locate.windows`): effect, not spelling.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import Any

import psutil

from deskhand.backends.x11.display import open_display
from deskhand.errors import ActionFailed, NodeGone
from deskhand.tree.node import Bounds

_ICONIC = 3  # ICCCM WM_STATE IconicState


@dataclass(frozen=True, slots=True)
class XWindow:
    id: int
    title: str
    instance: str  # WM_CLASS res_name ("xterm")
    klass: str  # WM_CLASS res_class ("XTerm")
    pid: int
    bounds: Bounds
    viewable: bool
    focused: bool
    border: int = 0

    @property
    def app_name(self) -> str:
        """How ``--app`` and a workflow's ``apps:`` name a window no accessibility tree covers: its WM_CLASS,
        else its executable."""
        if self.instance:
            return self.instance.casefold()
        if self.pid > 0:
            with contextlib.suppress(psutil.Error, OSError):
                return str(psutil.Process(self.pid).name()).casefold()
        return self.klass.casefold() or "unknown"

    @property
    def geometry(self) -> Bounds:
        """Where X geometry strings (``-geometry WxH+X+Y``, xwininfo) put it: the border's corner, the content's
        size. Moves and resizes are asked and read back in these terms."""
        b = self.bounds
        return Bounds(b.x - self.border, b.y - self.border, b.width, b.height)


class XWindows:
    """One X connection behind a lock (python-xlib is not thread-safe)."""

    def __init__(self, display: str) -> None:
        self._display: Any = open_display(display)
        from Xlib import X, Xatom, protocol

        self._X: Any = X
        self._Xatom: Any = Xatom
        self._protocol: Any = protocol
        self._root: Any = self._display.screen().root
        self._lock = threading.Lock()
        self._has_res = bool(self._display.has_extension("X-Resource"))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._display.close()

    @property
    def screen_size(self) -> tuple[int, int]:
        screen = self._display.screen()
        return int(screen.width_in_pixels), int(screen.height_in_pixels)

    def _atom(self, name: str) -> int:
        return int(self._display.intern_atom(name))

    # ---- listing ------------------------------------------------------------------------------------
    def toplevels(self) -> list[XWindow]:
        """Managed top-level windows (mapped or minimized), bottom to top; popups and unnamed ones left out."""
        with self._lock:
            focus = self._display.get_input_focus().focus
            focus_id = int(getattr(focus, "id", 0) or 0)
            out: list[XWindow] = []
            for frame in self._root.query_tree().children:
                with contextlib.suppress(Exception):  # a window gone meanwhile is simply not listed
                    window = self._describe(frame, focus_id)
                    if window is not None:
                        out.append(window)
            return out

    def at(self, x: int, y: int) -> XWindow | None:
        """The top-level window shown at screen point (x, y), a popup too (a menu is its app's), or None over
        the bare root. The X server's own answer: TranslateCoordinates names the root's mapped child holding
        the point, the topmost."""
        with self._lock, contextlib.suppress(Exception):  # a window gone meanwhile: none there any more
            child = self._root.translate_coords(self._root, x, y).child
            if child and int(getattr(child, "id", child)):
                return self._describe(self._window(int(getattr(child, "id", child))), 0, popups=True)
        return None

    def _describe(self, frame: Any, focus_id: int, *, popups: bool = False) -> XWindow | None:
        attrs = frame.get_attributes()
        if attrs.override_redirect and not popups:
            return None
        client = self._client(frame) or (frame if attrs.override_redirect else None)
        if client is None:
            return None
        wm_class = client.get_wm_class() or ("", "")
        title = self._title(client)
        viewable = attrs.map_state == self._X.IsViewable
        if not viewable and self._wm_state(client) != _ICONIC:
            return None  # withdrawn: not a window a person sees or can bring back
        geometry = client.get_geometry()
        origin = client.translate_coords(self._root, 0, 0)
        bounds = Bounds(-int(origin.x), -int(origin.y), int(geometry.width), int(geometry.height))
        return XWindow(
            id=int(client.id),
            title=title,
            instance=str(wm_class[0] or ""),
            klass=str(wm_class[1] or ""),
            pid=self._pid(client),
            bounds=bounds,
            viewable=viewable,
            focused=focus_id in (int(client.id), int(frame.id)),
            border=int(geometry.border_width),
        )

    def _client(self, frame: Any) -> Any:
        """The application's own window: the frame itself without a window manager, else the child holding
        WM_STATE (a reparenting manager's frame holds the client)."""
        if frame.get_wm_class() is not None:
            return frame
        wm_state = self._atom("WM_STATE")
        for child in frame.query_tree().children:
            if child.get_full_property(wm_state, self._X.AnyPropertyType) is not None:
                return child
        return None

    def _title(self, client: Any) -> str:
        utf8 = client.get_full_property(self._atom("_NET_WM_NAME"), self._atom("UTF8_STRING"))
        if utf8 is not None and utf8.value:
            value = utf8.value
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        name = client.get_wm_name() or ""
        return name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)

    def _wm_state(self, client: Any) -> int:
        prop = client.get_full_property(self._atom("WM_STATE"), self._X.AnyPropertyType)
        return int(prop.value[0]) if prop is not None and len(prop.value) else 0

    def _pid(self, client: Any) -> int:
        prop = client.get_full_property(self._atom("_NET_WM_PID"), self._Xatom.CARDINAL)
        if prop is not None and len(prop.value):
            return int(prop.value[0])
        if self._has_res:
            from Xlib.ext import res

            with contextlib.suppress(Exception):
                ids = self._display.res_query_client_ids([{"client": client.id, "mask": res.LocalClientPIDMask}])
                for found in ids.ids:
                    if found.value:
                        return int(found.value[0])
        return 0

    # ---- control ------------------------------------------------------------------------------------
    def _window(self, window_id: int) -> Any:
        return self._display.create_resource_object("window", window_id)

    def window_manager(self) -> bool:
        """Whether an EWMH window manager runs (it then owns focus, stacking and geometry)."""
        with self._lock:
            prop = self._root.get_full_property(self._atom("_NET_SUPPORTING_WM_CHECK"), self._Xatom.WINDOW)
            return prop is not None and len(prop.value) > 0

    def _send_root(self, window_id: int, kind: str, data: list[int]) -> None:
        event = self._protocol.event.ClientMessage(
            window=self._window(window_id), client_type=self._atom(kind), data=(32, [*data, 0, 0, 0, 0, 0][:5])
        )
        mask = self._X.SubstructureRedirectMask | self._X.SubstructureNotifyMask
        self._root.send_event(event, event_mask=mask)

    def activate(self, window_id: int) -> None:
        """Raise and focus (map it again first when minimized)."""
        managed = self.window_manager()
        with self._lock, _x_errors(window_id):
            window = self._window(window_id)
            if managed:
                self._send_root(window_id, "_NET_ACTIVE_WINDOW", [2, self._X.CurrentTime, 0])
            else:
                window.map()
                window.configure(stack_mode=self._X.Above)
                window.set_input_focus(self._X.RevertToParent, self._X.CurrentTime)
            self._display.sync()

    def raise_window(self, window_id: int) -> None:
        managed = self.window_manager()
        with self._lock, _x_errors(window_id):
            if managed:
                self._send_root(window_id, "_NET_RESTACK_WINDOW", [2, 0, self._X.Above])
            else:
                self._window(window_id).configure(stack_mode=self._X.Above)
            self._display.sync()

    def minimize(self, window_id: int) -> None:
        """ICCCM iconify: the window manager hides it; with none, the window is unmapped (hidden) and marked
        iconic, as a manager would, so listing and activating it still work."""
        managed = self.window_manager()
        with self._lock, _x_errors(window_id):
            window = self._window(window_id)
            if managed:
                self._send_root(window_id, "WM_CHANGE_STATE", [_ICONIC])
            else:
                state = self._atom("WM_STATE")
                window.change_property(state, state, 32, [_ICONIC, 0])
                window.unmap()
            self._display.sync()

    def close_window(self, window_id: int) -> None:
        """Ask the app to close the window (WM_DELETE_WINDOW), as the title bar's close button does."""
        with self._lock, _x_errors(window_id):
            window = self._window(window_id)
            delete = self._atom("WM_DELETE_WINDOW")
            protocols = window.get_wm_protocols() or []
            if delete not in protocols:
                raise ActionFailed(
                    "The window does not take a close request (no WM_DELETE_WINDOW in WM_PROTOCOLS).",
                    hint="Close it from the app itself (its menu or a key such as Ctrl+Q).",
                )
            event = self._protocol.event.ClientMessage(
                window=window, client_type=self._atom("WM_PROTOCOLS"), data=(32, [delete, self._X.CurrentTime, 0, 0, 0])
            )
            window.send_event(event)
            self._display.sync()

    def move_resize(self, window_id: int, bounds: Bounds) -> None:
        """Place the window at ``bounds`` in X geometry terms (see :attr:`XWindow.geometry`)."""
        managed = self.window_manager()
        with self._lock, _x_errors(window_id):
            if managed:
                flags = (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | 10  # x, y, w, h given; static gravity
                self._send_root(
                    window_id, "_NET_MOVERESIZE_WINDOW", [flags, bounds.x, bounds.y, bounds.width, bounds.height]
                )
            else:
                self._window(window_id).configure(x=bounds.x, y=bounds.y, width=bounds.width, height=bounds.height)
            self._display.sync()


@contextlib.contextmanager
def _x_errors(window_id: int) -> Any:
    from Xlib import error as xerror

    try:
        yield
    except (xerror.BadWindow, xerror.BadDrawable):
        raise NodeGone(f"The X window {window_id:#x} is gone.") from None
