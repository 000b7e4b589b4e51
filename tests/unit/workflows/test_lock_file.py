from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deskhand.errors import WorkflowError
from deskhand.workflows import (
    Lock,
    LockedAction,
    LockedStep,
    dump_lock,
    lock_path,
    read_lock,
    sentence_hash,
    write_lock,
)

SHARED: dict[str, str | tuple[str, ...]] = {
    "role": "button",
    "name": "Save",
    "window": "Contacts",
    "ancestors": ("form", "main"),
    "app": "chromium",
}


def sample() -> Lock:
    return Lock(
        version=1,
        workflow_name="add-contact",
        steps=(
            LockedStep(
                1,
                'Type "{name}" into "Full name"',
                sentence_hash('Type "{name}" into "Full name"'),
                (LockedAction("set_text", 'role=textbox[name="Full name"]', "{name}", {"role": "textbox"}),),
                "language",
            ),
            LockedStep(
                2,
                "Log in",
                sentence_hash("Log in"),
                (
                    LockedAction("click", 'role=button[name="Save"]', None, SHARED),
                    LockedAction("click", 'role=button[name="Save"]', None, SHARED),
                ),
                "model",
            ),
        ),
    )


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "wf.lock"
    write_lock(path, sample())
    assert read_lock(path) == sample()
    assert [p.name for p in tmp_path.iterdir()] == ["wf.lock"]  # no temp file left behind


def test_output_is_stable_readable_and_has_no_anchors() -> None:
    text = dump_lock(sample())
    assert text == dump_lock(sample())
    assert "&id" not in text and "*id" not in text
    assert text.startswith("# deskhand lock file")
    assert "\n\n- n: 2\n" in text  # one block per step, separated by a blank line
    fingerprint = yaml.safe_load(text)["steps"][1]["actions"][0]["fingerprint"]
    assert list(fingerprint) == ["role", "name", "window", "ancestors", "app"]
    assert fingerprint["ancestors"] == ["form", "main"]


def test_empty_lock_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "wf.lock"
    write_lock(path, Lock(1, "x"))
    assert read_lock(path) == Lock(1, "x")


def test_missing_lock_is_none(tmp_path: Path) -> None:
    assert read_lock(tmp_path / "nothing.lock") is None


@pytest.mark.parametrize(
    "text",
    [
        "steps: [",
        "- a list",
        "version: 1\n",
        "version: 99\nworkflow: x\nsteps: []\n",
        "version: 1\nworkflow: x\nsteps: [5]\n",
        "version: 1\nworkflow: x\nsteps:\n- {n: 1, sentence: a, sentence_hash: b, source: guess, actions: []}\n",
        "version: 1\nworkflow: x\nsteps:\n- {n: 1, sentence: a, sentence_hash: b, source: model, actions: [{}]}\n",
        "version: 1\nworkflow: x\nsteps:\n- {n: 1, sentence: a, sentence_hash: b, source: model,"
        " actions: [{kind: click, fingerprint: {role: [1]}}]}\n",
    ],
)
def test_a_corrupt_lock_names_the_file_and_says_it_can_be_deleted(tmp_path: Path, text: str) -> None:
    path = tmp_path / "wf.lock"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkflowError) as caught:
        read_lock(path)
    assert caught.value.file == str(path)
    assert "corrupt" in caught.value.message
    assert "Delete wf.lock" in caught.value.hint


def test_lock_lookup_and_update() -> None:
    lock = sample()
    assert lock.find(sentence_hash("Log in")) is lock.steps[1]
    assert lock.find("0" * 16) is None
    new = LockedStep(1, "Click OK", sentence_hash("Click OK"), (), "language")
    updated = lock.with_step(new)
    assert [s.sentence for s in updated.steps] == ["Click OK", "Log in"]
    assert lock_path("flows/add-contact.md") == Path("flows/add-contact.lock")


def test_write_to_a_missing_folder_is_a_workflow_error(tmp_path: Path) -> None:
    with pytest.raises(WorkflowError, match="Cannot write the lock file"):
        write_lock(tmp_path / "absent" / "wf.lock", sample())
