"""At a terminal, `deskhand record` without `--inputs` offers each value typed to become an input when it
stops (a pseudo-terminal stands in for the person's terminal): the value accepted becomes `{name}`, the one
declined stays literal, and the recording replays with another value for the input."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.record_helper import cli_env, replay, wait_printed, xdotool

from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

FORM = "zenity --forms --title=Add --add-entry=Name --add-entry=Email"
# Rich colours the prompt; what matters is its words.
_ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture
def virtual() -> Iterator[VirtualDesktop]:
    with VirtualDesktop() as desk:
        yield desk


class Terminal:
    """The recorder's side of a pseudo-terminal as a person sees it: what it printed, what is typed in."""

    def __init__(self, fd: int) -> None:
        self.fd, self.seen = fd, ""

    def wait_for(self, words: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while words not in _ESCAPES.sub("", self.seen).replace("\r", ""):
            left = deadline - time.monotonic()
            assert left > 0, f"the terminal never showed {words!r}; it showed:\n{self.seen}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.seen += os.read(self.fd, 4096).decode(errors="replace")
                except OSError:  # the other side closed
                    continue

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode())


def test_typed_values_are_offered_as_inputs_at_a_terminal(virtual: VirtualDesktop, tmp_path: Path) -> None:
    printed, out = tmp_path / "printed.txt", tmp_path / "asked.md"
    virtual.launch(["sh", "-c", f"exec {FORM} > {printed}"])
    master, slave = pty.openpty()
    recorder = subprocess.Popen(
        [sys.executable, "-m", "deskhand", "record", str(out), "--app", "zenity"],
        env={**cli_env(virtual, tmp_path / "home"), "COLUMNS": "200"},
        stdin=slave,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    terminal = Terminal(master)
    try:
        terminal.wait_for("Recording on display")
        xdotool(virtual, "type", "--delay", "20", "Alan")
        xdotool(virtual, "key", "Tab")
        xdotool(virtual, "type", "--delay", "20", "alan@example.org")
        xdotool(virtual, "key", "Tab", "Tab", "Return")
        assert wait_printed(printed) == "Alan|alan@example.org\n"
        terminal.wait_for('Click "OK"')
        recorder.send_signal(signal.SIGINT)
        terminal.wait_for("Make 'Alan', typed into 'Name', an input?")
        terminal.type("y\n")
        terminal.wait_for("Make 'alan@example.org', typed into 'Email', an input?")
        terminal.type("n\n")
        assert recorder.wait(timeout=30) == 0, terminal.seen
    finally:
        if recorder.poll() is None:
            recorder.kill()
        os.close(master)
    text = out.read_text()
    assert "inputs:\n  name:\n    type: string\n    required: true\n" in text
    assert text.endswith(
        '1. Switch to "Add"\n2. Type "{name}" into "Name"\n3. Type "alan@example.org" into "Email"\n4. Click "OK"\n'
    )
    again = tmp_path / "replayed.txt"
    virtual.launch(["sh", "-c", f"exec {FORM} > {again}"])
    replay(virtual, out, tmp_path / "home", "--input", "name=Grace")
    assert wait_printed(again) == "Grace|alan@example.org\n"
