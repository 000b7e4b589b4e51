"""How long a step takes to fail when a modal dialog stands in its way: with deskhand's dialog check, and
with the check turned off (the same step then ends in NoMatch once the screen settles).

One virtual desktop, mousepad with its "Save changes?" question open (typed text, then Ctrl+Q); the step
`Click "Replace All"` (a button of a window the dialog keeps from opening) is run N times each way with
the runner's default timeout. Prints the median time to the failure of each and their ratio; `--json`
prints {"with_check_ms", "without_check_ms", "ratio", "runs", "errors"}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from unittest import mock

from deskhand.app.launcher import DesktopLauncher
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.runner.steps import DEFAULT_WAIT_S, StepContext, StepRunner
from deskhand.sandbox import VirtualDesktop
from deskhand.workflows.language import parse_step


def _time_to_failure(runner: StepRunner, sentence: str) -> tuple[float, str]:
    action = parse_step(sentence)
    assert action is not None
    started = time.perf_counter()
    try:
        runner.run(action)
    except DeskhandError as failure:
        return (time.perf_counter() - started) * 1000, type(failure).__name__
    raise RuntimeError(f"{sentence!r} did not fail: the dialog is not in its way")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with VirtualDesktop() as virtual:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        # The steps go through the policy guard, as a real run's do.
        guarded = GuardedBackend(backend, Guard(policy=Policy(apps=("mousepad",))))
        with Desktop(guarded, timeout=DEFAULT_WAIT_S) as desk:
            app = virtual.launch(["mousepad"])
            launcher = DesktopLauncher(desk, virtual)
            ctx = StepContext(desk, {}, launcher.open_app, launcher.open_url, current_app=app.name)
            runner = StepRunner(ctx)
            for sentence in ('Switch to "Mousepad"', 'Type "unsaved"', "Press Ctrl+Q"):
                action = parse_step(sentence)
                assert action is not None
                runner.run(action)
            with_check: list[float] = []
            without: list[float] = []
            kinds: set[str] = set()
            off: Callable[..., None] = lambda *_a, **_k: None  # noqa: E731
            for _ in range(args.runs):
                ms, kind = _time_to_failure(runner, 'Click "Replace All"')
                with_check.append(ms)
                kinds.add(kind)
                with (
                    mock.patch("deskhand.runner.targets.blocking_dialog", off),
                    mock.patch("deskhand.locate.locator.blocking_dialog", off),
                    mock.patch("deskhand.runner.menus.blocking_dialog", off),
                ):
                    ms, kind = _time_to_failure(runner, 'Click "Replace All"')
                without.append(ms)
                kinds.add(kind)
    result = {
        "with_check_ms": round(statistics.median(with_check), 1),
        "without_check_ms": round(statistics.median(without), 1),
        "ratio": round(statistics.median(without) / statistics.median(with_check), 1),
        "runs": args.runs,
        "errors": sorted(kinds),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"step facing a modal dialog, median of {args.runs}: fails in {result['with_check_ms']} ms with the "
            f"dialog check, {result['without_check_ms']} ms without it ({result['ratio']}x); errors: "
            + ", ".join(result["errors"])  # type: ignore[arg-type]
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
