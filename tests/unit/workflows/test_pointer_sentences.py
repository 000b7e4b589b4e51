"""The pointer and window sentences of the step language, and their canonical forms read back the same."""

from __future__ import annotations

import pytest

from deskhand.policy.rules import Policy, StepPolicy, Target
from deskhand.workflows.actions import ClickAt, Drag, ScrollBy, WindowControl
from deskhand.workflows.actions import Target as StepTarget
from deskhand.workflows.language import parse_step


@pytest.mark.parametrize(
    ("sentence", "action"),
    [
        ('Drag "Cherry" to "Basket"', Drag(StepTarget("Cherry"), StepTarget("Basket"))),
        ('Drag and drop "a.txt" onto "Trash"', Drag(StepTarget("a.txt"), StepTarget("Trash"))),
        ('Click at 40, 12 in "Canvas"', ClickAt(StepTarget("Canvas"), 40, 12)),
        ('Right-click at 3 4 in "Canvas"', ClickAt(StepTarget("Canvas"), 3, 4, "right")),
        ('Scroll down 5 in "Results"', ScrollBy(StepTarget("Results"), "down", 5)),
        ('Minimise the window "Notes"', WindowControl("minimize", "Notes")),
        ('Close the window "Notes"', WindowControl("close", "Notes")),
        ('Move the window "Notes" to 100, 50', WindowControl("move", "Notes", 100, 50)),
        ('Resize the window "Notes" to 800x600', WindowControl("resize", "Notes", 800, 600)),
    ],
)
def test_sentences_parse_and_round_trip(sentence: str, action: object) -> None:
    parsed = parse_step(sentence)
    assert parsed == action
    assert parse_step(parsed.sentence()) == action


def test_existing_forms_keep_their_meaning() -> None:
    assert parse_step("Close the window").kind == "close"  # type: ignore[union-attr]
    assert parse_step('Close "notes.txt"').kind == "close"  # type: ignore[union-attr]
    assert parse_step('Move the window "Notes" to the left') is None  # not a point: free-form


def test_closing_a_window_is_irreversible_unless_preapproved() -> None:
    policy = Policy(apps=["xterm"])
    target = Target(widget="other", app="xterm", role="window", name="deskhand xterm")
    asked = policy.classify("close_window", target, StepPolicy(run_id="r", n=1))
    assert (asked.verdict, asked.meaning) == ("ask", "close")
    allowed = policy.classify("close_window", target, StepPolicy(run_id="r", n=1, preapproved=True))
    assert allowed.verdict == "allow"
    assert policy.classify("window", target, StepPolicy(run_id="r", n=1)).verdict == "allow"
    other = Target(widget="other", app="gedit", role="window", name="x")
    assert policy.classify("drag", other, StepPolicy(run_id="r", n=1)).verdict == "deny"
