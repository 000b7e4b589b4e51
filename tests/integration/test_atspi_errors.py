"""Bad input on a real desktop: each a specific deskhand error, quickly — never a raw D-Bus error or a hang."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.errors import (
    AmbiguousMatch,
    AppNotFound,
    BackendError,
    NodeGone,
    NoMatch,
    NotActionable,
    SelectorSyntaxError,
)
from deskhand.locate import Desktop
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

FORM = ["zenity", "--forms", "--title=Errors", "--add-entry=First", "--add-entry=Second"]
# Every failure below must arrive well within this (the locator timeout is 0.5 s).
PROMPT_S = 4.0


@pytest.fixture(scope="module")
def session() -> Iterator[tuple[VirtualDesktop, Desktop, AtspiBackend]]:
    # The file chooser needs more than 800 px of height to show its buttons.
    with VirtualDesktop(size=(1600, 1200)) as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=0.5) as desk:
            virtual.launch(FORM)
            yield virtual, desk, backend


class Clock:
    def __enter__(self) -> Clock:
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.start


def test_unknown_app(session: tuple[VirtualDesktop, Desktop, AtspiBackend]) -> None:
    _, desk, backend = session
    with pytest.raises(AppNotFound) as caught:
        desk.snapshot("no-such-app")
    assert "zenity" in caught.value.message  # lists the apps that are there
    with pytest.raises(AppNotFound):
        backend.find_app("no-such-app")
    with Clock() as clock, pytest.raises(NoMatch) as no_app:
        desk.app("no-such-app").get_by_role("button", name="OK").click()
    assert "no-such-app" in no_app.value.message
    assert "zenity" in no_app.value.candidates
    assert clock.seconds < PROMPT_S


def test_ambiguous_selector_lists_candidates(session: tuple[VirtualDesktop, Desktop, AtspiBackend]) -> None:
    _, desk, _ = session
    with pytest.raises(AmbiguousMatch) as caught:
        desk.app("zenity").get_by_role("textbox").fill("which one?")
    assert len(caught.value.candidates) == 2
    assert all(candidate.startswith("textbox") for candidate in caught.value.candidates)
    assert "nth=" in caught.value.hint


def test_malformed_selector_text(session: tuple[VirtualDesktop, Desktop, AtspiBackend]) -> None:
    _, desk, _ = session
    with pytest.raises(SelectorSyntaxError) as unclosed:
        desk.app("zenity").locator('role=button[name="OK"')
    assert "column" in unclosed.value.message
    with pytest.raises(SelectorSyntaxError) as misspelt:
        desk.app("zenity").locator("role=buton")
    assert "button" in str(misspelt.value)  # suggests the nearest role


def test_no_match_names_the_nearest(session: tuple[VirtualDesktop, Desktop, AtspiBackend]) -> None:
    _, desk, _ = session
    with Clock() as clock, pytest.raises(NoMatch) as caught:
        desk.app("zenity").get_by_role("button", name="Okay then").click()
    assert any("OK" in candidate for candidate in caught.value.candidates)
    assert clock.seconds < PROMPT_S


def test_disabled_button_is_not_actionable(session: tuple[VirtualDesktop, Desktop, AtspiBackend]) -> None:
    virtual, desk, _ = session
    app = virtual.launch(["zenity", "--file-selection", "--save", "--title=Pick a file"])
    try:
        chooser = desk.app("zenity").window("Pick a file")
        # GTK keeps the accept button (zenity calls it OK) insensitive while the name field is empty.
        chooser.get_by_role("button", name="Cancel").wait_for(timeout=5.0)
        with Clock() as clock, pytest.raises(NotActionable) as caught:
            chooser.get_by_role("button", name="OK", exact=True).click()
        assert "disabled" in caught.value.message
        assert clock.seconds < PROMPT_S
    finally:
        virtual.stop_app(app)


def test_stale_ref_after_the_app_quit(session: tuple[VirtualDesktop, Desktop, AtspiBackend]) -> None:
    virtual, desk, backend = session
    app = virtual.launch([*FORM[:2], "--title=Short-lived", "--add-entry=Only"])
    field = desk.app("zenity").window("Short-lived").get_by_label("Only").resolve()
    virtual.stop_app(app)
    with Clock() as clock:
        for act in (
            lambda: backend.refresh(field.ref),
            lambda: backend.set_text(field.ref, "too late"),
            lambda: backend.click(field.ref),
        ):
            with pytest.raises(NodeGone):
                act()
    assert clock.seconds < PROMPT_S
    # The locator no longer finds the window either; the other zenity is untouched.
    with pytest.raises(NoMatch):
        desk.app("zenity").window("Short-lived").get_by_label("Only").resolve()


def test_refs_that_never_existed(session: tuple[VirtualDesktop, Desktop, AtspiBackend]) -> None:
    _, _, backend = session
    with pytest.raises(NodeGone):
        backend.refresh("not a ref")
    with pytest.raises(BackendError):  # NodeGone or another BackendError, never a D-Bus exception
        backend.refresh(":1.4242|/org/a11y/atspi/accessible/7")
