"""How soon a failure notice arrives after the failing step: a run on the fake backend fails at its last
step, and a loopback JSON webhook receives the notice (apprise json://, sent on the notifier's thread).
Baseline, measured in the same run: the same apprise json:// send of the same text, made directly.

python benchmarks/notice_latency.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.notices.notifier import Notifier
from deskhand.notices.send import deliver
from deskhand.notices.settings import notice_settings
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.runner.run import Runner
from deskhand.runs.outbox import Outbox
from deskhand.runs.store import RunStore
from deskhand.tree.node import Node
from deskhand.workflows.parse import parse_workflow

SHOWN = frozenset({"visible", "showing", "enabled", "sensitive"})
WORKFLOW = '---\nname: bench-notice\napps: [form]\n---\n1. Open form\n2. Click "Sumbit"\n'


class Launcher:
    def open_app(self, name: str) -> str:
        return name

    def open_url(self, url: str, browser: str = "") -> str:
        return "browser"


class Arrivals:
    def __init__(self) -> None:
        self.times: list[float] = []
        self.arrived = threading.Condition()

    def wait_for(self, count: int) -> float:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.times) >= count, timeout=30):
                raise SystemExit("no notice arrived within 30 s")
            return self.times[count - 1]


def serve(arrivals: Arrivals) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            with arrivals.arrived:
                arrivals.times.append(time.perf_counter())
                arrivals.arrived.notify_all()
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def form() -> Node:
    submit = Node(ref="submit", role="button", name="Submit", states=SHOWN)
    return Node(ref="win", role="window", name="Sign up", children=(submit,), states=SHOWN | {"active"})


class StampingStore(RunStore):
    """The run store, noting when the failing step was recorded (the notice's clock starts there)."""

    failed_at = 0.0

    def finish_step(self, run_id: str, n: int, status: str, ms: int, **kwargs: Any) -> None:
        super().finish_step(run_id, n, status, ms, **kwargs)
        if status == "failed":
            self.failed_at = time.perf_counter()


def measure(runs: int) -> tuple[list[float], list[float]]:
    arrivals = Arrivals()
    server = serve(arrivals)
    url = f"json://127.0.0.1:{server.server_address[1]}/notice"
    # As in a session: the URLs are checked (and apprise loaded) before the run starts.
    settings = notice_settings({"DESKHAND_NOTIFY": url, "DESKHAND_NOTIFY_WINDOW": "0"}, {})
    notices_ms: list[float] = []
    direct_ms: list[float] = []
    with tempfile.TemporaryDirectory() as home:
        store = StampingStore(Path(home) / "runs.db")
        notifier = Notifier(Outbox(store.path), store.get_run, settings, lambda text: text)
        runner = Runner(
            # The steps go through the policy guard, as a real run's do.
            Desktop(GuardedBackend(FakeBackend({"form": form()}), Guard(policy=Policy(apps=("form",)))), timeout=0.2),
            Launcher(),
            store,
            timeout=0.2,
            on_finish=notifier.run_ended,
        )
        flow = parse_workflow(WORKFLOW, str(Path(home) / "bench.md"))
        for _ in range(runs):
            outcome = runner.run(flow, {})
            assert outcome.status == "failed"
            arrived = arrivals.wait_for(len(arrivals.times) + 1)
            notices_ms.append((arrived - store.failed_at) * 1000)
            notice = Outbox(store.path).recent(1)[0]
            began = time.perf_counter()
            deliver([url], notice.title, notice.body, notice.attachment_path)
            direct_ms.append((arrivals.wait_for(len(arrivals.times)) - began) * 1000)
        notifier.wait(5)
        store.close()
    server.shutdown()
    return notices_ms, direct_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    options = parser.parse_args()
    notices_ms, direct_ms = measure(options.runs)
    notice = statistics.median(notices_ms)
    direct = statistics.median(direct_ms)
    result = {
        "notice_after_failed_step_ms_median": round(notice, 1),
        "notice_after_failed_step_ms_max": round(max(notices_ms), 1),
        "direct_apprise_send_ms_median": round(direct, 1),
        "ratio_notice_to_direct_send": round(notice / direct, 2),
        "runs": options.runs,
    }
    if options.json:
        print(json.dumps(result))
        return
    print(f"failure notice at the webhook after the failing step: median {notice:.1f} ms (max {max(notices_ms):.1f})")
    print(f"baseline, the same apprise send made directly:          median {direct:.1f} ms")
    print(f"ratio notice / direct send: {notice / direct:.2f}x   ({options.runs} runs; budget 2000 ms)")


if __name__ == "__main__":
    main()
