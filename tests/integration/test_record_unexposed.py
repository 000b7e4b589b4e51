"""Recording beside an app that shows nothing to accessibility tools (Tk: no AT-SPI at all): its clicks are told
in one line, once, and the file, still written with the steps understood in a GTK app on the same desktop, is
marked partial naming how many clicks are not in it. A click on the GTK window's empty area is no such click."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from tests.integration.record_helper import SRC, center_of, click, recording, wait_seen, xdotool

from deskhand.sandbox import VirtualDesktop
from deskhand.tree.node import Node
from deskhand.tree.roles import WINDOW_ROLES

pytestmark = pytest.mark.desktop

APPS = Path(__file__).resolve().parents[1] / "apps"
TK_FORM = APPS / "tk_form.py"
GTK3_VALUES = APPS / "gtk3_values.py"
GTK3 = "gtk3_values.py"
TOLD = "shows nothing to accessibility tools; its clicks are not recorded"


@pytest.fixture
def virtual() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desk:
        yield desk


def _tk_form_at(virtual: VirtualDesktop, x: int, y: int) -> tuple[int, int]:
    """The Tk form (520 x 420) moved to (x, y), out from under the GTK window; a point inside it."""
    virtual.launch([sys.executable, str(TK_FORM)], wait=False)
    shown = ("search", "--sync", "--onlyvisible", "--name", "deskhand Tk form")
    xdotool(virtual, *shown, "windowmove", "--sync", str(x), str(y))
    return x + 260, y + 210


def _gtk_window(tree: Node) -> Node | None:
    return next((w for w in tree.children if w.role in WINDOW_ROLES and w.bounds is not None), None)


def test_clicks_in_an_app_that_exposes_nothing_are_told_once_and_the_recording_is_marked_partial(
    virtual: VirtualDesktop, tmp_path: Path
) -> None:
    out = tmp_path / "beside.md"
    virtual.launch(["/usr/bin/python3", str(GTK3_VALUES)])
    in_tk = _tk_form_at(virtual, 620, 120)
    frame = wait_seen(virtual, GTK3, _gtk_window, "its window").bounds
    assert frame is not None and frame.x + frame.width < 620, frame  # the two windows side by side
    empty = frame.x + frame.width - 4, frame.y + frame.height - 4  # inside the window's margin: no element
    with recording(virtual, out, tmp_path / "home") as done:
        click(virtual, in_tk)
        click(virtual, center_of(virtual, GTK3, "label", "Name"))
        xdotool(virtual, "type", "--delay", "20", "Grace")
        click(virtual, (in_tk[0] + 40, in_tk[1] + 40))
        # The recorder's own signs that it understood every press before (a step is written at the next press).
        done.wait_for('Type "Grace" into "Name"')
        click(virtual, empty)
        click(virtual, center_of(virtual, GTK3, "checkbox", "Subscribe"))
        click(virtual, (in_tk[0] - 40, in_tk[1] + 80))
        done.wait_for('Check "Subscribe"')
    told = [line for line in done.errors.splitlines() if TOLD in line]
    assert told == [
        'tk_form ("deskhand Tk form") shows nothing to accessibility tools; its clicks are not recorded '
        "(Tk exposes nothing; an app made with GTK or Qt can be recorded)."
    ], done.errors
    text = out.read_text()
    why = "3 clicks in tk_form were not recorded (it shows nothing to accessibility tools)."
    front, body = text.removeprefix("---\n").split("---\n\n", 1)
    assert yaml.safe_load(front)["description"] == f"Partial recording: {why}"
    assert body == (
        f"This recording is partial: {why}\n\n"
        '1. Switch to "deskhand GTK3 values"\n'
        '2. Type "Grace" into "Name"\n'
        '3. Check "Subscribe"\n'
    ), text
    assert f"Wrote 3 steps to {out}. It is marked partial: {why}" in done.errors


def test_an_app_named_that_shows_nothing_or_is_not_running_is_told_at_the_start(
    virtual: VirtualDesktop, tmp_path: Path
) -> None:
    _tk_form_at(virtual, 40, 40)
    out = tmp_path / "named.md"
    with recording(virtual, out, tmp_path / "home", "--app", "tk_form", "--app", "gnumeric") as done:
        tk = done.wait_for("tk_form")
        missing = done.wait_for("gnumeric")
    assert tk.strip() == (
        'tk_form ("deskhand Tk form") shows nothing to accessibility tools; its clicks are not recorded '
        "(Tk exposes nothing; an app made with GTK or Qt can be recorded)."
    )
    assert missing.startswith(
        "No app called 'gnumeric' is on the accessibility bus or has a window on this display; its steps are "
        "recorded once it is started (apps on the bus now: "
    ), missing
    assert "This recording is partial: stopped before any step was seen." in out.read_text()


def test_an_accessibility_bus_that_is_gone_is_one_clear_line(tmp_path: Path) -> None:
    # The shell names a bus that no longer runs (its desktop was taken down): told, nothing written, no wait.
    gone = f"unix:path={tmp_path / 'at-spi-bus'}"
    env = {**cli_env_without_desktop(tmp_path), "AT_SPI_BUS_ADDRESS": gone, "DISPLAY": ":99"}
    done = subprocess.run(
        [sys.executable, "-m", "deskhand", "record", str(tmp_path / "x.md"), "--desktop", "current"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[0].startswith(f"error: Cannot connect to the accessibility bus at {gone}:")
    assert not (tmp_path / "x.md").exists()


def cli_env_without_desktop(home: Path) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "PYTHONPATH": str(SRC), "DESKHAND_HOME": str(home)}
