"""The runner on a real app: a workflow fills zenity's form, writes a lock, replays it, and a broken step is
diagnosed with a rewrite that would match what is on screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.steps_helper import runner_on_desktop

from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.workflows.lock import read_lock
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

WORKFLOW = """---
name: zenity-form
description: Fill zenity's form.
inputs:
  name: {type: string, required: true}
apps: [zenity]
---
The test opens the form first.

1. Switch to "Add"
2. Type "{name}" into "Name"
3. Type "ada@example.org" into "Email"
4. Expect "Name" to show "{name}"
5. Click "OK"
"""

FORM = ["zenity", "--forms", "--title=Add", "--add-entry=Name", "--add-entry=Email"]


@pytest.fixture
def desk() -> Iterator[tuple[VirtualDesktop, Runner, RunStore]]:
    with runner_on_desktop(timeout=3.0) as desk:
        yield desk


def test_run_writes_lock_then_replays_without_healing(
    desk: tuple[VirtualDesktop, Runner, RunStore], tmp_path: Path
) -> None:
    virtual, runner, store = desk
    workflow_file = tmp_path / "form.md"
    workflow_file.write_text(WORKFLOW)

    virtual.launch(FORM)
    first = runner.run(load_workflow(workflow_file, allow_free_form=False), {"name": "Ada"})
    assert first.status == "succeeded", first.error
    lock = read_lock(tmp_path / "form.lock")
    assert lock is not None and len(lock.steps) == 5
    assert lock.steps[1].actions[0].selector == 'label="Name"'

    virtual.launch(FORM)
    second = runner.run(load_workflow(workflow_file, allow_free_form=False), {"name": "Bob"})
    assert second.status == "succeeded", second.error
    assert not any(step.healed for step in second.steps)
    record = store.get_run(second.run_id).to_json()
    assert [s["status"] for s in record["steps"]] == ["succeeded"] * 5


def test_broken_step_is_diagnosed_with_a_rewrite(desk: tuple[VirtualDesktop, Runner, RunStore], tmp_path: Path) -> None:
    virtual, runner, store = desk
    workflow_file = tmp_path / "form.md"
    workflow_file.write_text(WORKFLOW.replace('into "Email"', 'into "E-mail address"'))
    virtual.launch(FORM)
    outcome = runner.run(load_workflow(workflow_file, allow_free_form=False), {"name": "Ada"})
    assert outcome.status == "failed"
    assert outcome.error is not None
    assert outcome.error["step"] == 3
    assert "E-mail address" in outcome.error["message"]
    assert outcome.error["suggestion"] == 'Type "ada@example.org" into "Email"'
    assert not (tmp_path / "form.lock").exists()
    assert store.get_run(outcome.run_id).to_json()["status"] == "failed"
