"""deskhand on a headless Wayland session, under weston (as root) and under sway (as ``nobody`` when the tests
run as root: sway refuses root): GTK3, GTK4 and Chromium as native Wayland clients, read over AT-SPI and
operated through AT-SPI's semantic actions (the fixture gives no input: sway's keys and pointer are
tests/integration/test_wayland_input.py); under weston steps that need keys or a pointer fail at once with
the compositor facility that would give them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.app_output import wait_for_output
from tests.integration.bare_bus import bare_session_bus_in
from tests.integration.loopback_site import POSTING_FORM, loopback_site

from deskhand.app.compose import connect_current
from deskhand.backends.composite import CompositeBackend
from deskhand.errors import BackendUnavailable
from deskhand.locate.desktop import Desktop
from deskhand.locate.expect import expect
from deskhand.sandbox.doctor import run_checks
from deskhand.sandbox.wayland import WaylandDesktop
from deskhand.sandbox.wayland_input import facilities

pytestmark = pytest.mark.desktop


@pytest.fixture(params=["weston", "sway"])
def wayland(request: pytest.FixtureRequest) -> Iterator[tuple[WaylandDesktop, Desktop]]:
    with WaylandDesktop(compositor=request.param) as session:
        note = facilities(session.env).input_note
        backend = CompositeBackend(session.a11y_address, display="", input_note=note)
        with Desktop(backend, timeout=10.0) as desktop:
            yield session, desktop


def test_gtk3_form_is_filled_and_submitted_through_atspi_alone(wayland: tuple[WaylandDesktop, Desktop]) -> None:
    session, desktop = wayland
    app = session.launch(["zenity", "--forms", "--title=Add", "--add-entry=Name", "--add-entry=Email"])
    form = desktop.app(app.name)
    form.get_by_label("Name").fill("Ada")
    form.get_by_label("Email").fill("ada@example.org")
    window = form.get_by_role("dialog").first.resolve().node
    ok = form.get_by_role("button", name="OK").resolve().node
    # Extents are window-relative here: the window sits at (0,0), its button inside it. A tiling compositor
    # (sway) resizes the window after it maps, so both are read afresh once its size has landed.
    assert desktop.backend.atspi.coordinates == "window"  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline:
        window, ok = desktop.backend.refresh(window.ref), desktop.backend.refresh(ok.ref)
        if window.bounds is not None and ok.bounds is not None and ok.bounds.x < window.bounds.width:
            break
        time.sleep(0.1)
    assert window.bounds is not None and (window.bounds.x, window.bounds.y) == (0, 0)
    assert ok.bounds is not None and 0 < ok.bounds.x < window.bounds.width
    if session.compositor == "weston":  # no input at all there (sway's: tests/integration/test_wayland_input.py)
        with pytest.raises(BackendUnavailable) as refused:
            desktop.press("Enter")
        assert facilities(session.env).input_note in refused.value.message  # names the compositor's facility
        assert "weston" in refused.value.message and "sway offers virtual keyboard" in refused.value.message
    form.get_by_role("button", name="OK").click()
    assert "Ada|ada@example.org" in wait_for_output(app.log_path, "ada@example.org")


def test_gtk4_calculator_computes_through_atspi_actions(wayland: tuple[WaylandDesktop, Desktop]) -> None:
    session, desktop = wayland
    app = session.launch(["gnome-calculator"])
    calc = desktop.app(app.name)
    for key in ("7", "×", "6", "="):
        calc.get_by_role("button", name=key).click()
    # The editable line shows the result once "=" is pressed: the app's own answer.
    display = calc.get_by_role("textbox").filter(states=frozenset({"editable"})).first
    expect(display).to_have_text("42", exact=True)


def test_chromium_page_is_read_and_clicked_over_atspi(wayland: tuple[WaylandDesktop, Desktop]) -> None:
    session, desktop = wayland
    with loopback_site(POSTING_FORM) as site:
        posts = site.posts
        app = session.launch_chromium(site.url + "/")
        page = desktop.app(app.name)
        page.get_by_role("button", name="Send").wait_for(timeout=20.0)
        assert page.get_by_label("Name").value() == ""
        # Chromium's fields take no text over AT-SPI (no SetTextContents): typing needs a keyboard, and the
        # error says at once which compositor facility would give one.
        with pytest.raises(BackendUnavailable) as refused:
            page.get_by_label("Name").fill("Ada")
        assert facilities(session.env).input_note in refused.value.message
        page.get_by_role("button", name="Send").click()  # AT-SPI's click action: the page's own handler runs
        deadline = time.monotonic() + 10.0
        while not posts and time.monotonic() < deadline:
            time.sleep(0.05)
        assert posts == [""]


def test_doctor_tells_wayland_and_what_works_there(wayland: tuple[WaylandDesktop, Desktop]) -> None:
    session, _ = wayland
    checks = {check.name: check for check in run_checks(session.env)}
    assert "display" not in checks
    session_check = checks["session"]
    assert session_check.ok and "Wayland" in session_check.detail and session.compositor in session_check.detail
    # Input: deskhand drives sway's virtual keyboard and pointer; weston offers none.
    if session.compositor == "sway":
        assert "AT-SPI actions, keys and a pointer" in session_check.detail
        assert checks["input"].ok and "virtual keyboard" in checks["input"].detail
        assert "virtual pointer" in checks["input"].detail
    else:
        assert "AT-SPI actions only" in session_check.detail
        assert not checks["input"].ok and "sway offers virtual keyboard" in checks["input"].detail
    assert all(checks[name].ok for name in ("session_bus", "a11y_bus_address", "a11y_bus", "registry"))


def test_wayland_without_the_atspi_bus_is_one_line_naming_what_to_start(
    wayland: tuple[WaylandDesktop, Desktop], tmp_path: Path
) -> None:
    session, _ = wayland
    with bare_session_bus_in(tmp_path) as address:
        env = {
            "WAYLAND_DISPLAY": session.socket,
            "XDG_RUNTIME_DIR": session.env["XDG_RUNTIME_DIR"],
            "DBUS_SESSION_BUS_ADDRESS": address,
            "DESKHAND_COMPOSITOR": "weston",
        }
        started = time.monotonic()
        with pytest.raises(BackendUnavailable) as missing:
            connect_current(env, timeout=3.0)
        assert time.monotonic() - started < 10.0
        assert "Wayland session has no accessibility (AT-SPI) bus" in missing.value.message
        assert "at-spi-bus-launcher" in missing.value.message and "\n" not in missing.value.message
        checks = {check.name: check for check in run_checks(env)}
        assert checks["session_bus"].ok, checks["session_bus"]
        assert not checks["a11y_bus_address"].ok and "at-spi-bus-launcher" in checks["a11y_bus_address"].fix
