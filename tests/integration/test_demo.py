"""The README's main command, end to end: `deskhand demo --json` on its own virtual desktop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.desktop


def test_demo_enters_every_contact_and_saves_the_summary(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS")
    }
    env["DESKHAND_HOME"] = str(tmp_path)
    for attempt in ("first run", "replay from the lock"):
        done = subprocess.run(
            [sys.executable, "-m", "deskhand", "demo", "--json"], env=env, capture_output=True, text=True, timeout=240
        )
        assert done.returncode == 0, f"{attempt}: {done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        result = json.loads(done.stdout)
        assert result["status"] == "succeeded", f"{attempt}: {done.stdout[-3000:]}"
        assert result["checks"] == {"crm_records": True, "summary_file": True}
        assert len(result["batch"]["runs"]) == 5
        assert Path(result["report"]).is_file()
    # The second run replayed every step from the lock: nothing had to be re-found.
    assert not any(step["healed"] for run in result["batch"]["runs"] for step in run["steps"])
    assert (tmp_path / "demo" / "add-contact.lock").is_file()
