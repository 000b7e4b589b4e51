"""deskhand drives its own console: a workflow in the step language, run by `deskhand run` on its own virtual
desktop in Chromium, logs in to `deskhand serve` with the token (a secret) and approves an action waiting in
the queue. The evidence is the waiting side's answer (a QueueApprover in this process gets yes) and the
queue's record; the run's JSON is then compared with what the console's API says of the same run."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import httpx
import pytest
from tests.fixtures.console_process import start_console
from tests.integration.cli_shell import cli_env, deskhand

from deskhand.backends.browser.flags import free_port
from deskhand.policy.approval import ApprovalRequest, FieldValue
from deskhand.policy.approval_queue import ApprovalQueue, QueueApprover

pytestmark = pytest.mark.desktop

TOKEN = "drive-the-console-0123456789abcdef"


def test_deskhand_logs_in_to_its_console_and_approves_what_waits(tmp_path: Path) -> None:
    home = tmp_path / "home"
    port = free_port()
    console = start_console(home, cli_env(os.environ, DESKHAND_SERVE_TOKEN=TOKEN), port)
    base = f"http://127.0.0.1:{port}"
    queue = ApprovalQueue(home / "approvals.db")
    request = ApprovalRequest(
        run_id="r-20261204-090000-cafe",
        step=4,
        sentence='Click "Send invoice"',
        action="send",
        target='button "Send invoice"',
        reason="Sending cannot be undone.",
        fields=(FieldValue("Customer", "textbox", "ACME Ltd"), FieldValue("Amount", "textbox", "1,250.00")),
        digest="7" * 64,
    )
    answers: list[bool] = []
    # The side that waits, as a run with --approve queue does: it blocks until the console answers.
    waiter = threading.Thread(target=lambda: answers.append(QueueApprover(queue, timeout=240).decide(request)))
    waiter.start()
    try:
        workflow = tmp_path / "approve.md"
        workflow.write_text(
            "---\nname: approve in the console\n"
            "apps: [chromium]\n"
            f'sites: ["{base}"]\n'
            "secrets: [console_token]\n"
            "preapproved: [3, 4]\n"
            "---\n"
            f"1. Open {base}/approvals in the browser\n"
            '2. Type "{secret:console_token}" into "Token"\n'
            '3. Click "Log in"\n'
            '4. Click "Approve"\n'
            '5. Expect "approved a-" to appear\n'
        )
        env = cli_env(os.environ, DESKHAND_HOME=str(home), DESKHAND_SECRET_CONSOLE_TOKEN=TOKEN)
        ran = deskhand(["run", str(workflow), "--desktop", "virtual", "--json"], env, cwd=tmp_path, timeout=240)
        assert ran.code == 0, ran
        waiter.join(30)
        assert answers == [True]  # the waiting run was told yes
        with sqlite3.connect(home / "approvals.db") as db:
            assert db.execute("SELECT status, digest FROM approvals").fetchall() == [("approved", "7" * 64)]
        printed = json.loads(ran.out)
        assert TOKEN not in ran.out  # the token was typed from the secret store, never recorded
        # The console's API gives the same run object `deskhand run --json` printed (ms kept whole in the store).
        api = httpx.get(f"{base}/api/runs/{printed['run_id']}", headers={"Authorization": f"Bearer {TOKEN}"}).json()
        listed = httpx.get(f"{base}/api/runs", headers={"Authorization": f"Bearer {TOKEN}"}).json()
        assert [run["run_id"] for run in listed] == [printed["run_id"]] and listed[0] == api
        assert api.keys() == printed.keys()
        for stored, ran_step in zip(api["steps"], printed["steps"], strict=True):
            assert abs(stored.pop("ms") - ran_step.pop("ms")) <= 0.5
            assert stored == ran_step
        assert {k: v for k, v in api.items() if k != "steps"} == {k: v for k, v in printed.items() if k != "steps"}
    finally:
        if waiter.is_alive():
            queue.expire(next(item.id for item in queue.pending()))
            waiter.join(10)
        console.terminate()
        console.wait(10)
