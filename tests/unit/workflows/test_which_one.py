"""Two elements of one name: the hint says which one in the step language, by place (not a selector's nth=)."""

from __future__ import annotations

from deskhand.runner.rewrite import which_one
from deskhand.workflows.actions import StepAction
from deskhand.workflows.language import parse_step


def parse_step_sentence(sentence: str) -> StepAction:
    action = parse_step(sentence)
    assert action is not None
    return action


def test_two_look_alikes_are_told_apart_as_the_first_and_the_last() -> None:
    action = parse_step_sentence('Click "Menu"')
    assert which_one(action, 2) == (
        "Say which one by its place on screen (top to bottom, then left to right): "
        '`Click the first "Menu"` | `Click the last "Menu"`'
    )


def test_three_or_more_also_name_the_second_and_a_field_keeps_its_text() -> None:
    hint = which_one(parse_step_sentence('Type "x" into "Name"'), 5)
    assert hint is not None
    assert (
        '`Type "x" into the first "Name"` | `Type "x" into the second "Name"` | `Type "x" into the last "Name"`' in hint
    )


def test_nothing_to_tell_apart_or_no_element_named_gives_no_hint() -> None:
    assert which_one(parse_step_sentence('Click "Menu"'), 1) is None
    assert which_one(parse_step_sentence("Press Ctrl+S"), 2) is None
