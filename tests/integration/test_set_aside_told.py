"""A row whose check cannot decide is set aside only after looking again, and the owner is told: a batch
row's run sends its record (the app counts it) and fails after; the same command run again finds the intent,
runs the workflow's `verify:` — which cannot get to its last step (the list it waits for never shows) —
three times, then sets the row aside. Evidence: the app still holds the record once, a JSON webhook got the
set-aside notice with the reason, and `deskhand serve` shows the reason on the run's page."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from tests.fixtures.console_process import start_console
from tests.fixtures.web.records_app import records_workflow, serve_records
from tests.integration.cli_shell import cli_env
from tests.integration.served_chromium import launch_served_chromium
from tests.integration.webhook_sink import webhook_sink

from deskhand.backends.browser.flags import free_port
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

TOKEN = "set-aside-console-0123456789abcdef"


def test_a_row_verify_cannot_decide_is_looked_at_three_times_then_set_aside_and_told(tmp_path: Path) -> None:
    with serve_records() as records, VirtualDesktop() as desk, webhook_sink() as hooks:
        launch_served_chromium(desk, "about:blank")
        workflow = records_workflow(records.base, saved_as="Never shown", listed_as="Archive", checks_within_s=2)
        (tmp_path / "records.md").write_text(workflow, encoding="utf-8")
        (tmp_path / "rows.csv").write_text("name\nperson-01\n", encoding="utf-8")
        home = tmp_path / "home"
        env = cli_env(desk.env, DESKHAND_HOME=str(home), DESKHAND_NOTIFY=f"json://127.0.0.1:{hooks.port}/notice")
        env.pop("DESKHAND_MODEL", None)
        command = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "records.md"), "--inputs"]
        command += [str(tmp_path / "rows.csv"), "--desktop", "current", "--approve", "deny"]

        first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert first.returncode == 1, first.stdout + first.stderr
        assert records.counts() == {"person-01": 1}  # sent, then the run failed: the row may be done

        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert again.returncode == 1, again.stdout + again.stderr
        assert "row 1 set aside for a person: verify: could not look (verify step 2 failed" in again.stderr
        assert "looked 3 times" in again.stderr
        assert records.counts() == {"person-01": 1}  # never sent twice

        with sqlite3.connect(home / "runs.db") as conn:
            looks = conn.execute("SELECT COUNT(*) FROM runs WHERE kind = 'verify'").fetchone()[0]
            status, reason = conn.execute("SELECT status, reason FROM batch_rows").fetchone()
            (run_id,) = conn.execute("SELECT run_id FROM events WHERE kind = 'row_set_aside'").fetchone()
        assert looks == 3 and status == "set_aside" and "looked 3 times" in reason

        # The notice, with the reason and the run, at the webhook (apprise json://: title and message).
        bodies = hooks.wait_for(1, timeout=30)
        told = [b for b in bodies if "set aside" in b.get("title", "")]
        assert told, bodies
        message = told[0]["message"]
        assert "Status: row 1 of batch" in message and f"Run: {run_id}" in message
        assert "Why: verify: could not look (verify step 2 failed" in message and "looked 3 times" in message

    # The console shows the reason on the run's page.
    port = free_port()
    console = start_console(home, cli_env(os.environ, DESKHAND_SERVE_TOKEN=TOKEN), port)
    try:
        page = httpx.get(
            f"http://127.0.0.1:{port}/runs/{run_id}", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
        )
    finally:
        console.terminate()
        console.wait(timeout=30)
    assert page.status_code == 200
    assert "row_set_aside" in page.text and "looked 3 times" in page.text
