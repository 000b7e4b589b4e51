"""Position words (`the second "checkbutton"`, `the first switch`): parsed, written back, and run through the
Runner on the fake backend, counting in reading order (the screen's, not the tree's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.steps.test_every_step_kind import SHOWN, Launcher, n

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.tree.node import Bounds, Node
from deskhand.tree.order import reading_order
from deskhand.workflows.actions import Click, SetChecked, Target, TypeText
from deskhand.workflows.language import parse_step
from deskhand.workflows.parse import load_workflow


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ('Check the second "checkbutton"', SetChecked(Target("checkbutton", None, 1), True)),
        ('Click the last "Remove" button', Click(Target("Remove", None, -1))),
        ('Click the 3rd "Row"', Click(Target("Row", None, 2))),
        ("Turn on the first switch", SetChecked(Target("", None, 0, "switch"), True)),
        ("Uncheck the second check box", SetChecked(Target("", None, 1, "checkbox"), False)),
        ('Click the first "OK" in "Options"', Click(Target("OK", "Options", 0))),
        ('Type "42" into the second spin button', TypeText("42", Target("", None, 1, "spinbutton"))),
        # Unquoted, only a kind word may follow a position: this is the field labelled "first name".
        ('Type "Ada" into the first name field', TypeText("Ada", Target("first name"))),
    ],
)
def test_position_words_parse_and_read_back(sentence: str, expected: object) -> None:
    action = parse_step(sentence)
    assert action == expected
    assert parse_step(action.sentence()) == expected  # type: ignore[union-attr]


def test_position_words_are_only_for_elements() -> None:
    # `Type the second "x"` would type words, not pick an element: not in the language.
    assert parse_step('Type the second "x" into "Name"') is None


def test_reading_order_follows_the_screen_not_the_tree() -> None:
    # GTK3 lists a box's children bottom-up: the tree says c, b, a; the screen says a, b, c.
    nodes = [
        n("c", "checkbox", "x", bounds=Bounds(10, 70, 80, 20)),
        n("b", "checkbox", "x", bounds=Bounds(10, 40, 80, 20)),
        n("hidden", "checkbox", "x"),
        n("a2", "checkbox", "x", bounds=Bounds(120, 12, 80, 16)),  # same row as a, to its right
        n("a", "checkbox", "x", bounds=Bounds(10, 10, 80, 20)),
    ]
    assert [node.ref for node in reading_order(nodes, lambda node: node)] == ["a", "a2", "b", "c", "hidden"]


def factory() -> Node:
    box = SHOWN | {"checked"}
    return n(
        "app",
        "application",
        "factory",
        n(
            "main",
            "window",
            "Factory",
            # Listed bottom-up, as GTK3 does: on screen "top" is first, "middle" second.
            n("bottom", "checkbox", "checkbutton", states=box, bounds=Bounds(10, 90, 100, 20)),
            n("middle", "checkbox", "checkbutton", bounds=Bounds(10, 60, 100, 20)),
            n("top", "checkbox", "checkbutton", states=box, bounds=Bounds(10, 30, 100, 20)),
            n("sw2", "switch", "", bounds=Bounds(200, 60, 40, 20)),
            n("sw1", "switch", "", bounds=Bounds(200, 30, 40, 20)),
            states=SHOWN | {"active"},
        ),
    )


def run(tmp_path: Path, backend: FakeBackend, *steps: str) -> tuple[str, str]:
    body = "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1))
    path = tmp_path / "wf.md"
    path.write_text(f"---\nname: positions\napps: [factory]\n---\n{body}\n", encoding="utf-8")
    with RunStore(tmp_path / "runs.db") as store:
        runner = Runner(Desktop(backend, timeout=0.5), Launcher(), store, timeout=1.0, capture=False)
        outcome = runner.run(load_workflow(path), {})
    error = outcome.error or {}
    return outcome.status, str(error.get("message", ""))


def test_the_second_checkbutton_is_the_second_on_screen(tmp_path: Path) -> None:
    backend = FakeBackend({"factory": factory()})
    status, message = run(tmp_path, backend, 'Check the second "checkbutton"', "Turn on the second switch")
    assert status == "succeeded", message
    assert backend.calls("set_checked") == [("middle", True), ("sw2", True)]
    checked = {node.ref for node in backend.snapshot("app").walk() if "checked" in node.states}
    assert checked == {"top", "middle", "bottom", "sw2"}  # what the app holds afterwards


def test_the_last_counts_from_the_end(tmp_path: Path) -> None:
    backend = FakeBackend({"factory": factory()})
    status, message = run(tmp_path, backend, 'Uncheck the last "checkbutton"')
    assert status == "succeeded", message
    assert backend.calls("set_checked") == [("bottom", False)]


def test_a_position_past_the_end_names_what_there_is(tmp_path: Path) -> None:
    backend = FakeBackend({"factory": factory()})
    status, message = run(tmp_path, backend, 'Check the fifth "checkbutton"')
    assert status == "failed"
    assert "The fifth 'checkbutton' is not there: only 3 match" in message, message
    assert backend.calls("set_checked") == []  # nothing was touched


def grouped() -> Node:
    return n(
        "app",
        "application",
        "factory",
        n(
            "main",
            "window",
            "Factory",
            n("g1", "group", "Printing", n("p-ok", "checkbox", "Enabled", bounds=Bounds(10, 10, 80, 20))),
            n("g2", "group", "Sharing", n("s-ok", "checkbox", "Enabled", bounds=Bounds(10, 50, 80, 20))),
            states=SHOWN | {"active"},
        ),
    )


def test_in_a_group_scopes_the_search_to_it(tmp_path: Path) -> None:
    backend = FakeBackend({"factory": grouped()})
    status, message = run(tmp_path, backend, 'Check "Enabled" in "Sharing"')
    assert status == "succeeded", message
    assert backend.calls("set_checked") == [("s-ok", True)]


def test_a_group_that_is_not_there_is_named(tmp_path: Path) -> None:
    backend = FakeBackend({"factory": grouped()})
    status, message = run(tmp_path, backend, 'Check "Enabled" in "Network"')
    assert status == "failed"
    assert "Nothing called 'Enabled'" in message and "window or group 'Network'" in message, message
