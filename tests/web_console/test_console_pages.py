"""Every page and every button of `deskhand serve`, in Debian's Chromium through Playwright, over a home
seeded by the real Runner; each button is judged by its effect outside the page (queue, files, lock, store)."""

from __future__ import annotations

import math
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import httpx
from console_harness import Served, console_env
from console_seed import SECRET, png
from playwright.sync_api import Locator, Page, expect

from deskhand.policy.approval import ApprovalRequest, FieldValue
from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.runs.store import RunStore
from deskhand.workflows.lock import lock_path, read_lock


def loaded_width(page: Page, image: Locator) -> int:
    """The picture's own width once the browser has it (step pictures load lazily, when scrolled to)."""
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    return int(image.evaluate("img => img.naturalWidth"))


def test_the_run_list_filters_by_workflow_status_batch_and_date_and_searches(page: Page, served: Served) -> None:
    seeded = served.seeded
    expect(page.locator(".total")).to_have_text("8 runs")
    page.get_by_label("Status").select_option("failed")
    expect(page.locator(".total")).to_have_text("1 run")
    expect(page.locator("table.runs tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name=seeded.failed)).to_be_visible()
    page.get_by_label("Status").select_option("")
    page.get_by_label("Workflow").select_option("contact")
    expect(page.locator(".total")).to_have_text("2 runs")
    page.get_by_label("Workflow").select_option("")
    page.get_by_label("Search").fill("Subscribe now")
    expect(page.locator(".total")).to_have_text("1 run")
    page.get_by_label("Search").fill("")
    expect(page.locator(".total")).to_have_text("8 runs")
    page.get_by_label("Batch").fill(seeded.batch_id)
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".total")).to_have_text("3 runs")
    assert seeded.batch_id in page.url  # the filter is in the address: a link to it works
    page.get_by_label("Batch").fill("")
    page.get_by_label("Date").fill("2001-01-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".total")).to_have_text("0 runs")
    page.get_by_label("Date").fill(datetime.now(UTC).date().isoformat())
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".total")).to_have_text("8 runs")
    # A batch link in the list filters by that batch, as the form does.
    page.get_by_role("link", name=seeded.batch_id).first.click()
    expect(page.locator(".total")).to_have_text("3 runs")


def test_pages_of_the_list_go_to_older_and_newer_runs(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/runs?limit=4")
    expect(page.locator(".total")).to_have_text("8 runs, showing 1–4")
    page.get_by_role("link", name="older →").click()
    expect(page.locator(".total")).to_have_text("8 runs, showing 5–8")
    page.get_by_role("link", name="← newer").click()
    expect(page.locator(".total")).to_have_text("8 runs, showing 1–4")


def test_a_run_shows_every_step_screenshot_with_the_element_acted_on_outlined(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/runs")
    page.get_by_role("link", name=served.seeded.healed).click()  # replayed from the lock, healed at step 2
    expect(page.locator(".step")).to_have_count(4)
    shots = page.locator(".step img")
    expect(shots).to_have_count(4)
    for index in range(4):
        assert loaded_width(page, shots.nth(index)) == 1280  # FakeBackend's screen
    # Step 2 typed into "Name", at (40, 60, 300, 28) on the 1280×800 screen: the outline sits there.
    expect(page.locator("#step-1 rect.acted")).to_have_count(0)  # opening an app acts on no element
    name = page.locator("#step-2 rect.acted")
    assert [name.get_attribute(k) for k in ("x", "y", "width", "height")] == ["40", "60", "300", "28"]
    outline, picture = name.bounding_box(), page.locator("#step-2 img").bounding_box()
    assert outline is not None and picture is not None
    scale = picture["width"] / 1280
    # Centres compared: the box drawn includes the outline's stroke.
    assert math.isclose(outline["x"] + outline["width"] / 2 - picture["x"], (40 + 150) * scale, abs_tol=2)
    assert math.isclose(outline["y"] + outline["height"] / 2 - picture["y"], (60 + 14) * scale, abs_tol=2)
    assert math.isclose(outline["width"], 300 * scale, abs_tol=6)
    page.locator("#step-2 summary").click()
    expect(page.locator("#step-2 pre.snapshot")).to_contain_text('textbox "Name"')


def test_a_failed_run_shows_the_diagnosis_and_the_suggested_sentence(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/runs/{served.seeded.failed}")
    diagnosis = page.locator(".diagnosis")
    expect(diagnosis).to_contain_text("Why it failed — step 3")
    expect(diagnosis).to_contain_text("Subscribe now")
    expect(diagnosis).to_contain_text("Looked for: Subscribe now")
    suggestion = diagnosis.locator("ol.suggestions > li").first
    expect(suggestion.locator("code")).to_have_text('Click "Submit"')
    expect(suggestion).to_contain_text("wording 44% like 'Subscribe now'")
    expect(suggestion).to_contain_text("checked: it finds this element now")
    expect(page.locator("#step-3 .reason")).to_contain_text("Nothing called 'Subscribe now'")


def test_the_live_view_shows_new_steps_and_the_end_as_they_happen(page: Page, served: Served) -> None:
    with RunStore(served.seeded.home / "runs.db") as store:
        run_id = store.start_run(served.seeded.signup_path, "live one", {})
        page.goto(f"{served.url}/runs/{run_id}")
        expect(page.locator("#run-status")).to_have_text("running")
        expect(page.locator(".live")).to_be_visible()
        store.start_step(run_id, 1, 'Type "Ada" into "Name"')
        expect(page.locator("#step-1 .status")).to_have_text("running")
        store.finish_step(
            run_id,
            1,
            "succeeded",
            5,
            actions=[{"kind": "type_text", "selector": 'textbox "Name"', "bounds": [40, 60, 300, 28]}],
            screenshot_png=png(),
        )
        expect(page.locator("#step-1 .status")).to_have_text("succeeded")
        expect(page.locator("#step-1 rect.acted")).to_have_count(1)
        store.start_step(run_id, 2, 'Click "Submit"')
        expect(page.locator("#step-2")).to_be_visible()
        store.finish_step(run_id, 2, "succeeded", 3)
        store.finish_run(run_id, "succeeded")
        expect(page.locator("#run-status")).to_have_text("succeeded")
        expect(page.locator("#step-2 .status")).to_have_text("succeeded")


def test_the_stop_buttons_pull_the_kill_switch_of_the_run_and_of_every_running_run(page: Page, served: Served) -> None:
    stop_dir = served.seeded.home / "stop"
    with RunStore(served.seeded.home / "runs.db") as store:
        one = store.start_run(served.seeded.signup_path, "long one", {})
        other = store.start_run(served.seeded.signup_path, "long two", {})
        page.goto(f"{served.url}/runs/{one}")
        page.get_by_role("button", name="Stop this run").click()
        expect(page.locator("p.done")).to_contain_text(f"Asked to stop: {one}")
        assert (stop_dir / one).is_file() and not (stop_dir / other).exists()
        page.get_by_role("button", name="Stop all runs").click()
        expect(page.locator("p.done")).to_contain_text(other)
        assert (stop_dir / other).is_file()
        store.finish_run(one, "stopped")
        store.finish_run(other, "stopped")


def _queue(served: Served) -> ApprovalQueue:
    return ApprovalQueue(served.seeded.home / "approvals.db")


def _request(digest: str) -> ApprovalRequest:
    return ApprovalRequest(
        run_id="r-20260101-000000-aaaa",
        step=2,
        sentence='Click "Delete"',
        action="delete",
        target='button "Delete"',
        reason="Deleting cannot be undone.",
        fields=(FieldValue("Customer", "textbox", "ACME"),),
        digest=digest,
        screenshot_png=png(),
    )


def test_approvals_show_the_exact_values_and_screenshot_never_a_secret_and_approve(page: Page, served: Served) -> None:
    seeded = served.seeded
    page.goto(f"{served.url}/runs")
    page.get_by_role("link", name="Approvals").click()
    card = page.locator(f"#{seeded.approval_id}")
    expect(card.get_by_role("heading")).to_have_text('Wants to submit button "Submit"')
    expect(card.locator("table.values").first).to_contain_text("Ada")
    expect(card.locator("table.values").nth(1)).to_contain_text("hidden-42")  # what the browser would send
    expect(card).to_contain_text("{secret:crm_password}")
    assert SECRET not in page.content()
    assert loaded_width(page, card.locator("img")) == 800
    card.get_by_role("button", name="Approve").click()
    expect(page.locator("p.done")).to_have_text(f"approved {seeded.approval_id}")
    assert _queue(served).get(seeded.approval_id).status == "approved"


def test_deny_refuses_and_an_approval_for_other_values_is_refused(page: Page, served: Served) -> None:
    denied = _queue(served).submit(_request("a" * 64))
    changed = _queue(served).submit(_request("b" * 64))
    page.goto(f"{served.url}/approvals")
    page.locator(f"#{denied}").get_by_role("button", name="Deny").click()
    expect(page.locator("p.done")).to_have_text(f"denied {denied}")
    assert _queue(served).get(denied).status == "rejected"
    # The page showed values whose digest is not the one the run asks about now: the queue refuses.
    page.locator(f"#{changed} input[name=digest]").evaluate("field => field.value = 'c'.repeat(64)")
    page.locator(f"#{changed}").get_by_role("button", name="Approve").click()
    expect(page.locator("p.refused")).to_contain_text("other values")
    assert _queue(served).get(changed).status == "pending"
    _queue(served).answer(changed, False)


def test_heals_show_the_diff_accept_rewrites_the_workflow_reject_forgets_the_lock(page: Page, served: Served) -> None:
    seeded = served.seeded
    page.goto(f"{served.url}/heals")
    signup = page.locator("article.heal", has_text=str(seeded.signup_path))
    contact = page.locator("article.heal", has_text=str(seeded.contact_path))
    expect(signup.locator("pre.workflow-diff")).to_contain_text('+3. Type "ada@example.org" into "E-mail address"')
    expect(signup.locator("pre.workflow-diff")).to_contain_text('-3. Type "ada@example.org" into "Email"')
    expect(signup.locator("tr.changed")).to_contain_text("E-mail address")
    signup.get_by_role("button", name="Accept into the workflow").click()
    expect(page.locator("p.done")).to_contain_text('now reads: Type "ada@example.org" into "E-mail address"')
    assert 'into "E-mail address"' in seeded.signup_path.read_text()
    lock_before = read_lock(lock_path(seeded.contact_path))
    assert lock_before is not None and any(s.n == 3 for s in lock_before.steps)
    contact.locator("details.lock-diff summary").click()
    lock_diff = contact.locator("details.lock-diff pre.diff")
    expect(lock_diff).to_contain_text("(rejected)")
    expect(lock_diff.locator("span.del", has_text='sentence: Type "ada@example.org" into "Email"')).to_have_count(1)
    contact.get_by_role("button", name="Reject").click()
    expect(page.locator("p.done")).to_contain_text("no longer replayed from the lock")
    lock_after = read_lock(lock_path(seeded.contact_path))
    assert lock_after is not None and all("Email" not in s.sentence for s in lock_after.steps)
    assert 'into "Email"' in seeded.contact_path.read_text()  # rejecting keeps the text
    expect(page.get_by_text("No heals waiting for review.")).to_be_visible()


def test_notices_list_the_undelivered_and_send_them_again(page: Page, served: Served) -> None:
    page.goto(f"{served.url}/notices")
    expect(page.locator("#unsent")).to_contain_text("newsletter failed at step 2")
    expect(page.locator("#recent")).to_contain_text("(earlier)")
    page.get_by_role("button", name="Send again").click()
    expect(page.locator("p.done")).to_contain_text("still undelivered")
    with sqlite3.connect(served.seeded.home / "runs.db") as db:
        status, attempts = db.execute(
            "SELECT status, attempts FROM notices WHERE id = ?", (served.seeded.undelivered,)
        ).fetchone()
    assert (status, attempts) == ("undelivered", 1)  # nothing listens on port 9: tried once more, still kept


def test_schedules_show_what_the_scheduler_inside_serve_knows(page: Page, served: Served) -> None:
    page.get_by_role("link", name="Schedules").click()
    expect(page.get_by_text("No workflow has a schedule.")).to_be_visible()
    added = subprocess.run(
        [sys.executable, "-m", "deskhand", "schedule", "add", str(served.seeded.signup_path), "--when", "0 9 * * 1-5"],
        env=console_env(served.seeded.home),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    page.reload()
    row = page.locator("table.schedules tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("0 9 * * 1-5")
    expect(row).to_contain_text("signup")


def test_log_out_ends_the_session(page: Page, served: Served) -> None:
    page.get_by_role("button", name="Log out").click()
    page.goto(f"{served.url}/approvals")
    expect(page.get_by_label("Token")).to_be_visible()


def test_api_runs_are_the_run_objects_deskhand_run_json_prints(served: Served) -> None:
    answer = httpx.get(f"{served.url}/api/runs", params={"status": "failed"}, headers=served.bearer(), timeout=10)
    assert answer.status_code == 200
    runs = answer.json()
    assert [run["run_id"] for run in runs] == [served.seeded.failed]
    everything = httpx.get(f"{served.url}/api/runs", headers=served.bearer(), timeout=10).json()
    assert len(everything) >= len(served.seeded.outcomes) == 8
    for run in everything:
        if run["run_id"] not in served.seeded.outcomes:
            continue  # made by another test of this module (live, stop)
        printed = served.seeded.outcomes[run["run_id"]]
        assert run.keys() == printed.keys()
        # The store keeps whole milliseconds; everything else is the same data.
        for stored, ran in zip(run["steps"], printed["steps"], strict=True):  # type: ignore[arg-type]
            assert abs(stored.pop("ms") - ran["ms"]) <= 0.5
            assert stored == {k: v for k, v in ran.items() if k != "ms"}
        assert {k: v for k, v in run.items() if k != "steps"} == {k: v for k, v in printed.items() if k != "steps"}


def test_an_unknown_run_is_a_page_that_says_so(page: Page, served: Served) -> None:
    answer = page.goto(f"{served.url}/runs/r-20000101-000000-0000")
    assert answer is not None and answer.status == 404
    expect(page.locator("p.refused")).to_contain_text("No run with id 'r-20000101-000000-0000'")
    page.get_by_role("link", name="Back to the runs").click()
    expect(page.locator(".total")).to_be_visible()
    missing = httpx.get(f"{served.url}/api/runs/r-20000101-000000-0000", headers=served.bearer(), timeout=10)
    assert missing.status_code == 404 and "No run with id" in missing.json()["error"]
    # An artifact path is served only from the store's own folder, and only for a step that has one.
    shot = httpx.get(f"{served.url}/runs/{served.seeded.failed}/steps/9/screenshot.png", headers=served.bearer())
    assert shot.status_code == 404
