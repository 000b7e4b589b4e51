"""A Read whose words name nothing is offered what shows a value, when only a few elements do (a calculator's
unnamed display): the sentence resolves to that element, checked on the screen."""

from __future__ import annotations

from pathlib import Path

from tests.unit.steps.test_every_step_kind import SHOWN, Launcher, n

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.tree.node import Node
from deskhand.workflows.parse import load_workflow


def calculator(*fields: Node) -> FakeBackend:
    keys = [n(f"k{d}", "button", str(d)) for d in range(10)]
    window = n("win", "window", "Calculator", *keys, *fields, states=SHOWN | {"active"})
    return FakeBackend({"calc": n("app", "application", "calc", window)})


def failed_read(tmp_path: Path, backend: FakeBackend) -> dict[str, object]:
    path = tmp_path / "read.md"
    path.write_text('---\nname: read\napps: [calc]\n---\n1. Read "Result" as answer\n', encoding="utf-8")
    with RunStore(tmp_path / "runs.db") as store:
        runner = Runner(Desktop(backend, timeout=0.2), Launcher(), store, timeout=0.2, capture=False)
        outcome = runner.run(load_workflow(path), {})
    assert outcome.status == "failed" and outcome.error is not None
    return outcome.error


def test_the_only_value_on_screen_is_offered(tmp_path: Path) -> None:
    display = n("display", "textbox", "GtkSourceView", value="42", states=SHOWN | {"editable"})
    history = n("history", "textbox", "GtkTextView", value="", states=SHOWN | {"readonly"})
    error = failed_read(tmp_path, calculator(display, history))
    (offered,) = error["suggestions"]  # type: ignore[misc]
    assert offered["sentence"] == 'Read "GtkSourceView" as answer'
    assert any("shows '42'" in reason for reason in offered["reasons"])
    assert not offered["strong"]  # for a person to take, never applied by --repair alone


def test_a_form_full_of_values_offers_none_of_them(tmp_path: Path) -> None:
    fields = [n(f"f{i}", "textbox", f"Field {i}", value=f"v{i}", states=SHOWN | {"editable"}) for i in range(4)]
    error = failed_read(tmp_path, calculator(*fields))
    assert not error.get("suggestions")


def test_a_display_its_words_cannot_name_is_offered_by_its_place(tmp_path: Path) -> None:
    # Two fields of one name (a toolkit's class name, as GTK 4 gives unnamed widgets): the words find both.
    empty = n("memory", "textbox", "GtkTextView", value="", states=SHOWN | {"readonly"})
    display = n("display", "textbox", "GtkTextView", value="42", states=SHOWN | {"readonly"})
    error = failed_read(tmp_path, calculator(empty, display))
    (offered,) = error["suggestions"]  # type: ignore[misc]
    assert offered["sentence"] == "Read the second text field as answer"
