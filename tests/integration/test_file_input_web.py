"""A web page's file input in Chromium (whose own file dialog is not on AT-SPI): `Choose the file` answers the
page's chooser in the page, judged by the page's own report of the file it holds; a file the step does not
name literally is refused by the guard and the page gets nothing."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.coverage.web.site import Site, serve

from deskhand.app.session import RunSession, open_run_session
from deskhand.runner.outcomes import RunOutcome
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[RunSession, Site]]:
    """Through the guarded runner, as `deskhand run` does."""
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path / "home"))
    with serve() as site, open_run_session("virtual") as session:
        yield session, site


def run(session: RunSession, site: Site, folder: Path, choose: str, values: dict[str, str]) -> RunOutcome:
    text = (
        f"---\nname: upload\napps: [chromium]\nsites: [{site.base}]\ninputs:\n  report: {{type: string}}\n---\n"
        f"1. Open {site.url('controls.html')} in Chromium\n"
        '2. Wait for "Say hello" to appear\n'
        '3. Click "Attachment"\n'
        f"4. Choose the file {choose}\n"
    )
    path = folder / "upload.md"
    path.write_text(text, encoding="utf-8")
    workflow = load_workflow(path)
    return session.runner_for(workflow).run(workflow, values, use_lock=False)


def files_reported(site: Site, wait_s: float) -> list[str]:
    """The file names the page reported its input holds (it reports from its change event)."""
    end = time.monotonic() + wait_s
    while True:
        events = [json.loads(line) for line in site.output() if line.startswith("{")]
        names = [str(e["value"]) for e in events if e.get("widget") == "file"]
        if names or time.monotonic() > end:
            return names
        time.sleep(0.05)


def report(folder: Path) -> Path:
    file = folder / "quarterly-report.txt"
    file.write_text("figures\n", encoding="utf-8")
    return file


def test_the_page_gets_the_file_the_step_names(desk: tuple[RunSession, Site], tmp_path: Path) -> None:
    session, site = desk
    file = report(tmp_path)
    outcome = run(session, site, tmp_path, f'"{file}"', {"report": "unused"})
    assert outcome.status == "succeeded", str(outcome.error)[:1500]
    assert files_reported(site, 5.0) == [file.name]


def test_a_file_filled_in_later_is_refused(desk: tuple[RunSession, Site], tmp_path: Path) -> None:
    session, site = desk
    file = report(tmp_path)
    outcome = run(session, site, tmp_path, '"{report}"', {"report": str(file)})
    assert outcome.status == "failed"
    assert "does not name that file" in str((outcome.error or {}).get("message", "")), outcome.error
    assert files_reported(site, 1.0) == []  # the page was given nothing
