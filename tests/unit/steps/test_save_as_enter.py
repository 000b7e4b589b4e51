"""`Save the file as` in a dialog with no single Save button presses Enter in its name field — only once the
dialog's accept button is enabled: GTK3's chooser ignores Enter while its default button is insensitive (until
150 ms after the last change to the name, docs/platform-notes.md). The step is judged by the file written."""

from __future__ import annotations

from pathlib import Path

from tests.unit.fake_nodes import SHOWN

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.tree.node import Node
from deskhand.workflows.parse import load_workflow

GREYED = frozenset({"visible", "showing", "focusable"})


def _editor() -> Node:
    view = Node("view", "textbox", "", value="final", states=SHOWN | {"editable", "multiline", "focused"})
    return Node(
        "app", "application", "editor", children=(Node("main", "window", "Editor", states=SHOWN, children=(view,)),)
    )


def _dialog() -> Node:
    name = Node("name", "textbox", "Name", value="", states=SHOWN | {"editable", "focused"})
    return Node(
        "dialog",
        "dialog",
        "Save File",
        states=SHOWN,
        children=(name, Node("cancel", "button", "Cancel", states=SHOWN), Node("ok", "button", "OK", states=GREYED)),
    )


class GtkLikeEditor(FakeBackend):
    """Ctrl+Shift+S opens a save dialog whose OK (its default) turns enabled a few reads after the name changed;
    Enter in the name field saves only while OK is enabled, as GTK3's chooser does."""

    def __init__(self, saved: Path) -> None:
        super().__init__({"editor": _editor()})
        self.saved = saved
        self.reads_until_enabled = -1
        self.ignored_enters = 0

    def snapshot(self, app_ref: str) -> Node:
        if self.reads_until_enabled > 0:
            self.reads_until_enabled -= 1
        elif self.reads_until_enabled == 0:
            self.reads_until_enabled = -1
            self.update("ok", states=SHOWN)
        return super().snapshot(app_ref)

    def set_text(self, ref: str, text: str) -> None:
        super().set_text(ref, text)
        if ref == "name":
            self.reads_until_enabled = 5

    def press(self, keys: str) -> None:
        self._record("press", keys)
        if keys == "Ctrl+Shift+S":
            main = self.snapshot("app").children[0]
            self.set_app("editor", Node("app", "application", "editor", children=(main, _dialog())))
        elif keys == "Enter":
            if "enabled" not in self._node("ok").states:
                self.ignored_enters += 1
                return
            self.saved.write_text("final", encoding="utf-8")
            self.remove("dialog")


def test_enter_waits_for_the_dialogs_accept_button_and_the_file_is_written(tmp_path: Path) -> None:
    saved = tmp_path / "note.txt"
    backend = GtkLikeEditor(saved)
    workflow = tmp_path / "save.md"
    workflow.write_text(f'---\nname: save\napps: [editor]\n---\n1. Save the file as "{saved}"\n', encoding="utf-8")
    with RunStore(tmp_path / "runs.db") as store:
        runner = Runner(Desktop(backend, timeout=2.0), Launcher(), store, timeout=2.0, capture=False)
        outcome = runner.run(load_workflow(workflow), {})
    assert outcome.steps[0].status == "succeeded", outcome.steps[0]
    assert saved.read_text(encoding="utf-8") == "final"
    assert backend.ignored_enters == 0
    assert [call for call in backend.calls("press") if call == ("Enter",)] == [("Enter",)]


class Launcher:
    def open_app(self, name: str) -> str:
        return name

    def open_url(self, url: str, browser: str = "") -> str:
        return "browser"
