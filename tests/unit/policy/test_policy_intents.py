"""Exactly once at the guard: an irreversible action gets an intent record before it is sent (durable in the
run store) and its outcome after; actions that can be undone, and refused ones, get none."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.policy.test_policy_guard import CREATE, FIRST_NAME, TREES, Sinks, inputs, make_guard, web_policy

from deskhand.backends.fake import FakeBackend
from deskhand.errors import ApprovalRejected, NodeGone
from deskhand.policy.rules import StepPolicy
from deskhand.runs.intents import IntentLog


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend.from_files(TREES / "web_form.json", TREES / "zenity_form.json")


@pytest.fixture
def log(store_where: Path | str) -> IntentLog:
    return IntentLog(store_where)


def test_a_preapproved_irreversible_click_is_recorded_before_and_after(fake: FakeBackend, log: IntentLog) -> None:
    seen_at_click: list[int] = []
    inner_click = fake.click

    def click(ref: str, **kw: object) -> None:
        seen_at_click.append(len(log.for_run("r-1")))
        inner_click(ref, **kw)  # type: ignore[arg-type]

    fake.click = click  # type: ignore[method-assign]
    guarded = make_guard(fake, web_policy(), Sinks(), intents=log)
    guarded.begin_step(StepPolicy("r-1", 3, 'Click "Create account"', preapproved=True))
    guarded.set_text(FIRST_NAME, "Ada")  # can be undone: no intent
    guarded.click(CREATE)
    (intent,) = log.for_run("r-1")
    assert seen_at_click == [1]  # in the store before the click was sent
    assert (intent.step, intent.action, intent.meaning, intent.outcome) == (3, "click", "create", "sent")
    assert intent.target["name"] == "Create account"


def test_a_click_that_fails_on_its_way_keeps_its_intent_with_the_error(fake: FakeBackend, log: IntentLog) -> None:
    def gone(ref: str, **kw: object) -> None:
        raise NodeGone("The button went away.")

    fake.click = gone  # type: ignore[method-assign]
    guarded = make_guard(fake, web_policy(), Sinks(), intents=log)
    guarded.begin_step(StepPolicy("r-1", 3, 'Click "Create account"', preapproved=True))
    with pytest.raises(NodeGone):
        guarded.click(CREATE)
    assert [i.outcome for i in log.for_run("r-1")] == ["error: NodeGone"]


def test_a_refused_irreversible_click_records_no_intent(fake: FakeBackend, log: IntentLog) -> None:
    guarded = make_guard(fake, web_policy(), Sinks(), intents=log)
    guarded.begin_step(StepPolicy("r-1", 3, 'Click "Create account"'))
    with pytest.raises(ApprovalRejected):
        guarded.click(CREATE)
    assert log.for_run("r-1") == [] and inputs(fake) == []
