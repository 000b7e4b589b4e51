"""Screen-text targets on apps with no accessibility at all (Tk, xterm): the same sentences, through the
guard, each judged by the app's own output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from PIL import Image
from tests.integration.guarded_rig import GuardedRig, rig_on_own_desktop

from deskhand.backends.composite import CompositeBackend
from deskhand.backends.screen.backend import ScreenBackend
from deskhand.policy.masking import MASK_COLOUR as MASK_COLOUR_OF_SECRETS
from deskhand.runner.run import RunOutcome
from deskhand.runner.screen_marks import MARK_COLOUR
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp
from deskhand.tree.roles import State

pytestmark = pytest.mark.desktop

TK_FORM = Path(__file__).resolve().parents[1] / "apps" / "tk_form.py"

FORM_STEPS = """---
name: tk-form
apps: [tk_form]
---
1. Switch to "deskhand Tk form"
2. Type "Ada Lovelace" into "Name"
3. Read "Total" as total
4. Type "Paris {total}" into "City"
5. Drag "Cherry" to "Basket"
6. Click "Submit"
7. Expect "Saved" to appear
"""


class Rig(GuardedRig):
    def __init__(self, virtual: VirtualDesktop) -> None:
        self.screen = ScreenBackend(
            CompositeBackend(virtual.a11y_address, display=virtual.display), display=virtual.display
        )
        super().__init__(virtual, self.screen, timeout=15.0)

    def run(self, folder: Path, text: str) -> RunOutcome:
        return self.run_text(folder, text, use_lock=True)


@pytest.fixture
def rig() -> Iterator[Rig]:
    with rig_on_own_desktop(Rig) as made:
        yield made


def printed_json(app: LaunchedApp) -> dict[str, object]:
    lines = [line for line in app.log_path.read_text(encoding="utf-8").splitlines() if line.startswith("{")]
    assert lines, app.log_path.read_text(encoding="utf-8")
    value = json.loads(lines[-1])
    assert isinstance(value, dict)
    return value


def succeeded(outcome: RunOutcome) -> bool:
    return outcome.status == "succeeded"


def steps_of(outcome: RunOutcome) -> list[tuple[int, str, str | None]]:
    return [(s.n, s.status, s.reason) for s in outcome.steps]


def test_a_tk_form_is_filled_read_and_submitted_from_its_pixels(rig: Rig, tmp_path: Path) -> None:
    form = rig.virtual.launch([sys.executable, str(TK_FORM)], wait=False)
    outcome = rig.run(tmp_path, FORM_STEPS)
    assert succeeded(outcome), (outcome.error, steps_of(outcome))
    values = printed_json(form)
    # The value Read took from the pixels is what the app holds in City: it was typed from {total}.
    assert (values["name"], values["city"]) == ("Ada Lovelace", "Paris 42.50"), values
    # The drag moved Cherry from one list to the other (the app's own lists, as it printed them).
    assert (values["fruits"], values["basket"]) == (["Apple", "Mango"], ["Lemon", "Cherry"]), values
    # Every element step says it was found on the screen, in the lock and in the run record.
    lock = (tmp_path / "wf.lock").read_text(encoding="utf-8")
    assert lock.count("via: screen") >= 6, lock
    record = rig.store.get_run(outcome.run_id)
    recorded = [act for step in record.steps for act in step.actions if act.get("selector")]
    assert recorded and all(act["fingerprint"]["via"] == "screen" for act in recorded), recorded
    # The report's screenshot of the Click step has the box drawn around "Submit".
    shot = record.steps[5].screenshot_path
    assert shot is not None
    with Image.open(shot) as image:
        assert MARK_COLOUR in {colour for _, colour in image.convert("RGB").getcolors(1 << 20) or []}
        # The password entry, found by its label and its mask, is painted over in the screenshot.
        app = next(a for a in rig.screen.applications() if a.name == "tk_form")
        (secret,) = [n for n in rig.screen.snapshot(app.ref).walk() if State.PASSWORD in n.states]
        assert secret.bounds is not None
        b = secret.bounds
        inside = image.convert("RGB").crop((b.x, b.y, b.x + b.width, b.y + b.height))
        assert {colour for _, colour in inside.getcolors(1 << 16) or []} == {MASK_COLOUR_OF_SECRETS}


XTERM_STEPS = """---
name: xterm
apps: [xterm]
preapproved: [6]
---
1. Switch to "deskhand xterm"
2. Expect "Total: 17 items" to appear
3. Type "Grace Hopper"
4. Press Enter
5. Expect "Saved Grace Hopper" to appear
6. Close the window "deskhand xterm"
"""

WINDOW_STEPS = """---
name: xterm-window
apps: [xterm]
---
1. Move the window "deskhand xterm" to 300, 200
2. Resize the window "deskhand xterm" to 500x300
3. Minimize the window "deskhand xterm"
"""


def xterm(rig: Rig, out: Path) -> LaunchedApp:
    script = f'echo "Total: 17 items"; read -p "Name: " n; echo "$n" > {out}; echo "Saved $n"; sleep 600'
    argv = ["xterm", "-T", "deskhand xterm", "-fa", "DejaVu Sans Mono", "-fs", "12", "-geometry", "60x10+40+40"]
    return rig.virtual.launch([*argv, "-e", "bash", "-c", script], wait=False)


def x_window(rig: Rig, *args: str) -> str:
    """What a person's tool (xdotool) says about the xterm window."""
    found = subprocess.run(
        ["xdotool", "search", *args, "--name", "deskhand xterm"],
        env=rig.virtual.env,
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip()


def test_an_xterm_without_accessibility_is_typed_into_read_and_closed(rig: Rig, tmp_path: Path) -> None:
    out = tmp_path / "typed.txt"
    term = xterm(rig, out)
    outcome = rig.run(tmp_path, XTERM_STEPS)
    assert succeeded(outcome), (outcome.error, steps_of(outcome))
    assert out.read_text(encoding="utf-8").strip() == "Grace Hopper"
    # Closed through the window manager's request (WM_DELETE_WINDOW): xterm ended its shell and itself.
    psutil.Process(term.pid).wait(10)


def test_an_xterm_window_is_moved_resized_and_minimized(rig: Rig, tmp_path: Path) -> None:
    xterm(rig, tmp_path / "unused.txt")
    rig.desktop.wait_for_app("deskhand xterm", timeout=15)
    outcome = rig.run(tmp_path, WINDOW_STEPS)
    assert succeeded(outcome), (outcome.error, steps_of(outcome))
    # xwininfo (the person's tool) reports the window in X geometry terms, as the steps gave it.
    info = subprocess.run(
        ["xwininfo", "-id", x_window(rig)], env=rig.virtual.env, capture_output=True, text=True, check=True
    ).stdout
    facts = {line.split(":")[0].strip(): line.split(":", 1)[1].strip() for line in info.splitlines() if ":" in line}
    assert (facts["Relative upper-left X"], facts["Relative upper-left Y"]) == ("300", "200"), info
    assert (facts["Width"], facts["Height"], facts["Map State"]) == ("500", "300", "IsUnMapped"), info


GTK_CANVAS = Path(__file__).resolve().parents[1] / "apps" / "gtk3_canvas.py"

CANVAS_STEPS = """---
name: canvas
apps: [gtk3_canvas.py]
---
1. Switch to "deskhand GTK3 canvas"
2. Click "Pause"
3. Expect "Start" to appear
4. Click "Quit"
"""


def test_a_tree_app_falls_back_to_its_pixels_only_where_the_tree_has_no_match(rig: Rig, tmp_path: Path) -> None:
    canvas = rig.virtual.launch(["/usr/bin/python3", str(GTK_CANVAS)], timeout=30)
    outcome = rig.run(tmp_path, CANVAS_STEPS)
    assert succeeded(outcome), (outcome.error, steps_of(outcome))
    psutil.Process(canvas.pid).wait(15)
    clicks = [json.loads(line)["clicked"] for line in canvas.log_path.read_text(encoding="utf-8").splitlines()]
    assert clicks == ["Pause", "Quit"], clicks
    record = rig.store.get_run(outcome.run_id)
    pause, start, quit_ = (step.actions[0]["fingerprint"] for step in record.steps[1:4])
    # Painted: found in the pixels; Quit: in the tree.
    assert pause["via"] == "screen" and start["via"] == "screen" and "via" not in quit_, (pause, start, quit_)


def test_a_target_neither_the_tree_nor_the_pixels_show_lists_both_kinds(rig: Rig, tmp_path: Path) -> None:
    rig.virtual.launch(["/usr/bin/python3", str(GTK_CANVAS)], timeout=30)
    outcome = rig.run(tmp_path, CANVAS_STEPS.replace('Click "Pause"', 'Click "Paused"'))
    assert outcome.status == "failed"
    error = outcome.error or {}
    assert "neither its accessibility tree nor its pixels" in str(error.get("message")), error
    candidates = " ".join(str(c) for c in error.get("candidates", []))
    assert "(tree)" in candidates and '"Pause" (screen' in candidates, error


def test_an_off_screen_window_is_named_as_the_reason_nothing_was_found(rig: Rig, tmp_path: Path) -> None:
    rig.virtual.launch([sys.executable, str(TK_FORM)], wait=False)
    rig.desktop.wait_for_app("deskhand Tk form", timeout=15)
    subprocess.run(
        ["xdotool", "search", "--name", "deskhand Tk form", "windowmove", "3000", "3000"],
        env=rig.virtual.env,
        check=True,
    )
    outcome = rig.run(
        tmp_path, '---\nname: offscreen\napps: [tk_form]\n---\n1. Switch to "deskhand Tk form"\n2. Click "Submit"\n'
    )
    message = str((outcome.error or {}).get("message"))
    assert outcome.status == "failed" and "is off screen" in message and "Move the window" in message, message
