"""deskhand against the tools people use instead, side by side in one run on the same apps and page.

    python benchmarks/peers.py            a table
    python benchmarks/peers.py --json     {"cpu_count", "rounds", "rows": [{"measure", "deskhand_ms", "peer",
                                           "peer_ms", "ratio", "nodes_deskhand", "nodes_peer", "note"}]}

Every row is a median over interleaved rounds (deskhand, then the peer, order swapped every round), on one
virtual desktop. ``ratio`` is deskhand_ms / peer_ms: below 1 deskhand is faster. deskhand acts through the
policy guard (GuardedBackend), as a run does. Peers:

- **Playwright for Python** driving Debian's /usr/bin/chromium (no browser download): attached over CDP to
  the very Chromium deskhand reads (same tab, same page), and for reference launched by Playwright itself.
- **pyatspi** (Debian's python3-pyatspi, in a process of Debian's python3) and **dogtail** (python3-dogtail):
  timed inside their own process, so their start-up is not counted.
- **xdotool** typing the same text into the same field.

A peer that is not installed is a row with ``peer_ms: null`` and the reason; deskhand's rows still run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # run as a script: its helpers sit beside it
from deskhand.sandbox import VirtualDesktop  # noqa: E402
from peer_rows import Row, print_table  # noqa: E402
from peer_web import web_rows  # noqa: E402

SYSTEM_PYTHON = "/usr/bin/python3"
PYATSPI_PEER = HERE / "peer_pyatspi.py"


def system_peer(virtual: VirtualDesktop, *args: str) -> dict[str, Any] | str:
    """Run peer_pyatspi.py under Debian's python3 on ``virtual``; its JSON, or why it could not run."""
    if not Path(SYSTEM_PYTHON).exists():
        return f"{SYSTEM_PYTHON} is not installed"
    check = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import pyatspi"], env=virtual.env, capture_output=True, text=True, check=False
    )
    if check.returncode != 0:
        return "python3-pyatspi is not installed (apt-get install python3-pyatspi)"
    done = subprocess.run(
        [SYSTEM_PYTHON, str(PYATSPI_PEER), *args],
        env={**virtual.env, "PYTHONPATH": ""},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1][:200]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds per row (default 9)")
    parser.add_argument("--only", choices=["web", "desktop"], action="append", default=[], help="one part only")
    args = parser.parse_args(argv)
    rows: list[Row] = []
    with VirtualDesktop() as virtual:
        if not args.only or "web" in args.only:
            rows.extend(web_rows(virtual, args.rounds))
        if not args.only or "desktop" in args.only:
            from peer_desktop import desktop_rows

            rows.extend(desktop_rows(virtual, args.rounds, system_peer))
    report = {
        "cpu_count": os.cpu_count(),
        "rounds": args.rounds,
        "xdotool": shutil.which("xdotool") is not None,
        "rows": [row.as_dict() for row in rows],
    }
    if args.json:
        print(json.dumps(report))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
