"""Repair on changed apps (issue 13): how much of a changed app deskhand repairs, and how fast it fails.

Runs the changed-app suite (tests/changed: web pages in versions on real Chromium, a Qt window in versions)
and prints, over the cases:

- healed without a person: the first run on the changed version succeeded (reversible heals allowed);
- first suggestion works: of the runs that needed a person, those fixed by applying suggestion 1 once;
- repaired within 3 rounds of `deskhand fix`;
- wrong submissions: POST bodies / saved records that are not what the workflow means (must be 0);
- time to fail: median of the failing steps, against the step timeout measured in the same run
  (`Wait until … within T seconds` on the same page, which must wait it out).

    python benchmarks/repair.py [--json] [--timeout 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the suite lives in tests/changed

from tests.changed.cases import all_cases  # noqa: E402
from tests.changed.harness import CaseResult, Suite, suite  # noqa: E402
from tests.changed.site import serve  # noqa: E402

from deskhand.errors import LocatorTimeout  # noqa: E402
from deskhand.policy.rules import Policy  # noqa: E402
from deskhand.runner.steps import StepContext, StepRunner  # noqa: E402
from deskhand.workflows import actions as a  # noqa: E402


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.0%}" if whole else "n/a (0 cases)"


def _full_wait_ms(running: Suite, timeout: float) -> float:
    """What a missing target costs when the step waits it out: `within T seconds` on the open page."""
    desktop = running.desktop
    # Through the suite's guard, with the policy a workflow on the page would have.
    running.guard.policy = Policy(apps=("chromium",), sites=(running.site.base,))
    ctx = StepContext(desktop, {}, lambda name: name, lambda url, browser="": url, timeout=timeout)
    ctx.current_app = "Chromium"
    started = time.perf_counter()
    try:
        StepRunner(ctx).run(a.WaitFor("No such text on the page", appear=True, timeout_s=timeout))
    except LocatorTimeout:
        pass
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--timeout", type=float, default=10.0, help="the step timeout (default 10 s)")
    args = parser.parse_args()
    results: list[CaseResult] = []
    with tempfile.TemporaryDirectory() as tmp, serve() as site, suite(Path(tmp), site, timeout=args.timeout) as run:
        for case in all_cases():
            results.append(run.run_case(case))
            if not args.json:
                r = results[-1]
                how = "healed, no person" if r.healed_without_person else f"fix rounds: {r.rounds}"
                print(f"  {r.case:<10} {r.change:<52} {how:<20} wrong: {r.wrong}", flush=True)
                for note in r.notes if not r.repaired else []:
                    print(f"      {note[:300]}", flush=True)
        baseline = [_full_wait_ms(run, args.timeout) for _ in range(2)]
    counted = [r for r in results if r.baseline_ok]
    person = [r for r in counted if r.needed_person]
    fails = [ms for r in counted for ms in r.failed_step_ms]
    figures = {
        "cases": len(results),
        "baseline_broken": [r.case for r in results if not r.baseline_ok],
        "healed_without_person": sum(r.healed_without_person for r in counted),
        "needed_person": len(person),
        "first_suggestion_works": sum(bool(r.first_suggestion_works) for r in person),
        "repaired_within_3_rounds": sum(r.repaired for r in counted),
        "wrong_submissions": sum(r.wrong for r in results),
        "median_fail_ms": round(statistics.median(fails)) if fails else None,
        "median_full_wait_ms": round(statistics.median(baseline)),
    }
    if args.json:
        print(json.dumps(figures, indent=1))
        return
    n = len(counted)
    print(f"\nhealed without a person:        {_share(figures['healed_without_person'], n)}")
    print(f"first suggestion works:         {_share(figures['first_suggestion_works'], len(person))}")
    print(f"repaired within 3 rounds:       {_share(figures['repaired_within_3_rounds'], n)}")
    print(f"wrong submissions:              {figures['wrong_submissions']}")
    if fails:
        ratio = figures["median_full_wait_ms"] / max(figures["median_fail_ms"] or 1, 1)
        print(
            f"time to fail (median of {len(fails)}): {figures['median_fail_ms']} ms, against "
            f"{figures['median_full_wait_ms']} ms waiting out the {args.timeout:g} s timeout ({ratio:.1f}x faster)"
        )
    if figures["baseline_broken"]:
        print(f"cases whose version 1 did not run (not counted): {', '.join(figures['baseline_broken'])}")


if __name__ == "__main__":
    main()
