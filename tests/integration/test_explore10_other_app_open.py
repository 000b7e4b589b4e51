"""A new user's workflow names no app in its first steps while another app, not in `apps:`, is open on the
desktop (their text editor). A search that names no app looks only in the workflow's apps; before, the look
for a modal dialog in the way (made when the first look misses) and `Choose the file`'s look for a chooser
read every app, the guard refused reading the editor, and the step was BLOCKED ("'mousepad' is not in this
workflow's apps") instead of failing on what it looked for. Evidence: the run's outcome, and zenity's output
for the step that works.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.app_output import wait_for_output
from tests.integration.office import guarded_runner, workflow_file

from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop


def test_steps_naming_no_app_fail_on_their_target_not_on_an_app_outside_the_workflow(tmp_path: Path) -> None:
    with guarded_runner(timeout=4.0) as guarded:
        guarded.virtual.launch(["mousepad"], timeout=60)
        entry = guarded.virtual.launch(["zenity", "--entry", "--text=Your name"], timeout=60)

        def run(name: str, steps: list[str]) -> tuple[str, str]:
            workflow = load_workflow(workflow_file(tmp_path, name, "zenity", steps), allow_free_form=False)
            outcome = guarded.runner.run(workflow, {})
            return outcome.status, (outcome.error or {}).get("message", "")

        status, message = run("nickname", ['Type "Ada" into "Nickname"'])
        assert status == "failed", message
        assert "'Nickname'" in message and "refused" not in message, message

        status, message = run("chooser", ['Choose the file "/etc/hostname"'])
        assert status == "failed", message
        assert "file chooser" in message and "refused" not in message, message

        status, message = run("name", ['Type "Ada" into "Your name"', 'Click "OK"'])
        assert status == "succeeded", message
        assert wait_for_output(entry.log_path, "Ada").strip().endswith("Ada")
