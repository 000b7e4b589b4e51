"""The steps of :class:`~deskhand.runner.steps.StepRunner` that look rather than act: wait for text to appear
or go, read a value into a variable, expect a field's value or a text on screen. Each waits on events with a
deadline; a modal dialog that holds the screen is named in the error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from deskhand.errors import LocatorError, LocatorTimeout, NoMatch
from deskhand.locate.desktop import Desktop
from deskhand.locate.dialogs import Dialog, blocking_dialog
from deskhand.locate.expect import expect
from deskhand.locate.locator import Locator, Resolved, is_visible
from deskhand.locate.value_of import LABEL_LIKE
from deskhand.locate.waiting import retry_until
from deskhand.runner.reading import expect_value, value_text
from deskhand.runner.resolution import Resolution
from deskhand.runner.screen_fallback import shown_in_pixels
from deskhand.runner.settle import retry_until_settled, scope_look
from deskhand.tree.selector import Selector
from deskhand.workflows import actions as a
from deskhand.workflows.secret_text import SecretText


class _Context(Protocol):
    desktop: Desktop
    timeout: float
    current_app: str | None

    def fill_in(self, template: str) -> SecretText: ...

    def scope(self, within: str | None) -> Locator: ...

    def took(self, name: str, value: object) -> None: ...


def _dialog_words(dialog: Dialog) -> str:
    return " ".join((dialog.title, *dialog.text, *dialog.buttons)).casefold()


class CheckSteps:
    """Mixed into StepRunner, which supplies what is declared here."""

    ctx: _Context
    _target: Callable[[str, a.Target], tuple[Resolved, Selector]]
    _record: Callable[..., Resolution]
    _act_on: Callable[[Resolved, Selector], Locator]

    def _do_wait_for(self, action: a.WaitFor) -> list[Resolution]:
        text = self.ctx.fill_in(action.text)
        timeout = action.timeout_s if action.timeout_s is not None else self.ctx.timeout
        self._wait_for_text(text, appear=action.appear, timeout=timeout)
        return [Resolution("wait_for", None, action.text)]

    def _wait_for_text(self, text: str, *, appear: bool, timeout: float, fail_fast: bool = False) -> None:
        """Text appears when any visible element shows it (several may: a heading and a link)."""
        locator = self.ctx.scope(None).get_by_text(text)

        def attempt() -> None:
            try:
                shown = any(is_visible(r.node) for r in locator.resolve_all())
            except NoMatch:
                shown = False
            if shown != appear:
                if appear:
                    dialog = blocking_dialog(self.ctx.desktop, self.ctx.current_app)
                    if dialog is not None and text.casefold() not in _dialog_words(dialog):
                        raise dialog.error(f"waiting for {text!r}")
                raise NoMatch(f"{text!r} is {'not ' if appear else ''}on screen in {locator.describe()}.")

        def on_timeout(last: LocatorError | None) -> Exception:
            verb = "appear" if appear else "disappear"
            return LocatorTimeout(
                f"{text!r} did not {verb} within {timeout:g} s in {locator.describe()}.",
                hint=(last.hint if last is not None and last.hint else "")
                or "Give it longer with `within N seconds`, or check the text on screen.",
            )

        if not fail_fast:
            retry_until(self.ctx.desktop.backend, attempt, timeout=timeout, on_timeout=on_timeout)
            return

        def on_settled(last: LocatorError | None, settled: bool) -> Exception:
            if not settled:
                return on_timeout(last)
            verb = "appear" if appear else "disappear"
            return NoMatch(
                f"{text!r} did not {verb} in {locator.describe()}, and the screen settled with nothing changing.",
                hint="If it takes time, write `Wait until ... within N seconds` before this step.",
            )

        retry_until_settled(
            self.ctx.desktop.backend, attempt, timeout=timeout, on_timeout=on_settled, look=scope_look(locator)
        )

    def _do_read(self, action: a.Read) -> list[Resolution]:
        resolved, selector = self._target("read", action.target)
        said = str(self.ctx.fill_in(action.target.text))
        value = value_text(self._act_on(resolved, selector), resolved, said)
        self.ctx.took(action.name, value)
        return [self._record("read", resolved, selector)]

    def _do_expect_field(self, action: a.ExpectField) -> list[Resolution]:
        resolved, selector = self._target("expect_field", action.target)
        text = str(self.ctx.fill_in(action.text))
        if resolved.node.role in LABEL_LIKE:  # a label: its value is what must show
            said = str(self.ctx.fill_in(action.target.text))
            target = self._act_on(resolved, selector)
            expect_value(target, resolved, said, text, exact=not action.contains, timeout=self.ctx.timeout)
        else:
            expect(self._act_on(resolved, selector), timeout=self.ctx.timeout).to_have_text(
                self.ctx.fill_in(action.text), exact=not action.contains
            )
        return [self._record("expect_field", resolved, selector, action.text)]

    def _do_expect_text(self, action: a.ExpectText) -> list[Resolution]:
        text = self.ctx.fill_in(action.text)
        try:
            self._wait_for_text(text, appear=action.present, timeout=self.ctx.timeout, fail_fast=True)
        except (NoMatch, LocatorTimeout) as missed:
            if not action.present or not shown_in_pixels(self.ctx.scope(None), str(text), missed):
                raise
            return [Resolution("expect_text", None, action.text, {"via": "screen"})]
        return [Resolution("expect_text", None, action.text)]
