"""The policy on real apps: refusals recorded as blocked, approvals bound to the form, secrets, the stop."""

from __future__ import annotations

import io
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from tests.injection.fixtures import home, providers, session, sites
from tests.injection.harness import CANARY, run, write_workflow
from tests.injection.site import Site

from deskhand.app.session import RunSession
from deskhand.policy.approval import ApprovalRequest, CallbackApprover, DenyApprover
from deskhand.runner.steps import StepContext
from deskhand.runs.audit import AuditLog

__all__ = ["home", "providers", "session", "sites"]
pytestmark = pytest.mark.desktop

FILL = ["Open {url} in the browser", 'Wait until "New contact" appears', 'Fill "Full name" with "Ada"']


def contact_steps(click: str = 'Click "Save contact"') -> list[str]:
    return [*FILL, click]


def test_an_app_outside_the_list_is_refused_and_recorded(session: RunSession, tmp_path: Path) -> None:
    virtual = session.session.virtual
    assert virtual is not None
    zenity = virtual.launch(["zenity", "--question", "--title=Allow access?", "--text=Let deskhand in?"])
    try:
        path = write_workflow(tmp_path, ['Click "Yes" in "Allow access?"'], apps=["mousepad"])
        outcome = run(session, path)
        assert outcome.status == "failed"
        assert outcome.steps[0].status == "blocked", outcome.steps[0].reason
        assert "'zenity' is not in this workflow's apps" in (outcome.steps[0].reason or "")
        record = session.store.get_run(outcome.run_id).to_json()
        assert record["steps"][0]["status"] == "blocked" and record["steps"][0]["reason"]
    finally:
        virtual.stop_app(zenity)


def test_a_submit_is_blocked_without_approval_and_goes_with_preapproval(
    session: RunSession, sites: tuple[Site, Site], tmp_path: Path
) -> None:
    allowed, _ = sites
    url = allowed.url("contact.html")
    path = write_workflow(tmp_path, contact_steps(), sites=[allowed.base])
    session.guard.approver = DenyApprover()
    blocked = run(session, path, url=url)
    assert [s.status for s in blocked.steps] == ["succeeded"] * 3 + ["blocked"]
    assert "'save'" in (blocked.steps[3].reason or "")
    assert allowed.posts == []
    approved = write_workflow(tmp_path, contact_steps(), sites=[allowed.base], preapproved=[contact_steps()[-1]])
    done = run(session, approved, url=url)
    assert done.status == "succeeded", done.error
    deadline = time.monotonic() + 5
    while not allowed.posts and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "name=Ada" in allowed.posts[-1][2]


def test_an_approval_is_void_when_a_field_changes_after_it(
    session: RunSession, sites: tuple[Site, Site], tmp_path: Path
) -> None:
    allowed, _ = sites
    posts_before = len(allowed.posts)
    inner = session.guarded.inner

    def approve_then_tamper(request: ApprovalRequest) -> bool:
        assert ("Full name", "Ada") in [(f.label, f.value) for f in request.fields]
        # Something else edits the form after the person said yes (straight to the app, not via deskhand).
        name_field = session.runner.desktop.app("Chromium").get_by_role("textbox", name="Full name").resolve()
        inner.set_text(name_field.ref, "Mallory")
        return True

    session.guard.approver = CallbackApprover(approve_then_tamper)
    try:
        outcome = run(
            session, write_workflow(tmp_path, contact_steps(), sites=[allowed.base]), url=allowed.url("contact.html")
        )
    finally:
        session.guard.approver = DenyApprover()
    assert outcome.steps[-1].status == "blocked"
    assert "void" in (outcome.steps[-1].reason or "") and "Mallory" in (outcome.steps[-1].reason or "")
    time.sleep(0.3)
    assert len(allowed.posts) == posts_before


def test_a_secret_is_typed_but_stored_nowhere_and_masked(
    session: RunSession, sites: tuple[Site, Site], home: Path, tmp_path: Path
) -> None:
    allowed, _ = sites
    steps = [*FILL, 'Fill "Password" with "{secret:crm_password}"', 'Expect "Password" to show "{secret:crm_password}"']
    path = write_workflow(tmp_path, steps, sites=[allowed.base], secrets=["crm_password"])
    outcome = run(session, path, url=allowed.url("contact.html"))
    assert outcome.status == "succeeded", outcome.error
    outcome.report = session.report(outcome.run_id)
    # The field really holds the secret (read straight from the app, below the guard).
    field = session.runner.desktop.app("Chromium").get_by_role("textbox", name="Password").resolve()
    assert len(session.guarded.inner.refresh(field.ref).value or "") == len(CANARY)
    for folder in (home, tmp_path):
        for file in folder.rglob("*"):
            if file.is_file():
                assert CANARY.encode() not in file.read_bytes(), f"the secret leaked into {file}"
    assert AuditLog(home / "audit.jsonl").verify().ok
    bounds = session.guarded.inner.refresh(field.ref).bounds
    assert bounds is not None
    shot = Image.open(io.BytesIO(session.runner.desktop.screenshot()))
    assert shot.getpixel(bounds.center) == (0, 0, 0)


def test_a_stop_ends_the_run_within_500_ms_with_no_input_after_it(
    session: RunSession, sites: tuple[Site, Site], home: Path, tmp_path: Path
) -> None:
    allowed, _ = sites
    times: dict[str, float] = {}

    def type_forever(ctx: StepContext) -> None:
        field = ctx.desktop.app("Chromium").get_by_role("textbox", name="Email")
        while True:
            field.fill(f"x{time.monotonic()}@example.org")

    def stop_soon() -> None:
        # Once the attack step is typing (how long the first steps take is not what this test is about).
        deadline = time.monotonic() + 60
        while session.guarded.step.n != 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.5)
        times["stop"] = time.monotonic()
        session.guard.kill.stop("Stopped by the test.")

    path = write_workflow(tmp_path, [*FILL, "Keep typing into the email field"], sites=[allowed.base])
    stopper = threading.Thread(target=stop_soon)
    stopper.start()
    try:
        outcome = run(session, path, type_forever, url=allowed.url("contact.html"))
    finally:
        times["ended"] = time.monotonic()
        stopper.join()
        session.guard.kill.reset()
    assert outcome.status == "stopped"
    assert [s.status for s in outcome.steps] == ["succeeded"] * 3 + ["stopped"]
    assert outcome.steps[-1].reason == "Stopped by the test."
    record = session.store.get_run(outcome.run_id).to_json()
    assert record["status"] == "stopped" and record["steps"][-1]["status"] == "stopped"
    assert times["ended"] - times["stop"] < 0.5
    run_id = outcome.run_id
    entries = [e for e in AuditLog(home / "audit.jsonl").tail(200) if e["run_id"] == run_id]
    assert [e for e in entries if e["action"] == "set_text" and e["step"] == 4], "the attack never typed"
    stop_wall = time.time() - (time.monotonic() - times["stop"])
    # An event whose check passed just before the stop may be logged a moment after it; none later.
    late = [e for e in entries if datetime.fromisoformat(e["time"]).timestamp() > stop_wall + 0.05]
    assert [e["action"] for e in late if not str(e["action"]).startswith("refused")] == []
