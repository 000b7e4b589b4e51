"""`schedule:` and `verify:` in the front matter: plain forms and cron through croniter, errors at file:line."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from deskhand.errors import WorkflowError
from deskhand.workflows.actions import ExpectText, OpenUrl
from deskhand.workflows.parse import parse_workflow
from deskhand.workflows.when import parse_when

BODY = "---\n{front}---\n1. Open mousepad\n"


@pytest.mark.parametrize(
    ("text", "cron"),
    [
        ("every weekday at 9:00", "0 9 * * 1-5"),
        ("every 15 minutes", "*/15 * * * *"),
        ("daily at 18:30", "30 18 * * *"),
        ("every day at 6:05 pm", "5 18 * * *"),
        ("every hour", "0 * * * *"),
        ("every 2 hours", "0 */2 * * *"),
        ("every monday and thursday at 7am", "0 7 * * 1,4"),
        ("every monday, wednesday and friday at 17:45", "45 17 * * 1,3,5"),
        ("every weekend at 10:00", "0 10 * * 0,6"),
        ("@daily", "0 0 * * *"),
        ("0 9 * * MON-FRI", "0 9 * * MON-FRI"),
        ("*/5 8-18 * * 1-5", "*/5 8-18 * * 1-5"),
    ],
)
def test_plain_forms_and_cron_become_one_cron_expression(text: str, cron: str) -> None:
    assert parse_when(text).cron == cron


def test_the_next_firing_comes_from_croniter_in_local_time() -> None:
    paris = timezone(timedelta(hours=1))
    friday_evening = datetime(2026, 12, 4, 20, 0, tzinfo=paris)
    when = parse_when("every weekday at 9:00")
    assert when.next_after(friday_evening) == datetime(2026, 12, 7, 9, 0, tzinfo=paris)
    assert when.describe() == "At 09:00 AM, Monday through Friday"
    week = when.fires_between(friday_evening, friday_evening + timedelta(days=7))
    assert [moment.weekday() for moment in week] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ('"0 9 * *"', "a cron expression has 5 fields (minute hour day month weekday), this has 4"),
        ('"61 * * * *"', "out of range"),
        ('"every 90 minutes"', "the number must be 1 to 59"),
        ('"every day at 25:00"', "25:00 is not a time of day"),
        ('"whenever it suits"', "it is not one of the plain forms and not a cron expression"),
    ],
)
def test_a_bad_schedule_is_an_error_at_its_line_with_the_forms(value: str, why: str) -> None:
    text = BODY.format(front=f"name: x\ndescription: d\nschedule: {value}\n")
    with pytest.raises(WorkflowError) as raised:
        parse_workflow(text, "wf.md")
    assert str(raised.value).startswith("wf.md:4: ")
    assert why in raised.value.message
    assert "every weekday at 9:00" in raised.value.hint


def test_a_list_entry_and_the_missed_policy_are_checked_at_their_own_line() -> None:
    text = BODY.format(front='name: x\nschedule:\n  when:\n    - "every hour"\n    - "0 25 * * *"\n')
    with pytest.raises(WorkflowError) as raised:
        parse_workflow(text, "wf.md")
    assert str(raised.value).startswith("wf.md:6: ")
    text = BODY.format(front="name: x\nschedule: {when: every hour, missed: later}\n")
    with pytest.raises(WorkflowError, match="'missed' must be one of run, skip"):
        parse_workflow(text, "wf.md")


def test_schedule_and_verify_are_read() -> None:
    front = (
        "name: x\ninputs:\n  name: {type: string}\n"
        "schedule: {when: [every weekday at 9:00, every 15 minutes], missed: skip}\n"
        'verify:\n  - Open http://127.0.0.1:8000/records in the browser\n  - Expect "{name}" to appear\n'
    )
    workflow = parse_workflow(BODY.format(front=front), "wf.md")
    assert [w.cron for w in workflow.schedule.whens] == ["0 9 * * 1-5", "*/15 * * * *"]
    assert workflow.schedule.missed == "skip"
    assert [type(step.action) for step in workflow.verify] == [OpenUrl, ExpectText]
    assert [step.line for step in workflow.verify] == [7, 8]


def test_a_verify_step_outside_the_step_language_or_with_an_unknown_name_is_an_error() -> None:
    with pytest.raises(WorkflowError) as raised:
        parse_workflow(BODY.format(front='name: x\nverify:\n  - "Ask the manager whether it went in"\n'), "wf.md")
    assert str(raised.value).startswith("wf.md:4: verify step 1 is not in the step language")
    with pytest.raises(WorkflowError) as raised:
        parse_workflow(BODY.format(front="name: x\nverify: ['Expect \"{who}\" to appear']\n"), "wf.md")
    assert "Verify step 1 uses {who}" in raised.value.message
