"""The step forms that no other test ran, through the runner on real apps, each judged by the app's own output:
the Qt form's printed values, zenity's printed choice, the GTK3 form's printed values after a context menu's
item ran, mousepad's process ending."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from tests.integration.steps_helper import runner_on_desktop

from deskhand.runner.run import Runner
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

QT_FORM = Path(__file__).resolve().parents[1] / "apps" / "qt_form.py"
GTK3_VALUES = QT_FORM.with_name("gtk3_values.py")

QT_STEPS = """---
name: qt-kinds
apps: [qt_form.py]
---
1. Switch to "deskhand Qt form"
2. Check "Subscribe to newsletter"
3. Uncheck "Subscribe to newsletter"
4. Type "Ada Lovelace" into "Name"
5. Read "Name" as who
6. Type "{who}" into "Email"
7. Expect "Email" to show "Ada Lovelace"
8. Expect "Email" to contain "Lovelace"
9. Press Alt+N
10. Press Ctrl+A
11. Type "Grace"
12. Expect "Submit" to appear
13. Click "Submit"
14. Wait until "Subscribe to newsletter" disappears
15. Expect "Subscribe to newsletter" to disappear
"""

LIST_STEPS = """---
name: list-kinds
apps: [zenity]
---
1. Switch to "Fruit"
2. Double-click "banana"
"""

CONTEXT_MENU_STEPS = """---
name: context-menu-kind
apps: [gtk3_values.py]
---
1. Switch to "deskhand GTK3 values"
2. Type "Ada" into "Name"
3. Right-click "Name"
4. Expect "Select All" to appear
5. Click "Select All"
6. Type "Grace"
7. Click "Done"
"""

CLOSE_STEPS = """---
name: close-kind
apps: [mousepad]
---
1. Close "notes.txt"
"""


@pytest.fixture
def desk() -> Iterator[tuple[VirtualDesktop, Runner]]:
    with runner_on_desktop(timeout=10.0, capture=False) as (virtual, runner, _):
        yield virtual, runner


def run(runner: Runner, folder: Path, text: str) -> list[str]:
    path = folder / "wf.md"
    path.write_text(text, encoding="utf-8")
    outcome = runner.run(load_workflow(path), {}, use_lock=False)
    assert outcome.status == "succeeded", (outcome.error, [(s.n, s.status, s.reason) for s in outcome.steps])
    return [s.status for s in outcome.steps]


def printed(app: LaunchedApp) -> str:
    psutil.Process(app.pid).wait(15)
    return app.log_path.read_text(encoding="utf-8").strip().splitlines()[-1]


def test_check_uncheck_read_as_expect_press_and_disappear_on_the_qt_form(
    desk: tuple[VirtualDesktop, Runner], tmp_path: Path
) -> None:
    virtual, runner = desk
    form = virtual.launch([sys.executable, str(QT_FORM)], timeout=30)
    assert run(runner, tmp_path, QT_STEPS) == ["succeeded"] * 15
    # Unchecked after checking; Email took the value Read gave; Alt+N (the label's mnemonic) focused Name, Ctrl+A
    # then typing replaced it.
    values = json.loads(printed(form))
    assert (values["subscribe"], values["email"], values["name"]) == (False, "Ada Lovelace", "Grace"), values


def test_double_click_activates_a_list_row(desk: tuple[VirtualDesktop, Runner], tmp_path: Path) -> None:
    virtual, runner = desk
    chooser = virtual.launch(["zenity", "--list", "--title=Fruit", "--column=Fruit", "apple", "banana", "cherry"])
    run(runner, tmp_path, LIST_STEPS)
    assert printed(chooser) == "banana"  # zenity prints the row a double-click chose, and ends


def test_right_click_opens_the_context_menu_whose_item_runs(
    desk: tuple[VirtualDesktop, Runner], tmp_path: Path
) -> None:
    virtual, runner = desk
    form = virtual.launch(["/usr/bin/python3", str(GTK3_VALUES)], timeout=30)
    assert run(runner, tmp_path, CONTEXT_MENU_STEPS) == ["succeeded"] * 7
    # The context menu's Select All selected "Ada", so typing replaced it: the app holds only "Grace".
    assert json.loads(printed(form))["name"] == "Grace"


def test_close_closes_the_window(desk: tuple[VirtualDesktop, Runner], tmp_path: Path) -> None:
    virtual, runner = desk
    notes = tmp_path / "notes.txt"
    notes.write_text("unchanged\n")
    editor = virtual.launch(["mousepad", str(notes)], timeout=30)
    run(runner, tmp_path, CLOSE_STEPS)
    psutil.Process(editor.pid).wait(15)  # its only window closed: mousepad ended
    assert notes.read_text() == "unchanged\n"
