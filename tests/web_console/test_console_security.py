"""The console's gate: the token, the login form and its cookie, CSRF refusals, framing, loopback only, the
token file; judged by what the queue and the stop folder hold afterwards, not only by status codes."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import httpx
from console_harness import Served, console_env, free_port
from console_seed import SECRET, png
from playwright.sync_api import Browser, Page, expect
from tests.fixtures.console_process import start_console

from deskhand.policy.approval import ApprovalRequest, FieldValue
from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.runs.store import RunStore


def test_pages_send_a_stranger_to_the_login_form_and_a_wrong_token_is_refused(browser: Browser, served: Served) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{served.url}/approvals")
    expect(page.get_by_label("Token")).to_be_visible()
    assert SECRET not in page.content() and "approvals" not in page.title().casefold()
    page.get_by_label("Token").fill("not-the-token")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("p.refused")).to_have_text("That is not the console's token.")
    page.get_by_label("Token").fill(served.token)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{served.url}/approvals")  # back where the person was going
    cookie = next(c for c in context.cookies() if c["name"] == "deskhand_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert served.token not in cookie["value"]
    context.close()


def test_the_api_needs_the_bearer_token(served: Served) -> None:
    assert httpx.get(f"{served.url}/api/runs", timeout=10).status_code == 401
    wrong = httpx.get(f"{served.url}/api/runs", headers={"Authorization": "Bearer nope"}, timeout=10)
    assert wrong.status_code == 401 and "Bearer" in wrong.headers["www-authenticate"]
    assert httpx.get(f"{served.url}/api/runs", headers=served.bearer(), timeout=10).status_code == 200
    # The scheme is case-insensitive (RFC 7235); the token is not.
    lower = {"Authorization": f"bearer {served.token}"}
    assert httpx.get(f"{served.url}/api/runs", headers=lower, timeout=10).status_code == 200
    nonsense = httpx.get(f"{served.url}/api/runs", params={"status": "nonsense"}, headers=lower, timeout=10)
    assert nonsense.status_code == 400 and "not a run status" in nonsense.json()["error"]


def test_a_form_posted_without_the_sessions_csrf_token_changes_nothing(page: Page, served: Served) -> None:
    queue = ApprovalQueue(served.seeded.home / "approvals.db")
    waiting = queue.submit(_request())
    digest = queue.get(waiting).request["digest"]
    page.goto(f"{served.url}/approvals")
    # The page's own cookie goes along (as a forged cross-site form's would, were it not SameSite=Strict).
    forged = page.request.post(f"{served.url}/approvals/{waiting}/approve", form={"digest": digest})
    assert forged.status == 403
    other = page.request.post(
        f"{served.url}/approvals/{waiting}/approve", form={"digest": digest, "csrf_token": "guessed"}
    )
    assert other.status == 403
    assert queue.get(waiting).status == "pending"
    with RunStore(served.seeded.home / "runs.db") as store:
        run_id = store.start_run(served.seeded.signup_path, "csrf", {})
        assert page.request.post(f"{served.url}/runs/{run_id}/stop", form={}).status == 403
        assert not (served.seeded.home / "stop" / run_id).exists()
        store.finish_run(run_id, "stopped")
    # No cookie and no bearer: refused before any form is read.
    assert httpx.post(f"{served.url}/approvals/{waiting}/deny", timeout=10).status_code == 401
    # A client with the bearer token sends no ambient credential: it needs no CSRF token.
    by_api = httpx.post(f"{served.url}/approvals/{waiting}/deny", headers=served.bearer(), timeout=10)
    assert by_api.status_code == 303 and queue.get(waiting).status == "rejected"


def test_no_page_may_be_framed_or_load_from_elsewhere(served: Served) -> None:
    answer = httpx.get(f"{served.url}/approvals", headers=served.bearer(), timeout=10)
    assert answer.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert "default-src 'self'" in answer.headers["content-security-policy"]


def test_serve_refuses_a_host_other_machines_reach_unless_told(tmp_path: Path) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "deskhand", "serve", "--host", "0.0.0.0", "--port", "1"],
        env=console_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "not a loopback address" in refused.stderr and "--allow-remote" in refused.stderr


def test_a_new_token_is_printed_once_and_kept_readable_by_the_owner_only(tmp_path: Path) -> None:
    home = tmp_path
    env = console_env(home)
    printed = []
    for _ in range(2):
        port = free_port()
        process = start_console(home, env, port)
        process.terminate()
        out, _ = process.communicate(timeout=20)
        printed.append(out)
    token_file = home / "serve-token"
    token = token_file.read_text().strip()
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert token in printed[0] and "shown only now" in printed[0]
    assert token not in printed[1] and str(token_file) in printed[1]


def _request() -> ApprovalRequest:
    return ApprovalRequest(
        run_id="r-20260101-000000-bbbb",
        step=1,
        sentence='Click "Pay"',
        action="pay",
        target='button "Pay"',
        reason="Paying cannot be undone.",
        fields=(FieldValue("Amount", "textbox", "12.00"),),
        digest="e" * 64,
        screenshot_png=png(),
    )


def test_allow_remote_listens_elsewhere_but_warns(tmp_path: Path) -> None:
    port = free_port()
    env = console_env(tmp_path, DESKHAND_SERVE_TOKEN="t" * 24)
    process = subprocess.Popen(
        [sys.executable, "-m", "deskhand", "serve", "--host", "0.0.0.0", "--port", str(port), "--allow-remote"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        warning = process.stderr.readline()
        assert warning.startswith("warning: the console listens on 0.0.0.0"), warning
        assert "can approve actions" in warning
    finally:
        process.terminate()
        process.communicate(timeout=20)


def test_a_stop_for_a_run_the_store_does_not_know_leaves_no_file(served: Served) -> None:
    refused = httpx.post(f"{served.url}/runs/not-a-run/stop", headers=served.bearer(), timeout=10)
    assert refused.status_code == 404
    assert not (served.seeded.home / "stop" / "not-a-run").exists()
