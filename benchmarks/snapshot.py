"""How fast deskhand sees and acts on real apps, against the naive per-node walk measured in the same run.

    python benchmarks/snapshot.py            a table
    python benchmarks/snapshot.py --json     {"apps": [{"app", "path", "nodes", "snapshot_ms", "resnapshot_ms",
                                              "naive_ms", "naive_nodes", "pyatspi_ms", "pyatspi_nodes",
                                              "speedup", "pyatspi_speedup"}], "actions": {"<kind>": ms}}

Per app, on a private virtual desktop: node count; median full snapshot (``invalidate()`` first, so the whole
tree is read again); median re-snapshot after one field changed (events mark it, only it is read); two
baselines measured in the same run, each with its node count: the dogtail-style per-node walk of
benchmarks/naive_walk.py and a pyatspi walk (Debian's python3-pyatspi, run by /usr/bin/python3 in a
subprocess: benchmarks/peer_pyatspi.py), and the ratios against both. Both baselines read over AT-SPI; each
row says which path deskhand used ("AT-SPI", or "CDP page + AT-SPI browser UI" for Chromium's composite). The
Chromium page is measured on first load and again after navigating away and back (Chromium's bulk cache loses
a page on navigation), each time through the composite backend (the page over CDP, the browser UI over AT-SPI)
and, for comparison, through AT-SPI alone. Actions are median round trips through the policy guard (as in a
real run) including locator resolution and the read-back the locator does, each started once no accessibility
event has arrived for 50 ms (the app finished reacting to the last one)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.backends.browser.endpoint import await_served_endpoint
from deskhand.backends.browser.flags import READER_FLAGS
from deskhand.backends.composite import CompositeBackend
from deskhand.locate import Desktop
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.sandbox import LaunchedApp, VirtualDesktop

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # run as a script: naive_walk sits beside it
from naive_walk import naive_walk  # noqa: E402

REPO = HERE.parent
BENCH_APPS = ("zenity", "mousepad", "gedit", "gnome-calculator", "qt_form.py", "chromium", "firefox")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-pyatspi; never the venv's
QT_FORM = REPO / "tests" / "apps" / "qt_form.py"
PAGES = REPO / "tests" / "fixtures" / "web"
ZENITY_FORM = [
    "zenity",
    "--forms",
    "--title=Signup",
    "--add-entry=Name",
    "--add-password=Secret",
    "--add-calendar=Birthday",
    "--add-combo=Plan",
    "--combo-values=Basic|Pro|Enterprise",
    "--add-list=Color",
    "--list-values=Red|Green|Blue",
]


@dataclass
class Baseline:
    """The walks users' tools do, measured on the same app in the same run: pyatspi (Debian's
    python3-pyatspi, in a /usr/bin/python3 subprocess, timed inside it) and the dogtail-style per-node walk
    over deskhand's own connection (benchmarks/naive_walk.py). Both always read over AT-SPI."""

    naive_ms: float
    naive_nodes: int
    pyatspi_ms: float
    pyatspi_nodes: int


@dataclass
class AppResult:
    app: str
    path: str  # how deskhand read it: "AT-SPI", or "CDP page + AT-SPI browser UI"
    nodes: int
    snapshot_ms: float
    resnapshot_ms: float
    naive_ms: float
    naive_nodes: int
    pyatspi_ms: float
    pyatspi_nodes: int
    speedup: float  # against the naive walk
    pyatspi_speedup: float


class Bench:
    """One desktop, one backend, and the figures gathered so far."""

    def __init__(self, virtual: VirtualDesktop, runs: int, naive_runs: int) -> None:
        self.virtual = virtual
        self.backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        # Timed actions go through the policy guard, as every real run's do (snapshots are timed on the backend).
        self.guard = Guard(policy=Policy(apps=BENCH_APPS))
        self.desk = Desktop(GuardedBackend(self.backend, self.guard), timeout=15.0)
        self.composite = CompositeBackend(virtual.a11y_address, display=virtual.display)
        self.web = Desktop(GuardedBackend(self.composite, self.guard), timeout=15.0)
        self.runs = runs
        self.naive_runs = naive_runs
        self.apps: list[AppResult] = []
        self.actions: dict[str, list[float]] = {}

    def measure_app(
        self,
        label: str,
        app_name: str,
        change: Callable[[int], object],
        naive_runs: int,
        backend: AtspiBackend | CompositeBackend | None = None,
        baseline: Baseline | None = None,
    ) -> Baseline:
        """Measure one app and add its row; returns the baselines' medians (``baseline`` reuses them)."""
        path = "CDP page + AT-SPI browser UI" if isinstance(backend, CompositeBackend) else "AT-SPI"
        backend = backend or self.backend
        app = self.backend.find_app(app_name)
        full: list[float] = []
        nodes = 0
        for _ in range(self.runs):
            backend.invalidate(app.ref)
            start = time.perf_counter()
            root = backend.snapshot(app.ref)
            full.append(_ms(start))
            nodes = sum(1 for _ in root.walk())
        again: list[float] = []
        for run in range(self.runs):
            change(run)
            self.backend.wait_idle(quiet_s=0.05, timeout=1.0)  # let the change's events arrive
            start = time.perf_counter()
            backend.snapshot(app.ref)
            again.append(_ms(start))
        base = baseline or self.baseline(app.ref, app.name, naive_runs)
        snapshot_ms = statistics.median(full)
        self.apps.append(
            AppResult(
                app=label,
                path=path,
                nodes=nodes,
                snapshot_ms=round(snapshot_ms, 1),
                resnapshot_ms=round(statistics.median(again), 1),
                naive_ms=round(base.naive_ms, 1),
                naive_nodes=base.naive_nodes,
                pyatspi_ms=round(base.pyatspi_ms, 1),
                pyatspi_nodes=base.pyatspi_nodes,
                speedup=round(base.naive_ms / snapshot_ms, 1),
                pyatspi_speedup=round(base.pyatspi_ms / snapshot_ms, 1),
            )
        )
        return base

    def baseline(self, app_ref: str, app_name: str, runs: int) -> Baseline:
        walks = [naive_walk(self.backend, app_ref) for _ in range(runs)]
        pyatspi = pyatspi_walk(self.virtual, app_name, runs)
        return Baseline(
            naive_ms=statistics.median(ms for _, ms in walks),
            naive_nodes=walks[-1][0],
            pyatspi_ms=statistics.median(pyatspi["ms"]),
            pyatspi_nodes=int(pyatspi["nodes"]),
        )

    def time_action(self, kind: str, act: Callable[[int], object], runs: int = 15) -> None:
        """Median round trip of ``act``, each run started once the desktop is quiet.

        Without the wait, a run also times the app still busy with the previous run (gnome-calculator
        answers 4-16 ms late for a while after a click): that is the app's time, not deskhand's. The
        events the previous run caused are still read by this run (they mark nodes the resolution
        re-reads), so that part of our cost stays in the figure."""
        for run in range(runs):
            self.backend.wait_idle(quiet_s=0.05, timeout=1.0)
            start = time.perf_counter()
            act(run)
            self.actions.setdefault(kind, []).append(_ms(start))

    def launch(self, argv: list[str]) -> LaunchedApp:
        return self.virtual.launch(argv, timeout=30)

    def report(self) -> dict[str, Any]:
        return {
            "apps": [asdict(result) for result in self.apps],
            "actions": {kind: round(statistics.median(times), 1) for kind, times in self.actions.items()},
        }


def pyatspi_walk(virtual: VirtualDesktop, app_name: str, runs: int) -> dict[str, Any]:
    """``runs`` pyatspi walks of the app by Debian's python3-pyatspi (benchmarks/peer_pyatspi.py)."""
    done = subprocess.run(
        [SYSTEM_PYTHON, str(HERE / "peer_pyatspi.py"), "walk", app_name, str(runs)],
        env={**virtual.env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"the pyatspi walk of {app_name!r} failed: {done.stderr.strip()[-300:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _alternate(run: int, *values: str) -> str:
    return values[run % len(values)]


# ---- the apps ------------------------------------------------------------------------------------------
def bench_zenity(bench: Bench) -> None:
    app = bench.launch(ZENITY_FORM)
    form = bench.desk.app("zenity")
    name = form.get_by_label("Name")
    ref = name.resolve().ref
    bench.measure_app(
        "zenity form", "zenity", lambda run: bench.backend.set_text(ref, f"value {run}"), bench.naive_runs
    )
    bench.time_action("fill", lambda run: name.fill(f"Ada {run}"))
    bench.time_action("select", lambda run: form.get_by_label("Plan").select_option(_alternate(run, "Pro", "Basic")))
    bench.virtual.stop_app(app)


def bench_text_editor(bench: Bench, label: str, command: str, lines: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="deskhand-bench-"))
    document = folder / "lines.txt"
    document.write_text("".join(f"line {n}: the quick brown fox jumps over the lazy dog\n" for n in range(lines)))
    app = bench.launch([command, str(document)])
    editor = bench.desk.app(app.name)
    editor.get_by_role("textbox").first.wait_for()
    ref = editor.get_by_role("textbox").first.resolve().ref
    bench.measure_app(
        label, app.name, lambda run: bench.backend.set_text(ref, document.read_text() + str(run)), bench.naive_runs
    )
    bench.virtual.stop_app(app)


def bench_calculator(bench: Bench) -> None:
    app = bench.launch(["gnome-calculator"])
    calculator = bench.desk.app(app.name)
    one = calculator.get_by_role("button", name="1")
    one.wait_for()
    bench.measure_app("gnome-calculator", app.name, lambda run: one.click(), bench.naive_runs)
    bench.time_action("click", lambda run: one.click())
    bench.virtual.stop_app(app)


def bench_qt(bench: Bench) -> None:
    app = bench.launch([sys.executable, str(QT_FORM)])
    form = bench.desk.app(app.name)
    ref = form.get_by_label("Name").resolve().ref
    bench.measure_app("qt form", app.name, lambda run: bench.backend.set_text(ref, f"value {run}"), bench.naive_runs)
    box = form.get_by_role("checkbox", name="Subscribe")
    bench.time_action("check", lambda run: box.check() if run % 2 == 0 else box.uncheck())
    bench.virtual.stop_app(app)


def bench_chromium(bench: Bench, site: Any) -> None:
    app = bench.virtual.launch_chromium(site.url("form.html"), remote_debugging_port=0, extra_args=READER_FLAGS)
    assert await_served_endpoint(app.pid, 30.0), "Chromium did not open its debugging port"  # read over CDP
    browser = bench.web.app(app.name)
    browser.get_by_role("button", name="Submit").wait_for()
    bench.desk.app(app.name).get_by_role("button", name="Submit").wait_for()

    def measure(when: str) -> None:
        """The composite's row and AT-SPI's row for the page as it is now, one naive walk for both."""
        atspi_field = bench.desk.app(app.name).get_by_role("textbox", name="First name").resolve().ref
        # The change comes from outside the composite (typed through the AT-SPI-only backend), as a
        # person's would: a fill through the composite reports its own change, leaving nothing to re-read.
        baseline = bench.measure_app(
            f"chromium page ({when})",
            app.name,
            lambda run: bench.backend.set_text(atspi_field, f"v{run}"),
            naive_runs=1,
            backend=bench.composite,
        )
        bench.measure_app(
            f"chromium, AT-SPI only ({when})",
            app.name,
            lambda run: bench.backend.set_text(atspi_field, f"w{run}"),
            naive_runs=1,
            baseline=baseline,
        )

    measure("first load")
    first_name = browser.get_by_role("textbox", name="First name")
    bench.time_action("fill (chromium)", lambda run: first_name.fill(f"Ada {run}"), runs=9)
    country = browser.get_by_role("combobox", name="Country")
    bench.time_action("select (chromium)", lambda run: country.select_option(_alternate(run, "Japan", "Peru")), runs=9)
    browser.get_by_role("link", name="Other page").click()
    browser.get_by_role("heading", name="Another page").wait_for()
    bench.composite.activate_window(browser.get_by_role("heading", name="Another page").resolve().ref)
    bench.composite.press("Alt+Left")
    browser.get_by_role("button", name="Submit").wait_for()
    bench.desk.app(app.name).get_by_role("button", name="Submit").wait_for()
    measure("after back")
    bench.virtual.stop_app(app)


def bench_firefox(bench: Bench, site: Any) -> None:
    """Firefox's page is read over AT-SPI (docs/perception-decisions.md): the same form page, first load."""
    app = bench.virtual.launch_browser("firefox", site.url("form.html"), timeout=90)
    page = bench.desk.app(app.name)
    page.get_by_role("button", name="Submit").wait_for()
    field = page.get_by_role("textbox", name="First name").resolve().ref
    bench.measure_app("firefox page, AT-SPI", app.name, lambda run: bench.backend.set_text(field, f"f{run}"), 1)
    bench.virtual.stop_app(app)


# ---- running ---------------------------------------------------------------------------------------------
def load_page_server() -> ModuleType:
    if str(REPO) not in sys.path:
        sys.path.append(str(REPO))  # the test pages' server is built on tests/loopback.py
    spec = importlib.util.spec_from_file_location("deskhand_test_pages", PAGES / "server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@contextmanager
def bench_session(runs: int, naive_runs: int) -> Iterator[tuple[Bench, Any]]:
    with load_page_server().serve_pages() as site, VirtualDesktop() as virtual:
        bench = Bench(virtual, runs, naive_runs)
        bench.guard.policy = Policy(apps=BENCH_APPS, sites=(site.base,))
        try:
            yield bench, site
        finally:
            bench.composite.close()
            bench.backend.close()


def print_table(report: dict[str, Any]) -> None:
    header = (
        f"{'app':<34}{'read by':<14}{'nodes':>7}{'snap ms':>9}{'re-snap':>9}"
        f"{'naive ms':>10}{'(nodes)':>8}{'pyatspi ms':>11}{'(nodes)':>8}{'vs naive':>9}{'vs pyatspi':>11}"
    )
    print(header)
    print("-" * len(header))
    for row in report["apps"]:
        read_by = "CDP+AT-SPI" if row["path"].startswith("CDP") else "AT-SPI"
        print(
            f"{row['app']:<34}{read_by:<14}{row['nodes']:>7}{row['snapshot_ms']:>9.1f}{row['resnapshot_ms']:>9.1f}"
            f"{row['naive_ms']:>10.1f}{row['naive_nodes']:>8}{row['pyatspi_ms']:>11.1f}{row['pyatspi_nodes']:>8}"
            f"{row['speedup']:>8.1f}x{row['pyatspi_speedup']:>10.1f}x"
        )
    print("naive and pyatspi walk the app over AT-SPI (Chromium's page included); 'read by' is deskhand's path.")
    print()
    print("action round trips (median ms, through the policy guard, locator resolution and read-back included)")
    for kind, ms in report["actions"].items():
        print(f"  {kind:<20}{ms:>8.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--runs", type=int, default=9, help="snapshots per median (default 9)")
    parser.add_argument("--naive-runs", type=int, default=3, help="naive walks per median (Chromium: 1)")
    parser.add_argument(
        "--only", action="append", default=[], metavar="APP", help="measure only this app (repeatable; default all)"
    )
    args = parser.parse_args(argv)
    with bench_session(args.runs, args.naive_runs) as (bench, site):
        suites: dict[str, Callable[[], None]] = {
            "zenity": lambda: bench_zenity(bench),
            "mousepad": lambda: bench_text_editor(bench, "mousepad (200 lines)", "mousepad", 200),
            "gedit": lambda: bench_text_editor(bench, "gedit (200 lines)", "gedit", 200),
            "calculator": lambda: bench_calculator(bench),
            "qt": lambda: bench_qt(bench),
            "chromium": lambda: bench_chromium(bench, site),
            "firefox": lambda: bench_firefox(bench, site),
        }
        for name, suite in suites.items():
            if not args.only or name in args.only:
                suite()
        report = bench.report()
    if args.json:
        print(json.dumps(report))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
