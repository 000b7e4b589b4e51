"""The recording's file: sentences the step language parses back, secrets never written, partial marked."""

from __future__ import annotations

from pathlib import Path

from deskhand.app.recording.document import typed_fields, workflow_text
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


def test_quotes_in_values_are_written_the_way_the_parser_reads_them(tmp_path: Path) -> None:
    said = RecordedStep("type_text", "Note", value='say "hi"', app="gedit", ref="r1")
    both = RecordedStep("type_text", "Note", value='it\'s "done"', app="gedit", ref="r2")
    assert said.sentence() == 'Type \'say "hi"\' into "Note"' and said.literal_fits()
    assert both.sentence() == 'Type \'it\'s "done"\' into "Note"' and both.literal_fits()
    for step in (said, both):
        assert parse_step(step.sentence()) == step.action()


def test_a_value_the_language_cannot_quote_becomes_an_input_with_that_default(tmp_path: Path) -> None:
    steps = [
        RecordedStep("type_text", "Note", value='the dogs\' "toy"', app="gedit", ref="r1"),
        RecordedStep("type_text", "Note", value="two\nlines", app="gedit", ref="r2"),
        RecordedStep("type_text", "Title", value="“curly”", app="gedit", ref="r3"),
    ]
    path = tmp_path / "rec.md"
    path.write_text(workflow_text("x", steps, ["gedit"]))
    workflow = load_workflow(path, allow_free_form=False)
    assert {name: spec.default for name, spec in workflow.inputs.items()} == {
        "note": 'the dogs\' "toy"',
        "note_2": "two\nlines",
        "title": "“curly”",
    }
    assert 'Type "{note_2}" into "Note"' in path.read_text()


def test_menu_paths_pointer_buttons_save_and_navigation_sentences(tmp_path: Path) -> None:
    steps = [
        RecordedStep("open_url", "http://127.0.0.1:8765/form?x=1", app="chromium"),
        RecordedStep("click", "File > Save As...", path=("File", "Save As..."), app="mousepad", ref="r1"),
        RecordedStep("double_click", "Apple", app="qt", ref="r2"),
        RecordedStep("right_click", "Right-click me", app="qt", ref="r3"),
        RecordedStep("save_as", '/tmp/note\'s "x".txt', app="mousepad"),
        RecordedStep("type_text", "", value="Hello", position=0, role="textbox", app="mousepad", ref="r4"),
        RecordedStep("open_url", "http://127.0.0.1:8765/done", app="chromium"),
    ]
    assert [s.sentence() for s in steps] == [
        "Open http://127.0.0.1:8765/form?x=1 in the browser",
        'Click "File > Save As..."',
        'Double-click "Apple"',
        'Right-click "Right-click me"',
        "Save the file as '/tmp/note's \"x\".txt'",
        'Type "Hello" into the first text field',
        "Open http://127.0.0.1:8765/done in the browser",
    ]
    assert all(parse_step(s.sentence()) == s.action() for s in steps)
    path = tmp_path / "rec.md"
    path.write_text(workflow_text("x", steps, ["chromium", "mousepad"]))
    workflow = load_workflow(path, allow_free_form=False)
    assert workflow.sites == ("http://127.0.0.1:8765",)


def test_the_inputs_prompt_offers_the_last_value_of_each_field_never_a_password() -> None:
    steps = [
        RecordedStep("type_text", "Name", value="Al", ref="r1"),
        RecordedStep("type_text", "Password", secret="password", ref="r2"),
        RecordedStep("type_text", "Name", value="Alan", ref="r1"),
        RecordedStep("type_text", "Email", value="", ref="r3"),
        RecordedStep("click", "OK", ref="r4"),
    ]
    assert [(s.target, s.value) for s in typed_fields(steps)] == [("Name", "Alan")]
