"""Parsing workflow files: the happy path, and every error names file:line and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.errors import WorkflowError
from deskhand.workflows import (
    Click,
    InputSpec,
    Limits,
    OpenUrl,
    Read,
    StepRef,
    TypeText,
    load_workflow,
    parse_workflow,
    sentence_hash,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "workflows"


def workflow(front: str, body: str = '1. Click "OK"', **kwargs: bool) -> str:
    return f"---\nname: demo\n{front}---\n{body}\n"


def error_of(text: str, *, allow_free_form: bool = True) -> WorkflowError:
    with pytest.raises(WorkflowError) as caught:
        parse_workflow(text, "wf.md", allow_free_form=allow_free_form)
    return caught.value


def test_the_example_workflow_parses_completely() -> None:
    wf = load_workflow(FIXTURES / "add-contact.md")
    assert wf.name == "add-contact"
    assert wf.description.startswith("Add one contact")
    assert list(wf.inputs) == ["name", "email", "plan", "seats", "start", "newsletter"]
    assert wf.inputs["name"] == InputSpec("string", required=True)
    assert wf.inputs["plan"] == InputSpec("enum", False, "Basic", ("Basic", "Pro", "Enterprise"))
    assert wf.inputs["seats"].default == 1
    assert wf.inputs["newsletter"].default is False
    assert wf.apps == ("chromium", "mousepad")
    assert wf.sites == ("http://127.0.0.1:8765",)
    assert wf.confirm == (StepRef(number=5),)
    assert wf.preapproved == (StepRef(sentence='Click "Save contact"'),)
    assert wf.secrets == ("crm_password",)
    assert wf.limits == Limits(max_steps=40, max_minutes=5.0)
    assert [s.n for s in wf.steps] == [1, 2, 3, 4, 5, 6]
    assert wf.steps[0].action == OpenUrl("http://127.0.0.1:8765/contacts/new")
    assert wf.steps[1].details == ("the field is at the top of the form",)
    assert wf.steps[1].line == 21
    assert wf.steps[4].action is not None and isinstance(wf.steps[4].action, Click)
    assert wf.needs_confirmation(wf.steps[4]) and not wf.needs_confirmation(wf.steps[3])
    assert wf.is_preapproved(wf.steps[4])
    assert wf.lines["inputs.plan"] == 7 and wf.line_of("confirm") == 13
    assert wf.path.endswith("add-contact.md")


def test_step_hash_follows_the_sentence_and_details_not_spacing() -> None:
    a = parse_workflow(workflow("", '1. Click "OK".\n   - the blue one'))
    b = parse_workflow(workflow("", "1.   Click  “OK”\n   - the blue one"))
    c = parse_workflow(workflow("", '1. Click "OK"\n   - the red one'))
    assert a.step_hash(a.steps[0]) == b.step_hash(b.steps[0])
    assert a.step_hash(a.steps[0]) != c.step_hash(c.steps[0])
    assert sentence_hash('Click "OK"') == sentence_hash('Click "OK".')
    assert len(sentence_hash("x")) == 16


def test_body_prose_code_and_comments_are_not_steps() -> None:
    body = (
        "# Heading\nSome prose.\n\n```\n1. not a step\n```\n<!--\n1. nor this\n-->\n"
        '1) Click "A"\n   and more of the sentence\n   * a detail\n   - another\n\n'
        "Prose between.\n"
        '2. Type "x"\n'
    )
    wf = parse_workflow(workflow("", body))
    assert [s.sentence for s in wf.steps] == ['Click "A" and more of the sentence', 'Type "x"']
    assert wf.steps[0].details == ("a detail", "another")
    assert wf.steps[0].action is None  # the continuation makes it free-form


def test_free_form_steps_are_kept_without_an_action() -> None:
    wf = parse_workflow(workflow("", "1. Log in with the admin account\n2. Press Ctrl+S"))
    assert wf.steps[0].free_form and not wf.steps[1].free_form


def test_reads_make_names_available_to_later_steps() -> None:
    body = '1. Read "Total" as total\n2. Type "{total}" into "Amount"'
    wf = parse_workflow(workflow("", body))
    assert isinstance(wf.steps[0].action, Read)
    assert wf.reads_before(wf.steps[1]) == ("total",)


def test_input_shorthand_and_choice_inference() -> None:
    wf = parse_workflow(workflow("inputs:\n  email: string\n  size: {choices: [S, M, L]}\n  note:\n"))
    assert wf.inputs["email"].type == "string"
    assert wf.inputs["size"] == InputSpec("enum", choices=("S", "M", "L"))
    assert wf.inputs["note"] == InputSpec()


@pytest.mark.parametrize(
    ("text", "line", "message", "hint"),
    [
        ("", 1, "empty", "front matter"),
        ("Just prose\n1. Click OK\n", 1, "No front matter", "'---'"),
        ("\n\n---\nname: x\n", 3, "never closed", "'---'"),
        ("---\nname: x\ninputs: [a\n---\n1. Click OK\n", 3, "not valid YAML", "indentation"),
        ("---\nname: x\nfoo: : bar\n---\n1. Click OK\n", 3, "not valid YAML", "quote"),
        ("---\n- a\n- b\n---\n1. Click OK\n", 2, "key: value", "name:"),
        ("---\ndescription: no name\n---\n1. Click OK\n", 1, "no 'name'", "name: add-contact"),
        ("---\nname: x\nname: y\n---\n1. Click OK\n", 3, "given twice", "Keep one"),
        ("---\nname: x\n---\nJust prose.\n", 4, "no steps", "numbered steps"),
        ("---\nname: x\n---\n", 2, "no steps", "numbered steps"),
    ],
)
def test_file_shape_errors(text: str, line: int, message: str, hint: str) -> None:
    error = error_of(text)
    assert (error.file, error.line) == ("wf.md", line)
    assert message in error.message and hint in error.hint
    assert str(error).startswith(f"wf.md:{line}: ")


@pytest.mark.parametrize(
    ("front", "line", "message", "hint"),
    [
        ("input:\n  a: string\n", 3, "Unknown key 'input'", "Did you mean 'inputs'?"),
        ("apps: chromium\n", 3, "'apps' must be a list", "apps: [chromium]"),
        ("sites: 5\n", 3, "'sites' must be a list", "sites: [5]"),
        ("sites: ['{base}']\n", 3, "'{base}' in 'sites' is not an origin: policy never comes from inputs", "sites:"),
        ("sites:\n  - https://a.example\n  - https://a.example/x/y\n", 5, "is not an origin", "https://example.com"),
        ("apps: ['{app}']\n", 3, "'{app}' in 'apps' is not an app name: policy never", "apps: [mousepad]"),
        ("apps: [mousepad, 'a/b']\n", 3, "'a/b' in 'apps' is not an app name", "apps: [mousepad]"),
        ("secrets: [crm-password]\n", 3, "not a usable name", "underscores"),
        ("confirm: 5\n", 3, "must be a list", "confirm: [5]"),
        ("confirm: [true]\n", 3, "step number or a step sentence", "number"),
        ("description: [a]\n", 3, "must be text", "description:"),
        ("limits: 5\n", 3, "'limits' must be a mapping", "max_steps"),
        ("limits:\n  max_step: 3\n", 4, "Unknown key 'max_step' in limits", "Did you mean 'max_steps'?"),
        ("limits:\n  max_steps: 0\n", 4, "at least 1", "40"),
        ("limits:\n  max_minutes: soon\n", 4, "must be a number", "5"),
        ("limits:\n  max_spend_usd: -1\n", 4, "0 or more", "0.5"),
        ("inputs: [a, b]\n", 3, "mapping of input names", "type: string"),
        ("inputs:\n  first name: string\n", 4, "cannot be used in steps", "underscores"),
        ("inputs:\n  a: {type: strng}\n", 4, "Unknown input type 'strng'", "Did you mean 'string'?"),
        ("inputs:\n  a: {type: enum}\n", 4, "needs its choices", "choices"),
        ("inputs:\n  a: {type: number, choices: [1]}\n", 4, "Only an enum", "type: enum"),
        ("inputs:\n  a: {type: enum, choices: [yes, no]}\n", 4, "must be text", "Quote it"),
        ("inputs:\n  a: {type: enum, choices: [A, a]}\n", 4, "listed twice", "Remove"),
        ("inputs:\n  a:\n    type: number\n    default: lots\n", 6, 'default value "lots" is not a number', "3"),
        ("inputs:\n  a: {type: date, default: 31/03/2025}\n", 4, "is not a date", "YYYY-MM-DD"),
        ("inputs:\n  a: {type: bool, default: maybe}\n", 4, "not true or false", "yes/no"),
        ("inputs:\n  a: {type: enum, choices: [A], default: B}\n", 4, "not one of: A", "Use one of"),
        ("inputs:\n  a: {type: string, requird: true}\n", 4, "Unknown key 'requird'", "'required'"),
        ("inputs:\n  a: {required: maybe}\n", 4, "true or false", "required: true"),
        ("inputs:\n  a: 5\n", 4, "must be a mapping", "type: string"),
    ],
)
def test_front_matter_errors_point_at_the_key(front: str, line: int, message: str, hint: str) -> None:
    error = error_of(workflow(front))
    assert error.line == line, str(error)
    assert message in error.message, str(error)
    assert hint in error.hint, str(error)


@pytest.mark.parametrize(
    ("front", "body", "line", "message", "hint"),
    [
        ("", '1. Click "A"\n3. Click "B"', 5, "Step 3 is numbered out of order", "should be 2"),
        ("", '2. Click "A"', 4, "Step 2 is numbered out of order", "should be 1"),
        ("", '1. Click "A"\n2.', 5, "Step 2 has no sentence", "2. Click"),
        ("confirm: [3]\n", '1. Click "A"', 3, "no such step", "numbered 1 to 1"),
        ("preapproved: ['Click \"Sve\"']\n", '1. Click "Save"', 3, "no such step", 'Click "Save"'),
        ("", '1. Type "{who}" into "Name"', 4, "neither an input nor read", "inputs:"),
        (
            "",
            '1. Type "{total}" into "Name"\n2. Read "Total" as total',
            4,
            "neither an input nor read",
            "move that step before step 1",
        ),
        ("", '1. Type "{secret:pw}" into "Password"', 4, "not declared under 'secrets'", "secrets: [pw]"),
        ("inputs:\n  total: number\n", '1. Read "Total" as total', 6, "already an input", "another name"),
        ("", "1. Log in as {user}", 4, "neither an input nor read", "user"),
    ],
)
def test_step_errors_point_at_the_step(front: str, body: str, line: int, message: str, hint: str) -> None:
    error = error_of(workflow(front, body))
    assert error.line == line, str(error)
    assert message in error.message, str(error)
    assert hint in error.hint, str(error)


def test_free_form_refused_when_a_model_is_not_allowed() -> None:
    error = error_of(workflow("", '1. Click "A"\n2. Tap on Save'), allow_free_form=False)
    assert error.line == 5
    assert "not in the step language" in error.message
    assert 'Click "Save"' in error.hint


def test_load_workflow_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkflowError, match="No workflow file"):
        load_workflow(tmp_path / "nope.md")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe---")
    with pytest.raises(WorkflowError, match="not UTF-8") as caught:
        load_workflow(tmp_path / "bad.md")
    assert caught.value.hint == "Save the file as UTF-8."


def test_literal_braces_need_no_input() -> None:
    wf = parse_workflow(workflow("", """1. Type '{{name}} and {"a": 1}'"""))
    assert wf.steps[0].action == TypeText('{{name}} and {"a": 1}')
