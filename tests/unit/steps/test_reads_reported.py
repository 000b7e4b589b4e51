"""What `Read ... as <name>` took is reported: in the run's outcome, its record, `runs show` and the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.steps.test_every_step_kind import Launcher, editor

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.outcome_of import outcome_of
from deskhand.runner.run import Runner
from deskhand.runs.report import render_report
from deskhand.runs.store import RunStore
from deskhand.surfaces.cli.runs import _print_run
from deskhand.workflows.parse import load_workflow

WORKFLOW = """---
name: reads
apps: [editor]
---
1. Switch to "Editor"
2. Read "Title" as title
3. Type "{title} (copy)" into "Copy of"
4. Read "Copy of" as copy
5. Read "Nothing here" as missing
"""


def test_the_values_read_are_in_the_outcome_the_record_and_what_people_see(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "reads.md"
    path.write_text(WORKFLOW, encoding="utf-8")
    with RunStore(tmp_path / "runs.db") as store:
        desktop = Desktop(FakeBackend({"editor": editor()}), timeout=0.2)
        runner = Runner(desktop, Launcher(), store, timeout=0.2, capture=False)
        outcome = runner.run(load_workflow(path), {})
        record = store.get_run(outcome.run_id)
    assert [s.status for s in outcome.steps] == ["succeeded"] * 4 + ["failed"]
    assert outcome.read == {"title": "Draft 7", "copy": "Draft 7 (copy)"}  # the failed read took nothing
    per_step = [s.to_json()["read"] for s in outcome.steps]
    assert per_step == [{}, {"title": "Draft 7"}, {}, {"copy": "Draft 7 (copy)"}, {}]
    assert outcome.to_json()["read"] == outcome.read
    assert outcome_of(record).to_json()["read"] == outcome.read  # as `runs show --json` and MCP give it
    _print_run(record)
    shown = capsys.readouterr().out
    assert "title = 'Draft 7'" in shown and "copy = 'Draft 7 (copy)'" in shown
    assert "<code>Draft 7 (copy)</code>" in render_report(record)
