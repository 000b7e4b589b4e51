"""The PySide6 form (tests/apps/qt_form.py): line edits, combo, spin box, check box, Submit; its JSON.

Qt answers no ``Cache.GetItems`` and no ``Properties.GetAll``, and its combo box opens only by X click:
this proves the one-property-per-call reading and the X fallback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import psutil
import pytest

from deskhand.locate import Desktop, expect
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop

QT_FORM = Path(__file__).resolve().parents[1] / "apps" / "qt_form.py"


def test_fill_and_submit(atspi_session: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = atspi_session
    app = virtual.launch([sys.executable, str(QT_FORM)], timeout=30)
    form = desk.app(app.name).window("deskhand Qt form")

    form.get_by_label("Name").fill("Grace Hopper")
    form.get_by_label("Email").fill("grace@example.org")
    form.get_by_label("Plan").select_option("Enterprise")
    form.get_by_label("Seats").fill("12")
    form.get_by_role("checkbox", name="Subscribe").check()
    expect(form.get_by_label("Plan")).to_have_text("Enterprise")
    assert form.get_by_role("checkbox", name="Subscribe").is_checked()
    form.get_by_role("button", name="Submit").click()

    psutil.Process(app.pid).wait(10)
    lines = app.log_path.read_text(encoding="utf-8").splitlines()
    printed = [json.loads(line) for line in lines if line.startswith("{")]
    assert printed == [
        {"name": "Grace Hopper", "email": "grace@example.org", "plan": "Enterprise", "subscribe": True, "seats": 12}
    ]
