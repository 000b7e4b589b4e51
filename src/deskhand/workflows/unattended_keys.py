"""The front matter's keys for running without a person: ``schedule:`` (when) and ``verify:`` (how to tell
that a row's irreversible action already happened, so a resumed batch never does it twice)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from deskhand.errors import WorkflowError
from deskhand.workflows.language import parse_step
from deskhand.workflows.model import Schedule, Step
from deskhand.workflows.suggest import closest_form
from deskhand.workflows.when import FORMS_HINT, MISSED_POLICIES, When, parse_when

Fail = Callable[[str, str, str], WorkflowError]

SCHEDULE_KEYS = ("when", "missed")
_SCHEDULE_HINT = (
    'Write schedule: "every weekday at 9:00", a list of them, or schedule: {when: "0 9 * * 1-5", missed: skip}. '
    + FORMS_HINT
)
_VERIFY_HINT = (
    'List steps that show whether the row is already done, the last one the check: verify: ["Open '
    '{crm_url}/contacts in the browser", "Expect \\"{email}\\" to appear"].'
)


def read_schedule(value: object, fail: Fail) -> Schedule:
    if value is None:
        return Schedule()
    missed = "run"
    key = "schedule"
    if isinstance(value, dict):
        for name in value:
            if str(name) not in SCHEDULE_KEYS:
                raise fail(f"schedule.{name}", f"Unknown key {str(name)!r} in schedule.", _SCHEDULE_HINT)
        missed = value.get("missed", "run")
        if missed not in MISSED_POLICIES:
            raise fail(
                "schedule.missed",
                f"'missed' must be one of {', '.join(MISSED_POLICIES)}, not {missed!r}.",
                "run: a run missed while the machine was off runs once when deskhand is back; skip: it does not. "
                "Either way it is recorded and a notice is sent.",
            )
        key, value = "schedule.when", value.get("when")
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not texts or not all(isinstance(text, str) for text in texts):
        raise fail(key, "'schedule' must be a schedule text or a list of them.", _SCHEDULE_HINT)
    whens: list[When] = []
    for index, text in enumerate(texts):
        where = key if isinstance(value, str) else f"{key}.{index}"
        try:
            whens.append(parse_when(text))
        except ValueError as problem:
            raise fail(where, f"{text!r} is not a schedule: {problem}.", FORMS_HINT) from None
    return Schedule(tuple(whens), str(missed))


def read_verify(value: object, fail: Fail, lines: Mapping[str, int]) -> tuple[Step, ...]:
    if value is None:
        return ()
    texts = [value] if isinstance(value, str) else value
    if not isinstance(texts, list) or not texts or not all(isinstance(text, str) for text in texts):
        raise fail("verify", "'verify' must be a list of steps in the step language.", _VERIFY_HINT)
    steps = []
    for index, text in enumerate(texts):
        where = "verify" if isinstance(value, str) else f"verify.{index}"
        action = parse_step(text)
        if action is None:
            # A check must mean the same every time: no model decides what it saw.
            form = closest_form(text)
            hint = f"Write it as: {form}" if form else "See docs/workflow-language.md for the step forms."
            raise fail(where, f"verify step {index + 1} is not in the step language: {text!r}.", hint)
        steps.append(Step(index + 1, text, lines.get(where, lines.get("verify", 1)), (), action))
    return tuple(steps)
