"""A person and a recorder on one virtual desktop: `deskhand record` and `deskhand run` as subprocesses (the
way a person uses them), xdotool as the person's hands, the app's printed output as the evidence."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop
from deskhand.tree.node import Node
from deskhand.tree.roles import TEXT_INPUT_ROLES, State

SRC = Path(__file__).resolve().parents[2] / "src"


def cli_env(virtual: VirtualDesktop, home: Path, **extra: str) -> dict[str, str]:
    return {**virtual.env, "PYTHONPATH": str(SRC), "DESKHAND_HOME": str(home), **extra}


def wait_printed(printed: Path) -> str:
    """What the app prints when its task is done (a whole line; it prints nothing before)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if printed.exists() and printed.read_text().endswith("\n"):
            return printed.read_text()
        time.sleep(0.05)
    raise AssertionError(f"the app printed nothing into {printed}: its task was not finished")


def xdotool(virtual: VirtualDesktop, *args: str) -> None:
    subprocess.run(["xdotool", *args], env=virtual.env, check=True, timeout=30)


def click(virtual: VirtualDesktop, point: tuple[int, int]) -> None:
    xdotool(virtual, "mousemove", str(point[0]), str(point[1]), "click", "1")


def center_of(virtual: VirtualDesktop, app: str, role: str, name: str) -> tuple[int, int]:
    """Where a person sees the element (read by a separate connection: the person's eyes, not the recorder);
    role ``label`` means the field that ``name`` labels."""
    with Desktop(AtspiBackend(virtual.a11y_address, display=virtual.display), timeout=5.0) as look:
        scope = look.app(app)
        found = (
            scope.get_by_label(name, exact=True) if role == "label" else scope.get_by_role(role, name=name, exact=True)
        )
        # GTK3 keeps a combo's menu twice in the tree while it is open; a person clicks the one on screen.
        placed = [r.node for r in found.resolve_all() if r.node.bounds is not None and not r.node.bounds.empty]
    assert placed, f"{role} {name!r} has no place on screen"
    assert placed[0].bounds is not None
    return placed[0].bounds.center


class Recording:
    """The stderr `deskhand record` prints, read line by line as it comes (``wait_for``); whole once it stopped."""

    def __init__(self, stderr: IO[str]) -> None:
        self._stderr = stderr
        self._lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def errors(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def _read(self) -> None:
        for line in self._stderr:
            with self._changed:
                self._lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        """The first line printed holding ``text`` (the recorder's own sign that it understood what came
        before); fails after ``timeout`` seconds, or when the recorder ended, without one."""
        with self._changed:
            self._changed.wait_for(lambda: self._ended or any(text in line for line in self._lines), timeout)
            found = next((line for line in self._lines if text in line), None)
            assert found is not None, f"no line with {text!r} in {timeout:.0f} s; printed: {''.join(self._lines)!r}"
            return found

    def finish(self) -> None:
        self._reader.join(timeout=30)


@contextmanager
def recording(virtual: VirtualDesktop, out: Path, home: Path, *args: str) -> Iterator[Recording]:
    """`deskhand record OUT ARGS` running while the block runs; Ctrl-C (SIGINT) at its end."""
    recorder = subprocess.Popen(
        [sys.executable, "-m", "deskhand", "record", str(out), *args],
        env=cli_env(virtual, home),
        stdin=subprocess.DEVNULL,  # not a terminal: no inputs prompt at the end
        stderr=subprocess.PIPE,
        text=True,
    )
    assert recorder.stderr is not None
    ready = recorder.stderr.readline()
    result = Recording(recorder.stderr)
    try:
        assert "Recording on display" in ready, ready + result.errors
        yield result
    finally:
        recorder.send_signal(signal.SIGINT)
        recorder.wait(timeout=30)
        result.finish()
    assert recorder.returncode == 0, result.errors


def replay(virtual: VirtualDesktop, workflow: Path, home: Path, *args: str, timeout: float = 120, **extra: str) -> None:
    """`deskhand run WORKFLOW ARGS` on the same desktop, as a person would run the recording; ``timeout`` only
    guards against a run that never ends."""
    done = subprocess.run(
        [sys.executable, "-m", "deskhand", "run", str(workflow), "--desktop", "current", *args],
        env=cli_env(virtual, home, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def wait_seen(virtual: VirtualDesktop, app: str, test: Callable[[Node], Node | None], what: str) -> Node:
    """Wait, as a person watching the screen, until ``test`` finds something in the app's tree (its own signal
    that it is ready for the next input); the element found."""
    with Desktop(AtspiBackend(virtual.a11y_address, display=virtual.display), timeout=5.0) as look:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(DeskhandError):
                found = test(look.snapshot(app))
                if found is not None:
                    return found
            look.backend.wait_for_change(0.2)
    raise AssertionError(f"{app} never showed {what}")


def focused_text(tree: Node) -> Node | None:
    """The text field or text view that holds the keyboard focus, if any."""
    return next((n for n in tree.walk() if n.role in TEXT_INPUT_ROLES and n.has(State.FOCUSED)), None)


def type_watched(virtual: VirtualDesktop, app: str, pieces: Sequence[str], shows: Callable[[str, str], bool]) -> None:
    """Type ``pieces`` one after another into the focused field, each once the field shows what was typed so far
    (``shows(value, typed)``): a person looks before typing on, where a script would race the app (GTK3's file
    chooser completes a folder after each '/' and eats keys typed into it meanwhile)."""
    typed = ""
    for piece in pieces:
        xdotool(virtual, "type", "--delay", "20", piece)
        typed += piece
        wait_seen(
            virtual,
            app,
            lambda tree, so_far=typed: (  # type: ignore[misc]
                field if (field := focused_text(tree)) is not None and shows(field.value or "", so_far) else None
            ),
            f"{typed!r} in its focused field",
        )
