"""The fleet page of `deskhand serve` over a PostgreSQL run store with artifacts in a shared directory: workers
(serving, silent, another version, `--parallel` on this machine), their desktops and the rows in flight; the
page follows heartbeats as they come; a step screenshot a worker wrote to the shared directory is served, and
one only the S3-compatible store has (moto's server on loopback) is fetched and served; a worker's approval
request waits in the same database."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from console_harness import TOKEN, console_env, free_port
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from tests.fixtures.console_process import start_console
from tests.fixtures.postgres_server import PostgresServer
from tests.fixtures.s3_server import CREDENTIALS, S3Server, serve_s3

from deskhand import __version__
from deskhand.database import describe
from deskhand.policy.approval import ApprovalRequest, FieldValue, approval_digest
from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.runs.artifact_mirror import S3Mirror
from deskhand.runs.records import iso, utc_now
from deskhand.runs.store import RunStore
from deskhand.runs.workers import SILENT_AFTER_S, DesktopSlot


@dataclass
class Fleet:
    url: str
    store: RunStore
    database: str
    shared: Path
    home: Path
    batch: str
    run_a: str  # row 0, on desktop 1 of celery@box-a
    run_b: str  # row 1, on desktop 1 of the --parallel command of this machine


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with serve_s3() as server:
        yield server


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer, s3: S3Server) -> Iterator[Fleet]:
    home, shared = tmp_path_factory.mktemp("home"), tmp_path_factory.mktemp("shared-artifacts")
    database = postgres.new_database()
    bucket = f"s3://{s3.bucket}/console-test"
    with pytest.MonkeyPatch.context() as patch:  # boto3 reads its credentials from the environment
        for name, value in CREDENTIALS.items():
            patch.setenv(name, value)
        yield from _fleet(home, shared, database, S3Mirror(bucket, shared, s3.endpoint))


def _fleet(home: Path, shared: Path, database: str, mirror: S3Mirror) -> Iterator[Fleet]:
    store = RunStore(database, artifacts_root=shared, mirror=mirror)
    workflow = home / "records.md"
    batch = store.create_batch(workflow, 3)
    runs = []
    for row in (0, 1):
        store.mark_row(batch, row, None, "running")
        runs.append(store.start_run(workflow, "records", {"name": f"row {row}"}, batch_id=batch, row=row))
    store.start_step(runs[0], 1, 'Type "row 0" into "Name"')
    store.finish_step(runs[0], 1, "succeeded", 40, screenshot_png=_png(64, 48))
    store.start_step(runs[1], 1, 'Type "row 1" into "Name"')
    store.finish_step(runs[1], 1, "succeeded", 40, screenshot_png=_png(32, 24))
    (shared / runs[1] / "step-01.png").unlink()  # written on another machine: only the S3 store has it
    store._db.execute("UPDATE runs SET owner_host = 'box-a', owner_pid = 4242 WHERE id = ?", (runs[0],))
    store.record_worker_heartbeat(
        "celery@box-a", [DesktopSlot(1, ":101", runs[0]), DesktopSlot(2, ":102")], host="box-a", pid=4242
    )
    store.record_worker_heartbeat("celery@box-b", [DesktopSlot(1, ":101")], host="box-b", pid=7, version="0.0.9")
    long_ago = iso(utc_now() - timedelta(seconds=SILENT_AFTER_S * 3))
    store._db.execute("UPDATE workers SET heartbeat_at = ? WHERE name = 'celery@box-b'", (long_ago,))
    here = socket.gethostname()
    store.record_worker_heartbeat(f"parallel@{here}", [DesktopSlot(1, "", runs[1]), DesktopSlot(2)], kind="parallel")
    # A worker of box-a waits for a person: the console of any machine answers it (approvals in the same database).
    fields = (FieldValue("Name", "textbox", "row 0"),)
    digest = approval_digest("click", "button 'Save'", fields)
    waiting = ApprovalRequest(runs[0], 2, 'Click "Save"', "click", "button 'Save'", "saves", fields, digest)
    ApprovalQueue(database).submit(waiting)
    port = free_port()
    env = console_env(home, DESKHAND_SERVE_TOKEN=TOKEN, DESKHAND_DB=database, DESKHAND_ARTIFACTS=str(shared))
    env |= CREDENTIALS | {"DESKHAND_ARTIFACTS_S3": f"s3://{mirror.bucket}/{mirror.prefix}"}
    env["DESKHAND_S3_ENDPOINT"] = mirror.endpoint
    process = start_console(home, env, port)
    try:
        yield Fleet(f"http://127.0.0.1:{port}", store, database, shared, home, batch, runs[0], runs[1])
    finally:
        process.terminate()
        process.wait(10)
        store.close()


@pytest.fixture
def page(browser: Browser, fleet: Fleet) -> Iterator[Page]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    tab.goto(f"{fleet.url}/fleet")
    tab.get_by_label("Token").fill(TOKEN)
    tab.get_by_role("button", name="Log in").click()
    try:
        yield tab
    finally:
        context.close()


def test_the_fleet_page_shows_workers_their_desktops_and_rows_in_flight(page: Page, fleet: Fleet) -> None:
    page.goto(f"{fleet.url}/fleet")
    here = socket.gethostname()
    expect(page.locator("#fleet-summary")).to_contain_text("2 workers serving on 4 desktops; 2 rows in flight.")
    expect(page.locator("#fleet-summary")).to_contain_text(f"Store: {describe(fleet.database)}.")
    a = page.locator('tr.worker[data-name="celery@box-a"]')
    expect(a.locator("td.state")).to_have_text("serving")
    expect(a.locator("li.desktop")).to_have_text([f"desktop 1 (:101): {fleet.run_a}", "desktop 2 (:102): idle"])
    expect(a.locator("td.rows")).to_have_text("1")
    b = page.locator('tr.worker[data-name="celery@box-b"]')
    expect(b.locator("td.state")).to_have_text("silent")
    expect(b.locator("td.mismatch")).to_have_text("0.0.9")  # not this console's deskhand version
    expect(page.locator(f'tr.worker[data-name="parallel@{here}"] li.desktop').first).to_have_text(
        f"desktop 1: {fleet.run_b}"
    )
    expect(page.locator("#waiting")).to_have_text("1")  # box-a's approval request, from the shared database
    rows = page.locator("#in-flight tr.row-in-flight")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=fleet.run_a)).to_contain_text("celery@box-a")
    expect(rows.filter(has_text=fleet.run_b)).to_contain_text(f"parallel@{here}")
    assert __version__ != "0.0.9"


def test_the_page_follows_heartbeats_as_they_come(page: Page, fleet: Fleet) -> None:
    page.goto(f"{fleet.url}/fleet")
    c = page.locator('tr.worker[data-name="celery@box-c"]')
    expect(c).to_have_count(0)
    fleet.store.record_worker_heartbeat("celery@box-c", [DesktopSlot(1, ":5")], host="box-c", pid=9)
    # The tables reload every 5 s, without a page load; expect's own 5 s would race that.
    expect(c.locator("td.state")).to_have_text("serving", timeout=30_000)
    fleet.store.record_worker_stopped("celery@box-c")
    expect(c.locator("td.state")).to_have_text("stopped", timeout=30_000)


def test_a_screenshot_a_worker_wrote_to_the_shared_directory_is_served(page: Page, fleet: Fleet) -> None:
    assert (fleet.shared / fleet.run_a / "step-01.png").is_file()
    assert not (fleet.home / "runs").exists()  # nothing went to the console's own home
    page.goto(f"{fleet.url}/fleet")
    page.get_by_role("link", name=fleet.run_a).first.click()
    # The run is still running, so its live view re-renders the steps: ask for the picture the page points at.
    source = f"/runs/{fleet.run_a}/steps/1/screenshot.png"
    expect(page.locator("#step-1 img")).to_have_attribute("src", source)
    shot = page.request.get(f"{fleet.url}{source}")
    assert shot.status == 200 and shot.body() == (fleet.shared / fleet.run_a / "step-01.png").read_bytes()
    assert Image.open(io.BytesIO(shot.body())).size == (64, 48)


def test_a_screenshot_only_the_s3_store_has_is_fetched_and_served(page: Page, fleet: Fleet) -> None:
    local = fleet.shared / fleet.run_b / "step-01.png"
    assert not local.exists()
    page.goto(f"{fleet.url}/runs/{fleet.run_b}")
    source = f"/runs/{fleet.run_b}/steps/1/screenshot.png"
    expect(page.locator("#step-1 img")).to_have_attribute("src", source)
    shot = page.request.get(f"{fleet.url}{source}")
    assert shot.status == 200 and Image.open(io.BytesIO(shot.body())).size == (32, 24)
    assert local.read_bytes() == shot.body()  # kept in the console's directory for the next time


def test_the_fleet_is_stopped_and_resumed_from_the_page_and_its_audit_log_shown(page: Page, fleet: Fleet) -> None:
    fleet.store.record_audit("box-a, desktop 1 (pid 4242)", fleet.run_a, 2, "click", {"name": "Save"}, None)
    fleet.store.record_audit("box-a, desktop 1 (pid 4242)", fleet.run_a, 3, "refused type", {"app": "gedit"}, "no")
    page.goto(f"{fleet.url}/fleet")
    entries = page.locator("#audit tr.audit")
    expect(entries.first).to_contain_text("box-a, desktop 1 (pid 4242)")  # the newest first
    expect(entries.first.locator("td.verdict")).to_have_text("refused")
    expect(entries.nth(1).locator("td.verdict")).to_have_text("allowed")
    page.get_by_label("Why").fill("wrong amounts")
    page.get_by_role("button", name="Stop the fleet").click()
    expect(page.locator("#fleet-stopped")).to_contain_text("wrong amounts")
    stop = fleet.store.fleet_stop()  # in the store every machine's runs ask before each input event
    assert stop is not None and stop.reason == "wrong amounts" and stop.asked_by.startswith("the console on ")
    page.get_by_role("button", name="Resume the fleet").click()
    expect(page.get_by_role("button", name="Stop the fleet")).to_be_visible()
    expect(page.locator("#fleet-stopped")).to_have_count(0)
    assert fleet.store.fleet_stop() is None
