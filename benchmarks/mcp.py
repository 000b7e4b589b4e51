"""MCP overhead: median latency of `snapshot` and `click` over stdio against the same session calls in-process,
measured in one run on the Qt test form on a virtual desktop of its own.

    python benchmarks/mcp.py --json
    {"snapshot_ms": x, "snapshot_inproc_ms": x, "click_ms": x, "click_inproc_ms": x}

Target: MCP overhead (``snapshot_ms - snapshot_inproc_ms``, same for click) ≤ 10 ms per call.
"""
# ruff: noqa: E402 - the SDK is imported after this script's folder leaves sys.path (see below)

from __future__ import annotations

import sys
from pathlib import Path

# This script is named mcp.py (the name is part of its stable interface), so its folder must not shadow the SDK.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable

import anyio
from mcp.client.client import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import TextContent

from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.policy.secrets import Redactor
from deskhand.runs.audit import AuditLog
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.surfaces.mcp.policy import session_policy
from deskhand.surfaces.mcp.server import McpOptions, build_runtime

QT_FORM = Path(__file__).resolve().parents[1] / "tests" / "apps" / "qt_form.py"
TITLE = "deskhand Qt form"
APP = "qt_form.py"


def _ref(snapshot: str, needle: str) -> str:
    line = next(line for line in snapshot.splitlines() if needle in line)
    return line.split("[", 1)[1].split("]", 1)[0]


def _median_ms(call: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def in_process(virtual: VirtualDesktop, home: Path, rounds: int) -> tuple[float, float]:
    """The same session calls the MCP tools make, with the same guard, store and audit, minus the transport."""
    redactor = Redactor()
    options = McpOptions(policy=session_policy([APP]), timeout=5.0)
    with RunStore(home / "inproc.db", redact=redactor) as store:
        backend = AtspiBackend(virtual.a11y_address, display=virtual.display)
        runtime = build_runtime(backend, virtual, store, redactor, options, AuditLog(home / "inproc-audit.jsonl"))
        session = runtime.session
        try:
            checkbox = _ref(session.snapshot(TITLE), 'checkbox "Subscribe')
            snapshot_ms = _median_ms(lambda: session.snapshot(TITLE), rounds)
            click_ms = _median_ms(lambda: session.click(checkbox), rounds)
        finally:
            session.close()
            backend.close()
    return snapshot_ms, click_ms


def over_stdio(virtual: VirtualDesktop, home: Path, rounds: int) -> tuple[float, float]:
    env = {**virtual.env, "DESKHAND_HOME": str(home)}
    args = ["-m", "deskhand.surfaces.mcp", "--desktop", "current", "--apps", APP, "--timeout", "5"]
    params = StdioServerParameters(command=sys.executable, args=args, env=env)

    async def measure() -> tuple[float, float]:
        async with Client(params) as client:

            async def text(name: str, arguments: dict[str, object]) -> str:
                result = await client.call_tool(name, arguments)
                if result.is_error:
                    raise RuntimeError(str(result.content))
                return "".join(part.text for part in result.content if isinstance(part, TextContent))

            checkbox = _ref(await text("snapshot", {"app": TITLE}), 'checkbox "Subscribe')
            snapshots, clicks = [], []
            for _ in range(rounds):
                started = time.perf_counter()
                await text("snapshot", {"app": TITLE})
                snapshots.append((time.perf_counter() - started) * 1000)
            for _ in range(rounds):
                started = time.perf_counter()
                await text("click", {"ref": checkbox})
                clicks.append((time.perf_counter() - started) * 1000)
            return round(statistics.median(snapshots), 2), round(statistics.median(clicks), 2)

    return anyio.run(measure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="Print one JSON object.")
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp, VirtualDesktop() as virtual:
        home = Path(temp)
        os.environ["DESKHAND_HOME"] = str(home)
        virtual.launch([sys.executable, str(QT_FORM)], timeout=30)
        snapshot_inproc, click_inproc = in_process(virtual, home, options.rounds)
        snapshot_mcp, click_mcp = over_stdio(virtual, home, options.rounds)
    figures = {
        "snapshot_ms": snapshot_mcp,
        "snapshot_inproc_ms": snapshot_inproc,
        "click_ms": click_mcp,
        "click_inproc_ms": click_inproc,
    }
    if options.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:>20}: {value:8.2f} ms")
    print(f"MCP overhead: snapshot {snapshot_mcp - snapshot_inproc:+.2f} ms, click {click_mcp - click_inproc:+.2f} ms")


if __name__ == "__main__":
    main()
