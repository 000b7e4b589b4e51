"""The recording's file: sentences the step language parses back, secrets never written, partial marked."""

from __future__ import annotations

from pathlib import Path

from deskhand.app.recording.document import workflow_text
from deskhand.app.recording.step import RecordedStep, secret_name
from deskhand.workflows.language import parse_step
from deskhand.workflows.parse import load_workflow

STEPS = [
    RecordedStep("switch", "Add", app="zenity", window="Add"),
    RecordedStep("type_text", "Name", value="Ada {x}", app="zenity", window="Add", ref="r1"),
    RecordedStep("type_text", "PIN code", value="", secret=secret_name("PIN code:"), app="zenity", ref="r2"),
    RecordedStep("choose", "Kind", value="B", app="zenity", ref="r3"),
    RecordedStep("set_checked", "Agree", checked=False, app="zenity", ref="r4", within="Add"),
    RecordedStep("click", "OK", app="zenity", ref="r5", note="not unique on replay: 2 elements match 'OK'"),
]


def test_every_sentence_parses_back_to_its_action() -> None:
    kinds = [type(parse_step(step.sentence())).__name__ for step in STEPS]
    assert kinds == ["SwitchTo", "TypeText", "TypeText", "Choose", "SetChecked", "Click"]
    assert STEPS[1].sentence() == 'Type "Ada {{x}}" into "Name"'
    assert STEPS[2].sentence() == 'Type "{secret:pin_code}" into "PIN code"'
    assert STEPS[4].sentence() == 'Uncheck "Agree" in "Add"'


def test_the_file_loads_as_a_workflow_with_its_secret_declared(tmp_path: Path) -> None:
    path = tmp_path / "rec.md"
    path.write_text(workflow_text("Add Person", STEPS, ["zenity"]))
    workflow = load_workflow(path, allow_free_form=False)
    assert workflow.name == "add-person"
    assert len(workflow.steps) == len(STEPS)
    assert "<!-- not unique on replay: 2 elements match 'OK' -->" in path.read_text()


def test_nothing_recorded_is_written_and_marked_partial(tmp_path: Path) -> None:
    path = tmp_path / "empty.md"
    path.write_text(workflow_text("empty", [], [], partial="stopped before any step was seen."))
    text = path.read_text()
    assert "This recording is partial: stopped before any step was seen." in text
    assert "description: 'Partial recording: stopped before any step was seen.'" in text


def test_inputs_named_by_their_fields_label_become_inputs(tmp_path: Path) -> None:
    steps = [
        RecordedStep("type_text", "Full name", value="Ada", app="zenity", ref="r1"),
        RecordedStep("type_text", "E-mail", value="ada@example.org", app="zenity", ref="r2"),
        RecordedStep("type_text", "Password", secret="password", app="zenity", ref="r3"),
    ]
    path = tmp_path / "rec.md"
    path.write_text(workflow_text("x", steps, ["zenity"], inputs=["full_name", "email", "password", "phone"]))
    text = path.read_text()
    assert 'Type "{full_name}" into "Full name"' in text
    assert 'Type "{email}" into "E-mail"' in text
    assert 'Type "{secret:password}" into "Password"' in text
    assert "phone" not in text
    workflow = load_workflow(path, allow_free_form=False)
    assert sorted(workflow.inputs) == ["email", "full_name"]
