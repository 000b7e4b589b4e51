"""What the stop-obeying Type costs: text typed through the guard (16-character runs, each waited for) against the
same text sent to the X input backend in one go, both timed until Mousepad holds all of it.

python benchmarks/type_pacing.py [--chars N] [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from deskhand.app.compose import open_desktop
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.tree.node import Node

TEXT_LINE = "the quick brown fox jumps over the lazy dog 0123456789 "


def text_view(root: Node) -> Node | None:
    return next((n for n in root.walk() if n.role in ("textbox", "document") and "multiline" in n.states), None)


def measure(chars: int, runs: int) -> dict[str, list[float]]:
    text = (TEXT_LINE * (chars // len(TEXT_LINE) + 1))[:chars]
    timings: dict[str, list[float]] = {"guarded": [], "unpaced": []}
    with open_desktop("virtual", timeout=10) as session:
        assert session.virtual is not None
        session.virtual.launch(["mousepad"])
        backend = session.desktop.backend
        app = next(a for a in backend.applications() if a.name.casefold() == "mousepad")
        guarded = GuardedBackend(backend, Guard(policy=Policy(apps=("mousepad",))))

        def typed_in(send: Callable[[str], None]) -> float:
            view = text_view(backend.snapshot(app.ref))
            assert view is not None
            backend.set_text(view.ref, "")
            backend.focus(view.ref)
            began = time.perf_counter()
            send(text)
            while (backend.refresh(view.ref).value or "") != text:
                backend.wait_for_change(0.05)
            return (time.perf_counter() - began) * 1000

        for _ in range(runs):
            timings["unpaced"].append(typed_in(backend.type_text))
            timings["guarded"].append(typed_in(guarded.type_text))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--chars", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    options = parser.parse_args()
    timings = measure(options.chars, options.runs)
    unpaced = statistics.median(timings["unpaced"])
    guarded = statistics.median(timings["guarded"])
    result = {
        "chars": options.chars,
        "runs": options.runs,
        "unpaced_ms_median": round(unpaced, 1),
        "guarded_ms_median": round(guarded, 1),
        "guarded_over_unpaced": round(guarded / unpaced, 2),
    }
    if options.json:
        print(json.dumps(result))
        return
    print(f"{'chars':>6} {'runs':>5} {'unpaced ms':>11} {'guarded ms':>11} {'ratio':>6}")
    print(
        f"{options.chars:>6} {options.runs:>5} {result['unpaced_ms_median']:>11} {result['guarded_ms_median']:>11} "
        f"{result['guarded_over_unpaced']:>6}"
    )


if __name__ == "__main__":
    main()
