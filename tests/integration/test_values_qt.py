"""Values that commit, Qt: each widget kind edited by a step, judged by what the app prints on Done.

The app (tests/apps/qt_values.py) prints the values it reads the usual way (``value()``, ``currentText()``,
``date()``...). Qt has no switch widget; its date and time edits are spin boxes whose text is no number.
"""

from __future__ import annotations

import sys

import pytest
from tests.integration.steps_helper import APPS, Session, app_and_runner, printed_after_done, printed_json, run_steps

from deskhand.errors import ActionFailed

pytestmark = pytest.mark.desktop

APP = [sys.executable, str(APPS / "qt_values.py")]
LAUNCH_S = 30.0
TITLE = "deskhand Qt values"


def edit_then_done(atspi_session: Session, *sentences: str) -> dict[str, object]:
    return printed_after_done(atspi_session, APP, *sentences, timeout=LAUNCH_S)


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ('Type "Ada Lovelace" into "Name"', "name", "Ada Lovelace"),
        ('Type "s3cret!" into "Secret"', "secret", "s3cret!"),
        ('Type "line one\nline two" into "Notes"', "notes", "line one\nline two"),
        ('Type "42" into "Seats"', "seats", 42),
        ('Set "Volume" to 37', "volume", 37),
        ('Choose "Enterprise" from "Plan"', "plan", "Enterprise"),
        ('Type "grace@example.org" into "To"', "to", "grace@example.org"),
        ('Type "2025-03-09" into "Start date"', "start_date", "2025-03-09"),
        ('Type "17:45" into "Start time"', "start_time", "17:45"),
        ('Check "Subscribe"', "subscribe", True),
        ('Click "Large"', "size", "Large"),
    ],
    ids=["entry", "password", "multiline", "spin", "slider", "combo", "combo-entry", "date", "time", "check", "radio"],
)
def test_each_widget_kind_commits(atspi_session: Session, sentence: str, key: str, value: object) -> None:
    printed = edit_then_done(atspi_session, sentence)
    assert printed[key] == value


def test_a_choose_from_a_combo_with_an_entry_commits(atspi_session: Session) -> None:
    assert edit_then_done(atspi_session, 'Choose "alan@example.org" from "To"')["to"] == "alan@example.org"


def test_a_clamped_spin_value_fails_saying_what_the_app_holds(atspi_session: Session) -> None:
    with app_and_runner(atspi_session, APP, timeout=LAUNCH_S) as (app, runner):
        with pytest.raises(ActionFailed) as failure:
            run_steps(runner, 'Type "500" into "Seats"')
        assert "'100'" in failure.value.message and "'500'" in failure.value.message
        run_steps(runner, 'Click "Done"')
        assert printed_json(app)["seats"] == 100
