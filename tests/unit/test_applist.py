"""The kept application list (backends/atspi/applist.py): kept with no age limit, dropped by the events that
can change it, and a list read while such an event came in is not kept."""

from __future__ import annotations

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.applist import AppList
from deskhand.backends.base import AppInfo, WindowInfo

WINDOW = ":1.5|/org/a11y/atspi/accessible/3"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _apps() -> list[AppInfo]:
    window = WindowInfo(ref=WINDOW, title="Notes", role="frame", bounds=None, active=True)
    return [AppInfo(ref=f":1.5|{c.ROOT_PATH}", name="notes", pid=5, toolkit="GTK", windows=(window,))]


def _kept(clock: Clock) -> AppList:
    listed = AppList(clock)
    listed.keep(_apps(), listed.now())
    clock.now += 0.01
    return listed


def test_kept_however_long_nothing_happens() -> None:
    clock = Clock()
    listed = _kept(clock)
    clock.now += 3600
    listed.note(":1.5", c.I_EVENT_OBJECT, "TextChanged", "/org/a11y/atspi/accessible/9", "insert")
    listed.note(":1.5", c.I_EVENT_OBJECT, "StateChanged", "/org/a11y/atspi/accessible/9", "focused")
    assert listed.get() == _apps()


def test_each_event_that_changes_what_the_list_shows_drops_it() -> None:
    window_path = WINDOW.split("|")[1]
    for interface, member, path, detail in (
        (c.I_EVENT_OBJECT, "ChildrenChanged", c.ROOT_PATH, "add"),  # an app came, or a window to an app
        (c.I_EVENT_OBJECT, "PropertyChange", c.ROOT_PATH, "accessible-name"),  # an app renamed
        (c.I_EVENT_WINDOW, "Create", "/org/a11y/atspi/accessible/7", ""),
        (c.I_EVENT_OBJECT, "PropertyChange", window_path, "accessible-name"),
        (c.I_EVENT_OBJECT, "StateChanged", window_path, "active"),
        (c.I_EVENT_OBJECT, "BoundsChanged", window_path, ""),
    ):
        listed = _kept(Clock())
        listed.note(":1.5", interface, member, path, detail)
        assert listed.get() is None, (member, detail)


def test_a_list_read_while_its_window_changed_is_not_kept() -> None:
    clock = Clock()
    listed = AppList(clock)
    started = listed.now()
    clock.now += 0.005
    # Mid-read, before the list knows which paths are windows: the window is renamed.
    listed.note(":1.5", c.I_EVENT_OBJECT, "PropertyChange", WINDOW.split("|")[1], "accessible-name")
    listed.keep(_apps(), started)
    assert listed.get() is None
    clock.now += 0.005
    again = listed.now()
    listed.keep(_apps(), again)
    assert listed.get() == _apps()


def test_a_list_read_while_an_app_came_is_not_kept_but_one_about_other_windows_is() -> None:
    clock = Clock()
    listed = AppList(clock)
    started = listed.now()
    clock.now += 0.005
    listed.note(":1.9", c.I_EVENT_OBJECT, "StateChanged", "/org/a11y/atspi/accessible/4", "showing")
    listed.keep(_apps(), started)
    assert listed.get() == _apps()  # that element is no window of the list
    listed.drop()
    started = listed.now()
    clock.now += 0.005
    listed.note(c.REGISTRY, c.I_EVENT_OBJECT, "ChildrenChanged", c.ROOT_PATH, "add")
    listed.keep(_apps(), started)
    assert listed.get() is None
