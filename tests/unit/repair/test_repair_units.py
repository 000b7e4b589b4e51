"""The pieces of repair on their own: fingerprint evidence, what an action can act on, workflow text edits,
and failing fast only when the step did not ask to wait."""

from __future__ import annotations

import pytest
from repair_apps import n, signup

from deskhand.backends.fake import FakeBackend
from deskhand.errors import LocatorTimeout, NoMatch, WorkflowError
from deskhand.locate.desktop import Desktop
from deskhand.runner.steps import StepContext, StepRunner
from deskhand.tree.affordance import can_take
from deskhand.tree.fingerprint import decisive, fingerprint_of, rank_against, survey
from deskhand.workflows import actions as a
from deskhand.workflows.edit import insert_step, replace_step
from deskhand.workflows.parse import parse_workflow


def _print_of(version: int, ref: str) -> dict[str, object]:
    facts = next(f for f in survey(signup(version)) if f.node.ref == ref)
    return dict(fingerprint_of(facts, "form"))


def test_an_id_unique_on_screen_is_decisive_and_is_given_as_the_reason() -> None:
    now = survey(signup(2))
    best = decisive(rank_against(_print_of(1, "email"), now, now))
    assert best is not None and best.facts.node.ref == "email"
    assert "same DOM id 'email'" in best.reasons


def test_an_id_shared_by_two_elements_now_proves_nothing() -> None:
    tree = n(
        "win", "window", "W", n("a", "textbox", "One", attrs={"id": "x"}), n("b", "textbox", "Two", attrs={"id": "x"})
    )
    old = {"role": "textbox", "name": "Zero", "dom_id": "x"}
    ranked = rank_against(old, survey(tree), survey(tree))
    assert all("same DOM id 'x'" not in s.reasons for s in ranked)
    assert decisive(ranked) is None


def test_a_different_id_counts_against() -> None:
    tree = n("win", "window", "W", n("a", "textbox", "Email", attrs={"id": "phone"}))
    ranked = rank_against({"role": "textbox", "name": "Email", "dom_id": "email"}, survey(tree), survey(tree))
    assert "different DOM id ('email' → 'phone')" in ranked[0].reasons


def test_without_ids_form_type_neighbours_and_place_find_a_renamed_button() -> None:
    now = survey(signup(2))
    best = decisive(rank_against(_print_of(1, "submit"), now, now))
    assert best is not None and best.facts.node.ref == "submit"
    assert {"same form 'signup'", "same type 'submit'", "same comes after 'Subscribe'"} <= set(best.reasons)


def test_two_equally_good_matches_are_not_a_heal() -> None:
    now = survey(signup(2, delete_button=True))
    assert decisive(rank_against(_print_of(1, "submit"), now, now)) is None


def test_what_each_action_can_act_on() -> None:
    heading, label = n("h", "heading", "Sign up"), n("l", "label", "Email")
    field, readonly = n("f", "textbox", "E"), n("r", "textbox", "R", states=frozenset({"visible", "readonly"}))
    assert not can_take("click", heading) and not can_take("type_text", label)
    assert can_take("type_text", field) and not can_take("type_text", readonly)
    assert can_take("click", n("b", "button", "OK")) and not can_take("set_checked", n("b", "button", "OK"))
    assert can_take("choose", n("c", "combobox", "Plan")) and not can_take("choose", field)


WORKFLOW = """---
name: t
description: x
preapproved: [2, 3]
---
1. Type "a" into
   "Name"
2. Click "Submit"
3. Expect "Thanks" to appear
"""


def test_replacing_a_step_keeps_everything_else_and_joins_its_lines() -> None:
    workflow = parse_workflow(WORKFLOW, "t.md")
    text = replace_step(WORKFLOW, workflow, 1, 'Type "a" into "Full name"')
    assert text == WORKFLOW.replace('Type "a" into\n   "Name"', 'Type "a" into "Full name"')


def test_inserting_a_step_renumbers_the_rest_and_the_front_matter() -> None:
    workflow = parse_workflow(WORKFLOW, "t.md")
    text = insert_step(WORKFLOW, workflow, 3, 'Click "Confirm"')
    assert "preapproved: [2, 4]" in text
    assert '2. Click "Submit"\n3. Click "Confirm"\n4. Expect "Thanks" to appear\n' in text
    assert [s.sentence for s in parse_workflow(text, "t.md").steps][2] == 'Click "Confirm"'


def test_an_edit_that_would_break_the_file_is_refused() -> None:
    workflow = parse_workflow(WORKFLOW, "t.md")
    with pytest.raises(WorkflowError):
        replace_step(WORKFLOW, workflow, 9, 'Click "X"')


def _runner() -> StepRunner:
    desktop = Desktop(FakeBackend({"form": signup(1)}), timeout=0.2)
    ctx = StepContext(desktop, {}, lambda name: name, lambda url, browser="": url, timeout=30.0)
    return StepRunner(ctx)


def test_an_absent_target_on_a_settled_screen_fails_without_the_full_wait() -> None:
    with pytest.raises(NoMatch, match="the screen settled with nothing changing"):
        _runner().run(a.Click(a.Target("Quantum flux")))  # the step's timeout is 30 s


def test_an_expectation_fails_fast_too_and_says_how_to_wait() -> None:
    with pytest.raises(NoMatch, match="settled") as raised:
        _runner().run(a.ExpectText("Thanks", present=True))
    assert "within N seconds" in raised.value.hint


def test_within_n_seconds_still_waits_the_n_seconds() -> None:
    with pytest.raises(LocatorTimeout, match=r"did not appear within 1\.5 s"):
        _runner().run(a.WaitFor("Thanks", appear=True, timeout_s=1.5))


def test_the_terminal_asks_before_an_irreversible_heal_and_no_is_the_default() -> None:
    from click.testing import CliRunner

    from deskhand.runner.heal import Heal
    from deskhand.surfaces.cli.run import _ask_about_heal

    heal = Heal(0, 'Click "Submit"', 'Click "Send"', {"role": "button", "name": "Submit"}, {}, 0.7, ("x",), "send")
    for answer, expected in (("y\n", True), ("\n", False)):
        with CliRunner().isolation(input=answer) as streams:
            assert _ask_about_heal(heal) is expected
            assert "which cannot be undone" in streams[1].getvalue().decode()
