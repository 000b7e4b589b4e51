"""The pointer and window steps of :class:`~deskhand.runner.steps.StepRunner`: drag, click at a point,
scroll by an amount, window control. Window steps are judged by their effect, read back from the window
system: moved to the place asked, minimized (no longer shown), focused (active), closed (gone)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from deskhand.backends.base import WindowInfo
from deskhand.backends.pointer_access import PointerAccess, WindowAccess
from deskhand.errors import ActionFailed, BackendUnavailable
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import Locator, Resolved
from deskhand.runner.resolution import Resolution
from deskhand.tree.node import Bounds
from deskhand.tree.selector import Selector
from deskhand.workflows import actions as a
from deskhand.workflows.secret_text import SecretText


class _Context(Protocol):
    desktop: Desktop
    timeout: float

    def fill_in(self, template: str) -> SecretText: ...


def pointer_of(desktop: Desktop) -> PointerAccess:
    backend = desktop.backend
    if not isinstance(backend, PointerAccess):
        raise BackendUnavailable("This desktop has no pointer deskhand can move (no X display).")
    return backend


def windows_of(desktop: Desktop) -> WindowAccess:
    backend = desktop.backend
    if not isinstance(backend, WindowAccess):
        raise BackendUnavailable("This desktop's windows cannot be controlled (no X display).")
    return backend


class PointerSteps:
    """Mixed into StepRunner, which supplies what is declared here."""

    ctx: _Context
    _target: Callable[[str, a.Target], tuple[Resolved, Selector]]
    _record: Callable[..., Resolution]
    _act_on: Callable[[Resolved, Selector], Locator]
    _wait_closed: Callable[[WindowInfo], None]

    def _do_drag(self, action: a.Drag) -> list[Resolution]:
        source = self._target("click", action.source)
        # A drop target is named like a field, by the label beside or above it first ("Basket").
        destination = self._target("type_text", action.destination)
        pointer_of(self.ctx.desktop).drag(source[0].ref, destination[0].ref)
        return [self._record("drag", *source), self._record("drop", *destination)]

    def _do_click_at(self, action: a.ClickAt) -> list[Resolution]:
        resolved, selector = self._target("right_click", action.target)
        pointer_of(self.ctx.desktop).click_at(resolved.ref, action.x, action.y, button=action.button)
        return [self._record("click_at", resolved, selector, f"{action.x},{action.y}")]

    def _do_scroll_by(self, action: a.ScrollBy) -> list[Resolution]:
        resolved, selector = self._target("right_click", action.target)
        self._act_on(resolved, selector).scroll(action.direction, action.amount)
        return [self._record("scroll", resolved, selector, action.direction)]

    def _do_window(self, action: a.WindowControl) -> list[Resolution]:
        desktop = self.ctx.desktop
        title = str(self.ctx.fill_in(action.window))
        app = desktop.wait_for_app(title, timeout=self.ctx.timeout)
        window = next((w for w in app.windows if title.casefold() in w.title.casefold()), None)
        if window is None:
            raise ActionFailed(f"{app.name!r} has no window titled {title!r}.", hint="Check the title on screen.")
        control = windows_of(desktop)
        bounds = None
        if action.verb in ("move", "resize"):
            now = control.window_bounds(window.ref)
            if now is None:
                raise ActionFailed(f"The window {title!r} is minimized: focus it before moving it.")
            bounds = (
                Bounds(action.x, action.y, now.width, now.height)
                if action.verb == "move"
                else Bounds(now.x, now.y, action.x, action.y)
            )
        control.control_window(window.ref, action.verb, bounds)
        if action.verb == "close":
            self._wait_closed(window)
        else:
            self._read_back_window(window, action.verb, bounds)
        return [Resolution("window", None, action.window, {"app": app.name, "verb": action.verb})]

    def _read_back_window(self, window: WindowInfo, verb: str, bounds: Bounds | None) -> None:
        desktop = self.ctx.desktop
        control = windows_of(desktop)
        deadline = time.monotonic() + self.ctx.timeout
        seen: Any = None
        while True:
            seen = control.window_bounds(window.ref)
            if verb == "minimize" and seen is None:
                return
            if verb in ("move", "resize") and seen == bounds:
                return
            if verb in ("focus", "raise") and seen is not None:
                active = any(w.ref == window.ref and w.active for app in desktop.apps() for w in app.windows)
                if active or verb == "raise":
                    return
            if time.monotonic() >= deadline:
                raise ActionFailed(
                    f"Asked to {verb} the window {window.title!r}, but it is {_where(seen)}.",
                    hint="A window manager may refuse or adjust the request (size hints, a fixed-size dialog).",
                )
            desktop.backend.wait_for_change(0.05)


def _where(bounds: Bounds | None) -> str:
    if bounds is None:
        return "not shown (minimized or gone)"
    return f"at {bounds.x}, {bounds.y}, {bounds.width}x{bounds.height}"
