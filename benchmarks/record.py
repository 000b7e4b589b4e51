"""Recording: event-to-step latency and the share of recorded steps that resolve uniquely on replay.

For each test task (zenity's form: type, Tab, type, Tab, type, click OK; the GTK3 values form: type, check,
radio, combo item, Done), on a fresh virtual desktop, real X input (xdotool) drives the app while an
in-process ``Recorder`` watches (the same one `deskhand record` runs). Measured in the same run:
- step latency: from the arrival (X RECORD) of the last press or key before a step to the step being
  understood (``on_step``) — a typed value becomes a step when the focus leaves its field, a click once the
  double-click time (400 ms) has passed;
- baseline: from the arrival (X RECORD) of a typed character's key to the app's text-changed event for it
  (the i-th key typed is paired with the i-th text insertion): the app's own reaction delivered over D-Bus,
  which the recorder cannot be faster than;
- replay: the recording is written and run by `deskhand run` on a fresh copy of the app; a run that ends
  ``succeeded`` resolved every step uniquely (an ambiguous step fails the run), so its steps all count;
  a failed run counts none (said so).

python benchmarks/record.py [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.record_helper import center_of, cli_env, click, wait_printed, xdotool  # noqa: E402

from deskhand.app.recording.document import workflow_text  # noqa: E402
from deskhand.app.recording.watcher import Recorder  # noqa: E402
from deskhand.app.recording.xpresses import Key, PointerPresses, Press  # noqa: E402
from deskhand.backends.atspi.backend import AtspiBackend  # noqa: E402
from deskhand.backends.atspi.event import AtspiEvent  # noqa: E402
from deskhand.locate.desktop import Desktop  # noqa: E402
from deskhand.sandbox import VirtualDesktop  # noqa: E402

GTK3_VALUES = ROOT / "tests" / "apps" / "gtk3_values.py"
# Keysym names of characters typed in the tasks besides letters and digits.
_TYPED_NAMES = frozenset({"space", "at", "period"})
ZENITY = "zenity --forms --title=Add --add-entry=Name --add-entry=Email --add-entry=City"


def zenity_task(virtual: VirtualDesktop) -> None:
    for value in ("Ada Lovelace", "ada@example.org"):
        xdotool(virtual, "type", "--delay", "20", value)
        xdotool(virtual, "key", "Tab")
    xdotool(virtual, "type", "--delay", "20", "London")
    click(virtual, center_of(virtual, "zenity", "button", "OK"))


def gtk3_task(virtual: VirtualDesktop) -> None:
    app = "gtk3_values.py"
    click(virtual, center_of(virtual, app, "label", "Name"))
    xdotool(virtual, "type", "--delay", "20", "Grace")
    click(virtual, center_of(virtual, app, "checkbox", "Subscribe"))
    click(virtual, center_of(virtual, app, "radio", "Large"))
    click(virtual, center_of(virtual, app, "combobox", "Basic"))
    click(virtual, center_of(virtual, app, "menuitem", "Pro"))
    click(virtual, center_of(virtual, app, "button", "Done"))


TASKS: dict[str, tuple[str, str, Callable[[VirtualDesktop], None]]] = {
    "zenity form": (f"exec {ZENITY}", "zenity", zenity_task),
    "gtk3 values": (f"exec /usr/bin/python3 {GTK3_VALUES}", "gtk3_values.py", gtk3_task),
}


def one_round(name: str, home: Path) -> dict[str, object]:
    command, app, task = TASKS[name]
    inputs: list[float] = []
    typed: list[float] = []
    inserts: list[float] = []
    steps: list[float] = []
    with VirtualDesktop() as virtual:
        printed = home / f"{name.replace(' ', '_')}.txt"
        printed.unlink(missing_ok=True)
        virtual.launch(["sh", "-c", f"{command} > {printed}"])
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        with Desktop(backend, timeout=10.0) as desk:

            def heard(event: AtspiEvent) -> None:
                if event.member == "TextChanged" and event.detail.startswith("insert"):
                    inserts.append(time.monotonic())

            unlisten = backend.listen(heard)
            recorder = Recorder(desk, backend, apps=[app], on_step=lambda step: steps.append(time.monotonic()))

            def pressed(item: Press | Key, hand: Callable[[Press], None] | Callable[[Key], None]) -> None:
                inputs.append(time.monotonic())
                if isinstance(item, Key) and (len(item.name) == 1 or item.name in _TYPED_NAMES):
                    typed.append(inputs[-1])
                hand(item)  # type: ignore[arg-type]

            presses = PointerPresses(
                virtual.display, lambda p: pressed(p, recorder.press), lambda k: pressed(k, recorder.key)
            )
            recorder.arrivals.caught_up = presses.caught_up
            stop = threading.Event()
            recorder.start()
            watching = threading.Thread(target=recorder.run, args=(stop,))
            watching.start()
            try:
                task(virtual)
                wait_printed(printed)
                time.sleep(1.0)  # the last click waits out the double-click time
            finally:
                stop.set()
                watching.join(timeout=30)
                presses.close()
                unlisten()
        workflow = home / f"{name.replace(' ', '_')}.md"
        workflow.write_text(workflow_text(name, recorder.steps, recorder.apps_used))
        printed.unlink()
        virtual.launch(["sh", "-c", f"{command} > {printed}"])
        replayed = subprocess.run(
            [sys.executable, "-m", "deskhand", "run", str(workflow), "--desktop", "current"],
            env=cli_env(virtual, home / "deskhand"),
            capture_output=True,
            text=True,
            timeout=180,
        )
    step_latency = [s - max(i for i in inputs if i <= s) for s in steps if any(i <= s for i in inputs)]
    event_latency = [e - k for k, e in zip(typed, inserts, strict=False) if e >= k]
    return {
        "steps": len(recorder.steps),
        "noted": sum(1 for s in recorder.steps if s.note),
        "step_ms": [round(v * 1000, 1) for v in step_latency],
        "event_ms": [round(v * 1000, 1) for v in event_latency],
        "replay_ok": replayed.returncode == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {}
    total = unique = 0
    with tempfile.TemporaryDirectory() as scratch:
        for name in TASKS:
            rounds = [one_round(name, Path(scratch)) for _ in range(args.rounds)]
            step_ms = [v for r in rounds for v in r["step_ms"]]  # type: ignore[attr-defined]
            event_ms = [v for r in rounds for v in r["event_ms"]]  # type: ignore[attr-defined]
            steps = sum(int(r["steps"]) for r in rounds)  # type: ignore[call-overload]
            resolved = sum(int(r["steps"]) for r in rounds if r["replay_ok"])  # type: ignore[call-overload]
            total, unique = total + steps, unique + resolved
            report[name] = {
                "rounds": rounds,
                "step_latency_median_ms": round(statistics.median(step_ms), 1) if step_ms else None,
                "event_latency_median_ms": round(statistics.median(event_ms), 1) if event_ms else None,
                "resolved_on_replay": f"{resolved}/{steps}",
            }
            if not args.json:
                line = report[name]
                assert isinstance(line, dict)
                ratio = (
                    line["step_latency_median_ms"] / line["event_latency_median_ms"]
                    if step_ms and event_ms and line["event_latency_median_ms"]
                    else float("nan")
                )
                print(
                    f"{name}: event-to-step median {line['step_latency_median_ms']} ms = {ratio:.1f}x the app's "
                    f"text event for a typed key ({line['event_latency_median_ms']} ms); steps resolved "
                    f"uniquely on replay {resolved}/{steps}"
                )
    report["share_resolved_on_replay"] = unique / total if total else None
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"all tasks: {unique}/{total} recorded steps resolved uniquely on replay")


if __name__ == "__main__":
    main()
