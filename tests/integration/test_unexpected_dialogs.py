"""Unexpected dialogs: a modal that opens mid-run fails the step at once, naming the dialog, its text and
its buttons with the sentences that answer it; the suggested sentence then works.

The error type proves the path: a step that waited out its timeout ends in NoMatch/LocatorTimeout, never
in UnexpectedDialog.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psutil
import pytest
from tests.integration.steps_helper import run_steps, step_runner
from tests.integration.test_values_chromium import browser, page

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.errors import UnexpectedDialog
from deskhand.locate.desktop import Desktop
from deskhand.runner.steps import StepRunner
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

__all__ = ["browser", "page"]  # fixtures shared with the Chromium values tests


@pytest.fixture
def mousepad() -> Iterator[tuple[VirtualDesktop, Desktop]]:
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=10.0) as desk:
            yield virtual, desk


def test_save_changes_dialog_fails_the_next_step_at_once(mousepad: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = mousepad
    app = virtual.launch(["mousepad"])
    runner = step_runner(desk, virtual, app=app.name)
    run_steps(runner, 'Switch to "Mousepad"', 'Type "hello"', "Press Ctrl+Q")
    # The question comes up a moment after the key: the next step must meet it, not race it. Its menu
    # bar stays shown behind the dialog, and is still no target.
    run_steps(runner, 'Wait until "Do you want to save the changes before closing?" appears')

    with pytest.raises(UnexpectedDialog) as failure:
        run_steps(runner, 'Click "Search"')
    error = failure.value
    assert "Question" in error.message and "Do you want to save the changes" in error.message
    assert error.buttons == ["Cancel", "Don't Save", "Save"]
    assert 'Click "Don\'t Save" in "Question"' in error.hint

    # The sentence it suggests answers the dialog: the editor quits without saving.
    run_steps(runner, 'Click "Don\'t Save" in "Question"')
    psutil.Process(app.pid).wait(10)


def test_a_javascript_alert_fails_the_next_step_and_ok_answers_it(page: tuple[Any, StepRunner]) -> None:
    site, runner = page
    run_steps(runner, 'Click "Warn me"')  # returns: the alert is the click's effect

    with pytest.raises(UnexpectedDialog) as failure:
        run_steps(runner, 'Type "Ada" into "Name"')
    error = failure.value
    assert "Something went wrong" in error.message and error.buttons == ["OK"]
    assert 'Click "OK" in "' in error.hint

    # The page's script goes on once the alert is answered (it writes "Alerted"): then the page takes input.
    run_steps(runner, 'Click "OK" in "says"', 'Expect "Sync" to show "Alerted"', 'Type "Ada" into "Name"')
    run_steps(runner, 'Click "Submit"')
    assert site.wait_for_post(10)["name"] == ["Ada"]


def test_a_form_that_is_the_apps_only_window_is_no_unexpected_dialog(mousepad: tuple[VirtualDesktop, Desktop]) -> None:
    """zenity's question is the app's whole window: a typo in a step is a plain NoMatch with candidates."""
    virtual, desk = mousepad
    app = virtual.launch(["zenity", "--question", "--title=Proceed?", "--text=Go on?"])
    runner = step_runner(desk, virtual, app=app.name)
    runner.ctx.timeout = 2.0
    with pytest.raises(Exception) as failure:
        run_steps(runner, 'Click "Yess"')
    assert not isinstance(failure.value, UnexpectedDialog)
    assert "Yes" in str(failure.value)
