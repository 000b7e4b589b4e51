"""zenity --forms (GTK3) through the AT-SPI backend and locators: every field type, then OK; zenity's stdout.

zenity's form entries have no name and no LABELLED_BY relation, so ``get_by_label`` works by geometry here.
"""

from __future__ import annotations

import datetime

import psutil
import pytest

from deskhand.locate import Desktop, expect
from deskhand.sandbox import LaunchedApp, VirtualDesktop
from deskhand.tree.roles import State

pytestmark = pytest.mark.desktop

FORM = [
    "zenity",
    "--forms",
    "--title=Signup",
    "--text=Tell us about you",
    "--forms-date-format=%Y-%m-%d",
    "--add-entry=Name",
    "--add-password=Secret",
    "--add-calendar=Birthday",
    "--add-combo=Plan",
    "--combo-values=Basic|Pro|Enterprise",
    "--add-list=Color",
    "--list-values=Red|Green|Blue",
]


def stdout_of(app: LaunchedApp, timeout: float = 10.0) -> list[str]:
    """The app's output lines once it has exited, without GTK's warnings."""
    psutil.Process(app.pid).wait(timeout)
    lines = app.log_path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("(") and "CRITICAL" not in line]


def test_every_field_type_then_ok(atspi_session: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = atspi_session
    app = virtual.launch(FORM)
    form = desk.app("zenity").window("Signup")

    form.get_by_label("Name").fill("Ada Lovelace")
    secret = form.get_by_label("Secret").fill("s3cret!")
    assert State.PASSWORD in secret.node.states
    form.get_by_label("Plan").select_option("Pro")
    expect(form.get_by_label("Plan")).to_have_text("Pro")
    form.get_by_role("cell", name="Green").click()
    expect(form.get_by_role("cell", name="Green").filter(states=frozenset({State.SELECTED}))).to_be_visible()
    # The calendar keeps today's date: GTK3's calendar exposes no days to AT-SPI, only the widget.
    calendar = form.get_by_role("table").nth(1)
    assert calendar.resolve().node.raw_role == "calendar"
    form.get_by_role("button", name="OK").click()

    today = datetime.date.today().isoformat()
    assert stdout_of(app)[-1] == f"Ada Lovelace|s3cret!|{today}|Pro|Green"


def test_cancel_prints_nothing_and_ends(atspi_session: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = atspi_session
    app = virtual.launch([*FORM[:3], "--add-entry=Name"])
    form = desk.app("zenity").window("Signup")
    form.get_by_label("Name").fill("not sent")
    form.get_by_role("button", name="Cancel").click()
    assert stdout_of(app) == []
