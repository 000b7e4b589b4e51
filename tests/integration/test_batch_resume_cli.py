"""A batch through the real `deskhand run --inputs` command, killed mid-batch, then the same command again: rows
already done are not run twice; the row that was mid-run sent nothing irreversible (no intent record: this
workflow only types), so it runs again from its start; the rest are run once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

QT_FORM = Path(__file__).resolve().parents[1] / "apps" / "qt_form.py"
WORKFLOW = """---
name: names
inputs:
  name: {type: string, required: true}
apps: [qt_form.py]
---
1. Switch to "deskhand Qt form"
2. Type "{name}" into "Name"
3. Expect "Name" to show "{name}"
4. Wait until "{name}" appears
"""
NAMES = ["Ada", "Grace", "Hedy", "Joan", "Radia", "Barbara"]


def finished_rows(db: Path) -> list[tuple[int, str]]:
    if not db.exists():
        return []
    try:
        with sqlite3.connect(db) as conn:
            query = "SELECT row_index, status FROM batch_rows WHERE status != 'pending' ORDER BY row_index"
            return list(conn.execute(query))
    except sqlite3.OperationalError:  # the store is still being created
        return []


def test_a_batch_killed_mid_run_resumes_without_running_a_done_row_twice(
    desktop: VirtualDesktop, qt_form_command: list[str], tmp_path: Path
) -> None:
    (tmp_path / "names.md").write_text(WORKFLOW, encoding="utf-8")
    (tmp_path / "rows.csv").write_text("name\n" + "\n".join(NAMES) + "\n", encoding="utf-8")
    home = tmp_path / "home"
    env = {**os.environ, **desktop.env, "DESKHAND_HOME": str(home)}
    env.pop("DESKHAND_MODEL", None)
    command = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "names.md"), "--inputs"]
    command += [str(tmp_path / "rows.csv"), "--desktop", "current", "--approve", "deny"]
    form = desktop.launch(qt_form_command, timeout=30)
    try:
        first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        db = home / "runs.db"
        deadline = time.monotonic() + 120
        # Kill it while a row is running, after two rows are done: as a crash would.
        while not (len(finished_rows(db)) >= 3 and finished_rows(db)[-1][1] == "running"):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, finished_rows(db)
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        before = finished_rows(db)
        done = [index for index, status in before if status == "succeeded"]
        mid = [index for index, status in before if status == "running"]
        assert len(mid) == 1 and len(done) >= 2, before

        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert second.returncode == 0, second.stderr
        assert "skipped rows already done: " + ", ".join(str(i + 1) for i in done) in second.stdout
        assert "set aside" not in second.stderr
        with sqlite3.connect(db) as conn:
            query = "SELECT batch_row, status FROM runs WHERE batch_row IS NOT NULL ORDER BY started_at"
            runs = list(conn.execute(query))
        by_row: dict[int, list[str]] = {}
        for index, status in runs:
            by_row.setdefault(index, []).append(status)
        # One run per done row (none ran twice), the rest ran once each in the second command and succeeded.
        assert all(by_row[index] == ["succeeded"] for index in done), by_row
        rest = [i for i in range(len(NAMES)) if i not in done and i not in mid]
        assert all(by_row[index] == ["succeeded"] for index in rest), by_row
        # The mid-run row ran to success once now; the kill may have come before its first run was recorded.
        assert by_row[mid[0]] in (["interrupted", "succeeded"], ["succeeded"]), by_row
    finally:
        desktop.stop_app(form)
