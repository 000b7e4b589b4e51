"""Every form of the step language run through the Runner on the fake backend, each judged by what reached the
backend (its call log) and what the run recorded."""

from __future__ import annotations

from pathlib import Path

from tests.unit.fake_nodes import EDITABLE, SHOWN, n

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.tree.node import Node
from deskhand.workflows.parse import load_workflow


def editor() -> Node:
    return n(
        "app",
        "application",
        "editor",
        n(
            "main",
            "window",
            "Editor",
            n("rows", "list", "Rows", n("row1", "listitem", "Row 1"), n("row2", "listitem", "Row 2")),
            n("wrap", "checkbox", "Wrap lines", states=SHOWN | {"checked"}),
            n("title", "textbox", "Title", value="Draft 7", states=EDITABLE),
            n("copy", "textbox", "Copy of", value="", states=EDITABLE),
            n("saved", "label", "Saved"),
            n("dismiss", "button", "Dismiss"),
            states=SHOWN | {"active"},
        ),
        n("notes", "window", "Notes", n("body", "textbox", "Notes body", value="", states=EDITABLE)),
    )


WORKFLOW = """---
name: every-kind
apps: [editor]
---
1. Switch to "Notes"
2. Switch to "Editor"
3. Double-click "Row 1"
4. Right-click "Row 2"
5. Uncheck "Wrap lines"
6. Press Ctrl+Shift+S
7. Read "Title" as title
8. Type "{title} (copy)" into "Copy of"
9. Expect "Copy of" to show "Draft 7 (copy)"
10. Expect "Copy of" to contain "(copy)"
11. Expect "Saved" to appear
12. Click "Dismiss"
13. Wait until "Saved" disappears
14. Expect "Saved" to disappear
15. Close "Notes"
"""


class Launcher:
    def open_app(self, name: str) -> str:
        return name

    def open_url(self, url: str, browser: str = "") -> str:
        return "browser"


class ClosingBackend(FakeBackend):
    """Ctrl+W closes the active window, as in most apps."""

    def press(self, keys: str) -> None:
        super().press(keys)
        if keys == "Ctrl+W":
            active = next(n for n in self.snapshot("app").children if "active" in n.states)
            self.remove(active.ref)


def test_every_step_kind_reaches_the_backend_as_it_says(tmp_path: Path) -> None:
    backend = ClosingBackend({"editor": editor()})
    backend.on_click("dismiss", lambda fake: fake.remove("saved"))
    path = tmp_path / "every.md"
    path.write_text(WORKFLOW, encoding="utf-8")
    with RunStore(tmp_path / "runs.db") as store:
        runner = Runner(Desktop(backend, timeout=0.5), Launcher(), store, timeout=2.0, capture=False)
        outcome = runner.run(load_workflow(path), {})
        assert [s.status for s in outcome.steps] == ["succeeded"] * 15, outcome.error
        record = store.get_run(outcome.run_id)
    assert record.status == "succeeded"
    clicks = backend.calls("click")
    assert ("row1", "left", 2) in clicks  # Double-click
    assert ("row2", "right", 1) in clicks  # Right-click
    assert ("wrap", False) in backend.calls("set_checked")  # Uncheck
    assert ("Ctrl+Shift+S",) in backend.calls("press")  # a chord, as written
    assert ("copy", "Draft 7 (copy)") in backend.calls("set_text")  # Read as, then used by a later step
    assert [c[0] for c in backend.calls("activate_window")][:2] == ["notes", "main"]  # Switch to
    assert not any(node.ref == "saved" for node in backend.snapshot("app").walk())
    acts = [entry for entry in backend.log if entry[0] in ("activate_window", "press")]
    assert acts[-2:] == [("activate_window", "notes"), ("press", "Ctrl+W")]
    assert "notes" not in {node.ref for node in backend.snapshot("app").walk()}  # Close: the window went away


def test_close_fails_when_the_window_stays(tmp_path: Path) -> None:
    backend = FakeBackend({"editor": editor()})  # Ctrl+W closes nothing here (an app asking to save, say)
    path = tmp_path / "close.md"
    path.write_text('---\nname: close\napps: [editor]\n---\n1. Close "Notes"\n', encoding="utf-8")
    with RunStore(tmp_path / "runs.db") as store:
        runner = Runner(Desktop(backend, timeout=0.5), Launcher(), store, timeout=0.5, capture=False)
        outcome = runner.run(load_workflow(path), {})
    assert outcome.steps[0].status == "failed"
    assert "The window 'Notes' is still open after Ctrl+W" in (outcome.steps[0].reason or ""), outcome.steps[0]
