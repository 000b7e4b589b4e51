"""Show it once, for real: a person (xdotool: type, Tab, click) does a task while `deskhand record` watches;
the recording is run by `deskhand run` on a fresh copy of the app, and the app prints the same values.
Recording the same task twice writes the same file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.record_helper import (
    SRC,
    center_of,
    click,
    recording,
    replay,
    type_watched,
    wait_printed,
    xdotool,
)

from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

FORM = "zenity --forms --title=Add --add-entry=Name --add-password=Password --add-entry=Email"
PASSWORD = "s3cret-pw"
GTK3_VALUES = Path(__file__).resolve().parents[1] / "apps" / "gtk3_values.py"


@pytest.fixture
def virtual() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desk:
        yield desk


def _launch_form(virtual: VirtualDesktop, printed: Path) -> None:
    # exec keeps the pid, so the desktop knows the app by it; the form prints the values it will use.
    virtual.launch(["sh", "-c", f"exec {FORM} > {printed}"])


def _fill_form_as_a_person(virtual: VirtualDesktop, tmp: Path, run: int) -> tuple[str, str]:
    printed, out = tmp / f"printed{run}.txt", tmp / f"recorded{run}.md"
    _launch_form(virtual, printed)
    with recording(virtual, out, tmp / "home", "--app", "zenity", "--name", "add person") as done:
        ok = center_of(virtual, "zenity", "button", "OK")
        # The form opens with Name focused, as a person finds it.
        xdotool(virtual, "type", "--delay", "20", "Ada Lovelace")
        xdotool(virtual, "key", "Tab")
        xdotool(virtual, "type", "--delay", "20", PASSWORD)
        xdotool(virtual, "key", "Tab")
        xdotool(virtual, "type", "--delay", "20", "ada@example.org")
        click(virtual, ok)
        wait_printed(printed)
    assert "deskhand secret set password" in done.errors
    return printed.read_text(), out.read_text()


def test_zenity_form_recorded_twice_the_same_and_replayed_to_the_same_values(
    virtual: VirtualDesktop, tmp_path: Path
) -> None:
    first_printed, recorded = _fill_form_as_a_person(virtual, tmp_path, 1)
    assert first_printed.strip() == f"Ada Lovelace|{PASSWORD}|ada@example.org"
    assert PASSWORD not in recorded
    assert recorded == (
        "---\n"
        "name: add-person\n"
        "description: Recorded by deskhand; say what it does.\n"
        "apps:\n"
        "- zenity\n"
        "secrets:\n"
        "- password\n"
        "---\n"
        "\n"
        '1. Switch to "Add"\n'
        '2. Type "Ada Lovelace" into "Name"\n'
        '3. Type "{secret:password}" into "Password"\n'
        '4. Type "ada@example.org" into "Email"\n'
        '5. Click "OK"\n'
    )

    _, again = _fill_form_as_a_person(virtual, tmp_path, 2)
    assert again == recorded

    printed = tmp_path / "replayed.txt"
    _launch_form(virtual, printed)
    replay(virtual, tmp_path / "recorded1.md", tmp_path / "home", DESKHAND_SECRET_PASSWORD=PASSWORD)
    assert wait_printed(printed) == first_printed


def test_enter_on_a_focused_button_is_its_click_and_typed_values_become_inputs(
    virtual: VirtualDesktop, tmp_path: Path
) -> None:
    printed, out = tmp_path / "printed.txt", tmp_path / "keys.md"
    _launch_form(virtual, printed)
    with recording(virtual, out, tmp_path / "home", "--app", "zenity", "--inputs", "name,email"):
        xdotool(virtual, "type", "--delay", "20", "Alan")
        xdotool(virtual, "key", "Tab", "Tab")
        xdotool(virtual, "type", "--delay", "20", "alan@example.org")
        # From the last field Tab goes to Cancel, then to OK; Enter presses it.
        xdotool(virtual, "key", "Tab", "Tab", "Return")
        assert wait_printed(printed) == "Alan||alan@example.org\n"
    text = out.read_text()
    assert "inputs:\n  name:\n    type: string\n    required: true\n  email:\n" in text
    assert text.endswith(
        '1. Switch to "Add"\n2. Type "{name}" into "Name"\n3. Type "{email}" into "Email"\n4. Click "OK"\n'
    )
    again = tmp_path / "replayed.txt"
    _launch_form(virtual, again)
    replay(virtual, out, tmp_path / "home", "--input", "name=Grace", "--input", "email=grace@example.org")
    assert wait_printed(again) == "Grace||grace@example.org\n"


def test_keys_typed_while_the_app_is_busy_act_where_the_app_took_them(virtual: VirtualDesktop, tmp_path: Path) -> None:
    """The app is held (SIGSTOP, as a loaded machine stalls it) while Tab, Tab, Enter are typed: it takes them
    a second later, Enter on OK. The recorder waits for the focus moves the Tabs owe, so it writes `Click "OK"`,
    never the field or the Cancel the focus was on as the keys went down."""
    printed, out = tmp_path / "printed.txt", tmp_path / "busy.md"
    form = virtual.launch(["sh", "-c", f"exec {FORM} > {printed}"])
    with recording(virtual, out, tmp_path / "home", "--app", "zenity", "--inputs", "email"):
        xdotool(virtual, "type", "--delay", "20", "Alan")
        xdotool(virtual, "key", "Tab", "Tab")
        type_watched(virtual, "zenity", ["alan@example.org"], lambda value, typed: value == typed)
        os.kill(form.pid, signal.SIGSTOP)
        try:
            xdotool(virtual, "key", "Tab", "Tab", "Return")
            time.sleep(1.0)  # the stall itself: longer than the quiet the recorder otherwise settles on
        finally:
            os.kill(form.pid, signal.SIGCONT)
        assert wait_printed(printed) == "Alan||alan@example.org\n"
    assert out.read_text().endswith(
        '1. Switch to "Add"\n2. Type "Alan" into "Name"\n3. Type "{email}" into "Email"\n4. Click "OK"\n'
    )
    again = tmp_path / "replayed.txt"
    _launch_form(virtual, again)
    replay(virtual, out, tmp_path / "home", "--input", "email=grace@example.org")
    assert wait_printed(again) == "Alan||grace@example.org\n"


def test_gtk3_check_box_radio_and_combo_are_recorded_and_replayed(virtual: VirtualDesktop, tmp_path: Path) -> None:
    command = f"exec /usr/bin/python3 {GTK3_VALUES}"
    printed, out = tmp_path / "printed.txt", tmp_path / "values.md"
    virtual.launch(["sh", "-c", f"{command} > {printed}"])
    app = "gtk3_values.py"
    with recording(virtual, out, tmp_path / "home", "--name", "values"):
        click(virtual, center_of(virtual, app, "label", "Name"))
        xdotool(virtual, "type", "--delay", "20", "Grace")
        click(virtual, center_of(virtual, app, "checkbox", "Subscribe"))
        click(virtual, center_of(virtual, app, "radio", "Large"))
        click(virtual, center_of(virtual, app, "combobox", "Basic"))
        click(virtual, center_of(virtual, app, "menuitem", "Pro"))
        click(virtual, center_of(virtual, app, "button", "Done"))
        first = wait_printed(printed)
    assert out.read_text().endswith(
        '1. Switch to "deskhand GTK3 values"\n'
        '2. Type "Grace" into "Name"\n'
        '3. Check "Subscribe"\n'
        '4. Check "Large"\n'
        '5. Choose "Pro" in "Plan"\n'
        '6. Click "Done"\n'
    )
    assert '"subscribe": true' in first and '"plan": "Pro"' in first and '"size": "Large"' in first

    again = tmp_path / "replayed.txt"
    virtual.launch(["sh", "-c", f"{command} > {again}"])
    replay(virtual, out, tmp_path / "home")
    assert wait_printed(again) == first


def test_ctrl_c_before_any_step_writes_a_partial_recording(virtual: VirtualDesktop, tmp_path: Path) -> None:
    _launch_form(virtual, tmp_path / "printed.txt")
    out = tmp_path / "nothing.md"
    with recording(virtual, out, tmp_path / "home", "--app", "zenity") as done:
        pass
    assert "Nothing was recorded before the stop; wrote a partial recording to" in done.errors
    assert "This recording is partial: stopped before any step was seen." in out.read_text()


def test_no_accessibility_bus_is_one_clear_line(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(SRC), "DESKHAND_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "deskhand", "record", str(tmp_path / "x.md"), "--desktop", "current"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "error: No desktop with an accessibility bus is set in this shell."


def test_a_chord_is_a_press_step(virtual: VirtualDesktop, tmp_path: Path) -> None:
    command = f"exec /usr/bin/python3 {GTK3_VALUES}"
    printed, out = tmp_path / "printed.txt", tmp_path / "chord.md"
    virtual.launch(["sh", "-c", f"{command} > {printed}"])
    app = "gtk3_values.py"
    with recording(virtual, out, tmp_path / "home"):
        click(virtual, center_of(virtual, app, "label", "Name"))
        xdotool(virtual, "type", "--delay", "20", "draft")
        xdotool(virtual, "key", "ctrl+a")
        xdotool(virtual, "type", "--delay", "20", "Grace")
        click(virtual, center_of(virtual, app, "button", "Done"))
        first = wait_printed(printed)
    assert '"name": "Grace"' in first
    assert out.read_text().endswith(
        '1. Switch to "deskhand GTK3 values"\n'
        '2. Type "draft" into "Name"\n'
        "3. Press Ctrl+A\n"
        '4. Type "Grace" into "Name"\n'
        '5. Click "Done"\n'
    )
    again = tmp_path / "replayed.txt"
    virtual.launch(["sh", "-c", f"{command} > {again}"])
    replay(virtual, out, tmp_path / "home")
    assert wait_printed(again) == first
