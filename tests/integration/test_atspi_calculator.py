"""gnome-calculator (GTK4): press 12 × 34 = with its buttons and read the display.

GTK4 sets VISIBLE but never SHOWING on child widgets and fills the bulk cache only with nodes somebody
walked, so this proves the live fill-in and the VISIBLE-based bounds.
"""

from __future__ import annotations

import pytest

from deskhand.locate import Desktop, expect
from deskhand.sandbox import VirtualDesktop

pytestmark = pytest.mark.desktop


def test_twelve_times_thirty_four(atspi_session: tuple[VirtualDesktop, Desktop]) -> None:
    virtual, desk = atspi_session
    app = virtual.launch(["gnome-calculator"], timeout=30)
    calculator = desk.app(app.name)
    for key in ("1", "2", "×", "3", "4", "="):
        calculator.get_by_role("button", name=key).click()
    # The editable line (a GtkSourceView) shows the result once "=" is pressed.
    display = calculator.get_by_role("textbox").filter(states=frozenset({"editable"})).first
    expect(display).to_have_text("408", exact=True)
    assert display.text() == "408"
