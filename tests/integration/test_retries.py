"""retries: on a real app: a step whose app is not up yet is tried again with backoff and the form is then
filled and sent (zenity prints what it got); a business failure (an Expect that failed) is never retried,
and the app is left as it was."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.steps_helper import runner_on_desktop

from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

FORM = ["zenity", "--forms", "--title=Add", "--add-entry=Name", "--add-entry=Email"]
HEAD = "---\nname: add\napps: [zenity]\nretries: {attempts: 6, backoff: 1s}\n---\n"
LATE_S = 2.5  # the form comes up this long after the run started: longer than a step's 1 s wait


@pytest.fixture
def desk() -> Iterator[tuple[VirtualDesktop, Runner, RunStore]]:
    with runner_on_desktop(timeout=1.0) as desk:
        yield desk


def _attempts(store: RunStore, run_id: str) -> list[dict[str, object]]:
    return [event.data for event in store.get_run(run_id).events if event.kind == "attempt"]


def _printed(app: LaunchedApp, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = app.log_path.read_text(encoding="utf-8", errors="replace") if app.log_path.exists() else ""
        if "|" in text:
            return text
        time.sleep(0.1)
    return app.log_path.read_text(encoding="utf-8", errors="replace") if app.log_path.exists() else ""


def test_an_app_not_up_yet_is_tried_again_until_it_is(
    desk: tuple[VirtualDesktop, Runner, RunStore], tmp_path: Path
) -> None:
    virtual, runner, store = desk
    flow = tmp_path / "add.md"
    steps = '1. Switch to "Add"\n2. Type "Ada" into "Name"\n3. Type "ada@example.org" into "Email"\n4. Click "OK"\n'
    flow.write_text(HEAD + steps)
    launched: list[LaunchedApp] = []
    later = threading.Timer(LATE_S, lambda: launched.append(virtual.launch(FORM)))
    later.start()
    try:
        outcome = runner.run(load_workflow(flow, allow_free_form=False), {})
    finally:
        later.join()
    assert outcome.status == "succeeded", outcome.error
    assert outcome.steps[0].attempts >= 2
    tries = _attempts(store, outcome.run_id)
    assert tries and all(t["error"] == "AppNotFound" and t["retry"] and not t["acted"] for t in tries)
    waits = [t["wait_s"] for t in tries]
    assert waits == [1.0 * 2**i for i in range(len(waits))]  # doubling backoff
    # Outside evidence: the form got the values once, and was sent.
    assert _printed(launched[0]).strip() == "Ada|ada@example.org"


def test_a_business_failure_is_never_tried_again(desk: tuple[VirtualDesktop, Runner, RunStore], tmp_path: Path) -> None:
    virtual, runner, store = desk
    app = virtual.launch(FORM)
    flow = tmp_path / "add.md"
    flow.write_text(
        HEAD + '1. Switch to "Add"\n2. Type "Ada" into "Name"\n3. Expect "Name" to show "Bob"\n4. Click "OK"\n'
    )
    started = time.monotonic()
    outcome = runner.run(load_workflow(flow, allow_free_form=False), {})
    assert outcome.status == "failed" and [s.status for s in outcome.steps] == ["succeeded", "succeeded", "failed"]
    assert outcome.steps[2].attempts == 1
    tries = _attempts(store, outcome.run_id)
    assert [(t["attempt"], t["retry"]) for t in tries] == [(1, False)]
    assert time.monotonic() - started < 1 + 2 + 4 + 8  # no backoff was waited out
    # The form was not sent: it is still open and printed nothing.
    assert runner.desktop.find_app("Add") is not None
    assert "|" not in (app.log_path.read_text() if app.log_path.exists() else "")
