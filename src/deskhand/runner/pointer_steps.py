"""The pointer and window steps of :class:`~deskhand.runner.steps.StepRunner`: drag, click at a point,
scroll by an amount, window control (read back by :class:`deskhand.locate.windows.WindowHandle`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import Locator, Resolved
from deskhand.locate.windows import WindowHandle, pointer_of
from deskhand.runner.resolution import Resolution
from deskhand.tree.selector import Selector
from deskhand.workflows import actions as a
from deskhand.workflows.secret_text import SecretText


class _Context(Protocol):
    desktop: Desktop
    timeout: float

    def fill_in(self, template: str) -> SecretText: ...


class PointerSteps:
    """Mixed into StepRunner, which supplies what is declared here."""

    ctx: _Context
    _target: Callable[[str, a.Target], tuple[Resolved, Selector]]
    _record: Callable[..., Resolution]
    _act_on: Callable[[Resolved, Selector], Locator]

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
        title = str(self.ctx.fill_in(action.window))
        handle = WindowHandle(self.ctx.desktop, title, self.ctx.timeout)
        app = self.ctx.desktop.wait_for_app(title, timeout=self.ctx.timeout)
        if action.verb == "move":
            handle.move(action.x, action.y)
        elif action.verb == "resize":
            handle.resize(action.x, action.y)
        else:
            getattr(handle, "raise_" if action.verb == "raise" else action.verb)()
        return [Resolution("window", None, action.window, {"app": app.name, "verb": action.verb})]
