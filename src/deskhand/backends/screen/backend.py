"""The Backend protocol over another backend (AT-SPI + CDP) plus the windows no accessibility tree covers.

An X window whose process is not an app on the accessibility bus (Tk, xterm, Java without the bridge) is
listed as an app of its own, named by its WM_CLASS (else its executable), and read from its pixels: OCR
phrases and the boxes beside their labels become pseudo-nodes (:mod:`.tree`). Actions on them are X pointer
and keyboard events; everything else goes to the inner backend unchanged, optional seams included. Also the
pointer and window seams (:mod:`deskhand.backends.pointer_access`) for every element and window; the X
windows themselves are kept by :mod:`.windows`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable
from dataclasses import replace
from typing import Any

from deskhand.backends.base import AppInfo, Backend, MouseButton, ScrollDirection
from deskhand.backends.pointer_access import WindowOp
from deskhand.backends.screen.ocr import OcrEngine, shared_engine, view_engine
from deskhand.backends.screen.pixels import WindowPixels, clip
from deskhand.backends.screen.tree import (
    VIA,
    ScreenRef,
    best_overlap,
    is_screen_ref,
    parse_ref,
)
from deskhand.backends.screen.views import ViewPixels, graft
from deskhand.backends.screen.windows import TOOLKIT, ScreenWindows
from deskhand.backends.x11.pointer import XPointer
from deskhand.backends.x11.windows import XWindow, XWindows
from deskhand.errors import ActionFailed, BackendUnavailable, NodeGone
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State


class ScreenBackend:
    def __init__(self, inner: Backend, *, display: str, engine: OcrEngine | None = None) -> None:
        self.inner = inner
        self.name = f"{inner.name} + screen"
        self.display = display
        self.pixels = WindowPixels(engine or shared_engine(), inner.screenshot)
        self.views = ViewPixels(engine or view_engine(), inner.screenshot)
        self.windows = ScreenWindows(display)
        self._pointer: XPointer | None = None
        self._focused: str | None = None
        self._tree_pids: set[int] = set()
        # Apps with a tree whose windows' pixels are read too, for the step that found nothing in the tree.
        self._also_pixels: set[str] = set()
        # Apps with a tree whose drawn views (node ref, box on screen) are read, their windows not.
        self._drawn: dict[str, tuple[tuple[str, Bounds], ...]] = {}

    def __getattr__(self, name: str) -> Any:
        # Optional seams of the inner backend (tables, forms, loading...) pass through; every seam that takes
        # an element's ref is defined here too, so a screen ref never reaches the inner backend.
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    # ---- X connections --------------------------------------------------------------------------------
    @property
    def x(self) -> XWindows:
        return self.windows.x

    @property
    def pointer(self) -> XPointer:
        if self._pointer is None:
            if not self.display:
                raise BackendUnavailable("No X display: the pointer cannot be moved.")
            self._pointer = XPointer(self.display)
        return self._pointer

    # ---- perception -------------------------------------------------------------------------------------
    def applications(self) -> list[AppInfo]:
        apps = self.inner.applications()
        if not self.display:
            return apps
        self._tree_pids.update(a.pid for a in apps if a.pid > 0)
        return apps + self.windows.without_tree(self._tree_pids)

    def read_pixels_too(self, app_ref: str | None, on: bool = True, *, timeout: float | None = None) -> None:
        """Graft OCR pseudo-nodes into the windows of a tree app (``on``), or stop (its drawn views' too;
        ``app_ref`` None: all apps); ``timeout``: the longest an OCR read may take from now on (the step's)."""
        if timeout is not None:
            self.pixels.timeout = self.views.timeout = timeout
        if app_ref is None:
            self._also_pixels.clear()
            self._drawn.clear()
        elif on:
            self._also_pixels.add(app_ref)
        else:
            self._also_pixels.discard(app_ref)
            self._drawn.pop(app_ref, None)

    def read_views_too(self, app_ref: str, views: list[Node]) -> None:
        """Graft what the drawn views ``views`` of a tree app show (OCR of their boxes alone, :mod:`.views`)
        under their nodes, until the next step; their windows are not read."""
        self._drawn[app_ref] = tuple((v.ref, v.bounds) for v in views if v.bounds is not None)

    def snapshot(self, app_ref: str) -> Node:
        if not is_screen_ref(app_ref):
            return self._with_pixels(app_ref, self.inner.snapshot(app_ref))
        ref = parse_ref(app_ref)
        self.windows.forget()
        windows = self.windows.of_app(ref)
        if not windows:
            raise NodeGone(f"The app {ref.app!r} has no window any more.")
        children = tuple(self._read_window(w, ref.app) for w in windows)
        return Node(
            app_ref,
            Role.APPLICATION,
            name=ref.app,
            app=ref.app,
            children=children,
            raw_role="screen app",
            attributes={"via": VIA, "toolkit": TOOLKIT},
        )

    def snapshot_matching(self, app_ref: str, needle: str, *, by_label: bool = False) -> Node:
        if is_screen_ref(app_ref):
            return self.snapshot(app_ref)
        matching = getattr(self.inner, "snapshot_matching", None)
        root = matching(app_ref, needle, by_label=by_label) if matching is not None else self.inner.snapshot(app_ref)
        return self._with_pixels(app_ref, root)

    def _with_pixels(self, app_ref: str, root: Node) -> Node:
        """``root`` with each shown window's OCR pseudo-nodes after its own children, when asked for."""
        whole, views = app_ref in self._also_pixels, self._drawn.get(app_ref, ())
        if not (whole or views) or not self.display:
            return root
        pid = next((a.pid for a in self.inner.applications() if a.ref == app_ref), 0)
        self.windows.forget()
        windows = self.windows.toplevels()
        children = []
        for window in root.children:
            same = [w for w in windows if w.title == window.name and w.viewable]
            x_window = next((w for w in same if w.pid == pid), same[-1] if same else None)
            if x_window is None or State.SHOWING not in window.states:
                children.append(window)
                continue
            read = self._read_window(x_window, root.name).children if whole else ()
            children.append(self._with_views(replace(window, children=window.children + read), x_window, views))
        return replace(root, children=tuple(children))

    def _with_views(self, window: Node, x_window: XWindow, views: tuple[tuple[str, Bounds], ...]) -> Node:
        origin = x_window.bounds
        for ref, box in views:
            area = Bounds(box.x - origin.x, box.y - origin.y, box.width, box.height)
            cells = self.views.cells(x_window.id, origin, area, window.app, self.x.screen_size)
            window = graft(window, ref, cells)
        return window

    def _read_window(self, window: XWindow, app: str) -> Node:
        ref = str(ScreenRef("window", window.id))
        states = {State.ENABLED}
        if window.focused:
            states.add(State.ACTIVE)
        width, height = self.x.screen_size
        shown = clip(window.bounds, width, height)
        base = Node(
            ref,
            Role.WINDOW,
            name=window.title,
            bounds=window.bounds,
            app=app,
            raw_role="screen window",
            attributes={"via": VIA},
        )
        if not window.viewable:
            return replace(base, states=frozenset(states), description="minimized")
        if shown is None:
            note = (
                f"off screen: the window is at {window.bounds.x}, {window.bounds.y} "
                f"({window.bounds.width}x{window.bounds.height}), outside the {width}x{height} screen"
            )
            return replace(base, states=frozenset(states), description=note)
        states |= {State.VISIBLE, State.SHOWING}
        return replace(base, states=frozenset(states), children=self._pixels(window, shown, app))

    def _pixels(self, window: XWindow, shown: Bounds, app: str) -> tuple[Node, ...]:
        nodes = self.pixels.nodes(window.id, shown, app)
        if self._focused is None or not window.focused:
            return nodes
        return tuple(replace(n, states=n.states | {State.FOCUSED}) if n.ref == self._focused else n for n in nodes)

    def refresh(self, ref: str) -> Node:
        if not is_screen_ref(ref):
            return self.inner.refresh(ref)
        parsed = parse_ref(ref)
        if parsed.kind == "app":
            return replace(self.snapshot(ref), children=())
        window = self.windows.by_id(parsed.window)
        if parsed.kind == "cell" and parsed.area is not None and parsed.box is not None:
            cells = self.views.cells(window.id, window.bounds, parsed.area, window.app_name, self.x.screen_size)
            return self._same_place(list(cells), parsed.kind, parsed.box, ref)
        app = window.app_name
        read = self._read_window(window, app)
        if parsed.kind == "window" or parsed.box is None:
            return replace(read, children=())
        return self._same_place([n for n in read.walk() if n is not read], parsed.kind, parsed.box, ref)

    @staticmethod
    def _same_place(nodes: list[Node], kind: str, box: Bounds, ref: str) -> Node:
        found = best_overlap(nodes, kind, box)
        if found is None:
            raise NodeGone(f"Nothing is shown any more where the screen showed {kind} {ref!r}.")
        return replace(found, ref=ref)

    def invalidate(self, app_ref: str | None = None) -> None:
        self.windows.forget()
        if app_ref is None or not is_screen_ref(app_ref):
            self.inner.invalidate(app_ref)

    def version(self) -> int:
        return self.inner.version() + self.pixels.changes + self.views.changes

    def wait_for_change(self, timeout: float) -> bool:
        return self.inner.wait_for_change(timeout)

    # ---- actions ----------------------------------------------------------------------------------------
    def _bounds(self, ref: str) -> Bounds:
        node = self.refresh(ref)
        if node.bounds is None or node.bounds.empty:
            raise ActionFailed(f"The element {ref!r} has no place on screen to point at.")
        return node.bounds

    def _bring_up(self, ref: str) -> None:
        """The window of a screen element takes the keyboard: an X click alone does not focus without a
        window manager, and typed keys go to the focused window."""
        window = self.windows.by_id(parse_ref(ref).window)
        if not window.focused:
            self.windows.activate(window.id)

    def click(self, ref: str, *, button: MouseButton = "left", count: int = 1) -> None:
        if not is_screen_ref(ref):
            self.inner.click(ref, button=button, count=count)
            return
        x, y = self._bounds(ref).center
        self._bring_up(ref)
        self.pointer.click(x, y, button=button, count=count)
        self._focused = ref if parse_ref(ref).kind == "field" else None

    def focus(self, ref: str) -> None:
        if not is_screen_ref(ref):
            self.inner.focus(ref)
            return
        self.click(ref)

    def set_text(self, ref: str, text: str) -> None:
        """Click into the field, select what it holds (three clicks select a line in Tk, GTK and Qt entries)
        and type over it."""
        if not is_screen_ref(ref):
            self.inner.set_text(ref, text)
            return
        if parse_ref(ref).kind != "field":
            raise ActionFailed(f"{ref!r} is text on the screen, not a field to type into.")
        x, y = self._bounds(ref).center
        self._bring_up(ref)
        self.pointer.click(x, y, count=3)
        self._focused = ref
        if text:
            self.inner.type_text(text)
        else:
            self.inner.press("Delete")

    def set_text_and_read(self, ref: str, text: str) -> Node:
        """base.TextReadBack: a screen field is typed into and read again from its box."""
        inner = getattr(self.inner, "set_text_and_read", None)
        if inner is not None and not is_screen_ref(ref):
            node: Node = inner(ref, text)
            return node
        self.set_text(ref, text)
        return self.refresh(ref)

    def kept_app(self, ref: str) -> str | None:
        """base.EventKept: pixels send no events, so a screen element is always read afresh."""
        if is_screen_ref(ref):
            return None
        inner = getattr(self.inner, "kept_app", None)
        return inner(ref) if inner is not None else None

    def kept_version(self, ref: str) -> Hashable | None:
        """base.KeptVersions: the inner backend's, for its elements (a screen element has none)."""
        inner = None if is_screen_ref(ref) else getattr(self.inner, "kept_version", None)
        return inner(ref) if inner is not None else None

    def type_text(self, text: str) -> None:
        self.inner.type_text(text)

    def press(self, keys: str) -> None:
        self.inner.press(keys)

    def select_option(self, ref: str, option: str) -> None:
        if is_screen_ref(ref):
            raise ActionFailed(
                "Options cannot be picked from text read off the screen.", hint=f'Click "{option}" instead.'
            )
        self.inner.select_option(ref, option)

    def set_checked(self, ref: str, on: bool) -> None:
        if is_screen_ref(ref):
            raise ActionFailed("A check box read off the screen cannot be read back.", hint="Click its label.")
        self.inner.set_checked(ref, on)

    def scroll(self, ref: str, direction: ScrollDirection, amount: int = 3) -> None:
        if not is_screen_ref(ref):
            self.inner.scroll(ref, direction, amount)
            return
        x, y = self._bounds(ref).center
        self.pointer.scroll(x, y, direction, amount)

    def scroll_into_view(self, ref: str) -> None:
        if not is_screen_ref(ref):  # what the screen shows is in view already
            self.inner.scroll_into_view(ref)

    def activate_window(self, ref: str) -> None:
        if not is_screen_ref(ref):
            self.inner.activate_window(ref)
            return
        self.windows.activate(parse_ref(ref).window)

    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        return self.inner.screenshot(bounds)

    def close(self) -> None:
        self.windows.close()
        if self._pointer is not None:
            self._pointer.close()
        self.inner.close()

    # ---- pointer seam -----------------------------------------------------------------------------------
    def drag(self, from_ref: str, to_ref: str) -> None:
        start = self._bounds(from_ref).center
        end = self._bounds(to_ref).center
        if is_screen_ref(from_ref):
            self._bring_up(from_ref)
        self.pointer.drag(start, end)

    def click_at(self, ref: str, x: int, y: int, *, button: MouseButton = "left", count: int = 1) -> None:
        box = self._bounds(ref)
        if not (0 <= x < box.width and 0 <= y < box.height):
            raise ActionFailed(
                f"The point {x}, {y} is outside the element ({box.width}x{box.height} pixels).",
                hint="Give a point inside it, counted from its top-left corner.",
            )
        if is_screen_ref(ref):
            self._bring_up(ref)
        self.pointer.click(box.x + x, box.y + y, button=button, count=count)

    # ---- window seam ------------------------------------------------------------------------------------
    def _window_id(self, window_ref: str) -> int:
        if is_screen_ref(window_ref):
            return parse_ref(window_ref).window
        for app in self.inner.applications():
            for info in app.windows:
                if info.ref == window_ref:
                    return self.windows.by_title(app.pid, info.title)
        raise NodeGone(f"No window {window_ref!r} is open.")

    def window_bounds(self, window_ref: str) -> Bounds | None:
        window_id = self._window_id(window_ref)
        with contextlib.suppress(NodeGone):
            window = self.windows.by_id(window_id)
            return window.geometry if window.viewable else None
        return None

    def control_window(self, window_ref: str, op: WindowOp, bounds: Bounds | None = None) -> None:
        self.windows.control(self._window_id(window_ref), op, bounds)
        with contextlib.suppress(Exception):
            self.inner.invalidate(None)
