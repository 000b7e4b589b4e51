"""Show it once, for real: a person (xdotool: type, Tab, click) fills zenity's form while `deskhand record`
watches; the recording is run by the runner on a fresh form, and the form prints the same values. Recording
the same task twice writes the same file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

FORM = "zenity --forms --title=Add --add-entry=Name --add-password=Password --add-entry=Email"
PASSWORD = "s3cret-pw"
SRC = Path(__file__).resolve().parents[2] / "src"


def _launch_form(virtual: VirtualDesktop, printed: Path) -> int:
    # exec keeps the pid, so the desktop knows the app by it; the form prints the values it will use.
    return virtual.launch(["sh", "-c", f"exec {FORM} > {printed}"]).pid


def _wait_printed(printed: Path) -> str:
    """The line the form prints when OK is pressed (it prints nothing otherwise)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if printed.exists() and printed.read_text().endswith("\n"):
            return printed.read_text()
        time.sleep(0.05)
    raise AssertionError("the form printed nothing: OK was not pressed")


def _xdotool(virtual: VirtualDesktop, *args: str) -> None:
    subprocess.run(["xdotool", *args], env=virtual.env, check=True, timeout=30)


def _ok_center(desktop: Desktop) -> tuple[int, int]:
    button = desktop.app("zenity").get_by_role("button", name="OK", exact=True).resolve().node
    assert button.bounds is not None
    return button.bounds.center


@pytest.fixture
def virtual() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desk:
        yield desk


def _record_once(virtual: VirtualDesktop, tmp: Path, run: int) -> tuple[str, str]:
    """One person doing the task under `deskhand record`; the form's printed line and the recording."""
    printed, out = tmp / f"printed{run}.txt", tmp / f"recorded{run}.md"
    _launch_form(virtual, printed)
    env = {**virtual.env, "PYTHONPATH": str(SRC), "DESKHAND_HOME": str(tmp / "home")}
    recorder = subprocess.Popen(
        [sys.executable, "-m", "deskhand", "record", str(out), "--app", "zenity", "--name", "add person"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert recorder.stderr is not None
        ready = recorder.stderr.readline()
        assert "Recording on display" in ready, ready
        with Desktop(AtspiBackend(virtual.a11y_address, display=virtual.display), timeout=5.0) as look:
            x, y = _ok_center(look)
        # The form opens with Name focused, as a person finds it.
        _xdotool(virtual, "type", "--delay", "20", "Ada Lovelace")
        _xdotool(virtual, "key", "Tab")
        _xdotool(virtual, "type", "--delay", "20", PASSWORD)
        _xdotool(virtual, "key", "Tab")
        _xdotool(virtual, "type", "--delay", "20", "ada@example.org")
        _xdotool(virtual, "mousemove", str(x), str(y), "click", "1")
        _wait_printed(printed)
    finally:
        recorder.send_signal(signal.SIGINT)
        _, errors = recorder.communicate(timeout=30)
    print(errors)
    assert recorder.returncode == 0, errors
    assert "deskhand secret set password" in errors
    return printed.read_text(), out.read_text()


def test_recording_replays_to_the_same_printed_values(virtual: VirtualDesktop, tmp_path: Path) -> None:
    first_printed, recorded = _record_once(virtual, tmp_path, 1)
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

    _, again = _record_once(virtual, tmp_path, 2)
    assert again == recorded

    # Replayed the way a person would run it: `deskhand run` on the same desktop, the secret set.
    printed = tmp_path / "replayed.txt"
    _launch_form(virtual, printed)
    env = {
        **virtual.env,
        "PYTHONPATH": str(SRC),
        "DESKHAND_HOME": str(tmp_path / "home"),
        "DESKHAND_SECRET_PASSWORD": PASSWORD,
    }
    replay = subprocess.run(
        [sys.executable, "-m", "deskhand", "run", str(tmp_path / "recorded1.md"), "--desktop", "current"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert _wait_printed(printed) == first_printed
