"""Property tests: whatever text or CSV a person writes, deskhand answers with its own errors, never a
traceback; and every action's canonical sentence reads back as the same action."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from deskhand.errors import InputError, WorkflowError
from deskhand.workflows import (
    Choose,
    Click,
    ExpectField,
    Read,
    SetChecked,
    StepAction,
    Target,
    TypeText,
    WaitFor,
    closest_form,
    coerce_rows,
    load_rows,
    parse_step,
    parse_workflow,
)

FRONT_LINES = st.sampled_from(
    [
        "name: demo",
        "name: [x]",
        "description: hi",
        "inputs:",
        "  email: {type: string, required: true}",
        "  plan: {type: enum, choices: [A, B], default: a}",
        "  n: {type: number, default: x}",
        "  d: date",
        "  b: {type: bool, default: yes}",
        "apps: [mousepad]",
        "apps: mousepad",
        "confirm: [1, 'Click OK']",
        "preapproved: [2]",
        "secrets: [pw]",
        "limits: {max_steps: 3}",
        "limits: {max_minutes: -1}",
        "foo: bar",
        "  - item",
        "key: : bad",
        "&a [*a]",
        "'unclosed",
        "",
    ]
)
BODY_LINES = st.sampled_from(
    [
        '1. Click "OK"',
        "2. Type {email} into Email",
        "3. Log in as {user}",
        '1) Read "Total" as total',
        '2) Expect "{total}" to appear',
        "   - a detail",
        "   continued",
        "prose",
        "```",
        "<!-- 1. hidden",
        "-->",
        '4. Type "{secret:pw}"',
        "5.",
        "",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(FRONT_LINES, max_size=8),
    st.lists(BODY_LINES, max_size=8),
    st.booleans(),
    st.sampled_from(["---", "", "--- \n..."]),
)
def test_assembled_workflows_fail_only_with_workflow_errors(
    front: list[str], body: list[str], free_form: bool, fence: str
) -> None:
    text = "\n".join([fence, *front, "---", *body])
    try:
        workflow = parse_workflow(text, "wf.md", allow_free_form=free_form)
    except WorkflowError as error:
        assert error.message and error.hint and error.file == "wf.md"
    else:
        assert [s.n for s in workflow.steps] == list(range(1, len(workflow.steps) + 1))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_fails_only_with_workflow_errors(text: str) -> None:
    for candidate in (text, f"---\nname: x\n---\n{text}", f"---\n{text}\n---\n1. Click OK"):
        try:
            parse_workflow(candidate)
        except WorkflowError as error:
            assert error.hint


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_sentence_parses_or_is_free_form_with_a_suggestion_or_none(sentence: str) -> None:
    action = parse_step(sentence)
    suggestion = closest_form(sentence)
    assert suggestion is None or suggestion.strip()
    if action is not None:
        assert parse_step(action.sentence()) == action


LABEL = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters="{}-_:/.,!?'"),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip() == t and t.strip() != "")
TARGETS = st.builds(Target, LABEL, st.none() | LABEL)
ACTIONS: st.SearchStrategy[StepAction] = st.one_of(
    TARGETS.flatmap(lambda t: st.sampled_from([Click(t), Click(t, "left", 2), Click(t, "right"), Click(t, "middle")])),
    st.builds(TypeText, LABEL, st.none() | TARGETS),
    st.builds(Choose, LABEL, TARGETS),
    st.builds(SetChecked, TARGETS, st.booleans()),
    st.builds(WaitFor, LABEL, st.booleans(), st.none() | st.integers(1, 600).map(float)),
    st.builds(Read, TARGETS, st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True)),
    st.builds(ExpectField, TARGETS, LABEL, st.booleans()),
)


@settings(max_examples=400, deadline=None)
@given(ACTIONS)
def test_canonical_sentences_round_trip(action: StepAction) -> None:
    assert parse_step(action.sentence()) == action


WORKFLOW = parse_workflow(
    "---\nname: rows\ninputs:\n  name: {type: string, required: true}\n  n: number\n"
    "  d: date\n  b: bool\n  e: {choices: [A, B]}\n---\n1. Click OK\n"
)
CELL = st.text(max_size=12)
HEADERS = st.lists(st.sampled_from(["name", "n", "d", "b", "e", "nmae", "x", ""]), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(HEADERS, st.lists(st.lists(CELL, max_size=6), max_size=5))
def test_random_csvs_fail_only_with_input_errors(header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    with TemporaryDirectory() as folder:
        path = Path(folder) / "rows.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        try:
            typed = coerce_rows(WORKFLOW, load_rows(path), path)
        except InputError as error:
            assert error.message and error.hint
        else:
            assert all(isinstance(row["name"], str) for row in typed)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(["rows.csv", "rows.json"]))
def test_random_bytes_fail_only_with_input_errors(data: bytes, name: str) -> None:
    with TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            coerce_rows(WORKFLOW, load_rows(path), path)
        except InputError as error:
            assert error.hint
