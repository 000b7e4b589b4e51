"""A second Ctrl-C in the middle of a step: the run's record says it was interrupted, not that deskhand crashed."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.workflows.parse import load_workflow


class InterruptedLauncher:
    def open_app(self, name: str) -> str:
        raise KeyboardInterrupt

    def open_url(self, url: str) -> str:
        return url


def test_the_run_and_its_step_are_recorded_stopped_with_the_reason(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs.db")
    runner = Runner(Desktop(FakeBackend({}), timeout=0.2), InterruptedLauncher(), store, timeout=0.2, capture=False)
    workflow = tmp_path / "wf.md"
    workflow.write_text('---\nname: wf\n---\n1. Open "gedit"\n')
    with pytest.raises(KeyboardInterrupt):
        runner.run(load_workflow(workflow), {})
    (record,) = store.list_runs()
    record = store.get_run(record.run_id)
    assert record.status == "stopped"
    assert [step.status for step in record.steps] == ["stopped"]
    assert "Interrupted" in (record.steps[0].reason or "")
    assert "crashed" not in str(record.to_json())
