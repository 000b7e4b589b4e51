"""An app whose direct connection closes while deskhand reads it (issue 12): the reads end NodeGone, and
nothing is left behind in the D-Bus loop — no send on the closed socket ("Bad file descriptor", "Broken
pipe" futures never retrieved) and no call coroutine that was never awaited. Run in a child Python with
asyncio's debug mode, whose stderr is the evidence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.desktop

SCRIPT = Path(__file__).with_name("quit_mid_read.py")
LEFT_BEHIND = ("Bad file descriptor", "Broken pipe", "never retrieved", "never awaited", "Traceback")


def test_an_app_killed_mid_read_ends_gone_and_leaves_nothing_behind() -> None:
    env = {**os.environ, "PYTHONASYNCIODEBUG": "1"}
    done = subprocess.run(
        [sys.executable, "-X", "dev", str(SCRIPT), "zenity", "--info", "--text=Reading me"],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert all(count >= 1 for count in facts["peers"]), facts  # the reads went over the app's own socket
    assert facts["raised"] == ["NodeGone"], facts
    left = [line for line in done.stderr.splitlines() if any(word in line for word in LEFT_BEHIND)]
    assert not left, "\n".join(left[:20])
