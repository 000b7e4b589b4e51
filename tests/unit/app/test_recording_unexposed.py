"""Apps that show nothing to accessibility tools, while recording: told once, counted, named in the file; never a
window whose process is an app on the bus, nor the bare desktop."""

from __future__ import annotations

from deskhand.app.recording.exposing import hint_for, not_recorded_note, shows_nothing_line
from deskhand.app.recording.unexposed import UnexposedApps
from deskhand.app.recording.xpresses import Press
from deskhand.backends.base import AppInfo
from deskhand.backends.x11.windows import XWindow
from deskhand.errors import BackendError
from deskhand.tree.node import Bounds

TK = XWindow(11, "deskhand Tk form", "tk_form", "Tk_form", 501, Bounds(600, 100, 520, 420), True, False)
XTERM = XWindow(12, "xterm", "xterm", "XTerm", 502, Bounds(0, 600, 300, 200), True, False)
GTK = XWindow(13, "deskhand GTK3 values", "gtk3_values.py", "Gtk3_values.py", 503, Bounds(0, 0, 460, 560), True, False)
BUS = [AppInfo(":1.5|/org/a11y/atspi/accessible/root", "gtk3_values.py", 503, "GTK", ())]


class Display:
    def __init__(self, *windows: XWindow) -> None:
        self.windows = list(windows)

    def at(self, x: int, y: int) -> XWindow | None:
        inside = [w for w in self.windows if w.bounds.contains(Bounds(x, y, 1, 1))]
        return inside[-1] if inside else None

    def toplevels(self) -> list[XWindow]:
        return list(self.windows)


def _unexposed(
    display: Display, apps: list[AppInfo], told: list[str], *, wanted: tuple[str, ...] = (), age: float = 60.0
) -> UnexposedApps:
    return UnexposedApps(
        display,
        lambda: apps,
        wanted=wanted,
        tell=told.append,
        clock=lambda: 1000.0,
        started=lambda pid: 1000.0 - age,
        libraries=lambda pid: "",  # the fake processes map no toolkit: the general hint
        alive=lambda pid: True,
    )


def _press_on_nothing(unexposed: UnexposedApps, x: int, y: int, at: int = 0) -> None:
    press = Press(x, y, 1, at)
    unexposed.note(press)  # as X RECORD hands it over
    unexposed.pressed_on_nothing(press)  # once understood: nothing in the trees there


def test_an_app_off_the_bus_is_told_once_and_every_click_on_it_counted() -> None:
    told: list[str] = []
    unexposed = _unexposed(Display(GTK, TK, XTERM), BUS, told)
    _press_on_nothing(unexposed, 700, 200, 1)
    _press_on_nothing(unexposed, 710, 210, 2)
    _press_on_nothing(unexposed, 10, 700, 3)
    assert told == [
        'tk_form ("deskhand Tk form") shows nothing to accessibility tools; its clicks are not recorded '
        "(its toolkit exposes nothing; an app made with GTK or Qt can be recorded).",
        "xterm shows nothing to accessibility tools; its clicks are not recorded "
        "(its toolkit exposes nothing; an app made with GTK or Qt can be recorded).",
    ]
    assert unexposed.clicks == {"tk_form": 2, "xterm": 1}
    assert unexposed.note_for_file() == (
        "2 clicks in tk_form and 1 click in xterm were not recorded (they show nothing to accessibility tools)."
    )


def test_a_window_of_an_app_on_the_bus_and_the_bare_desktop_are_never_told() -> None:
    told: list[str] = []
    unexposed = _unexposed(Display(GTK, TK), BUS, told)
    _press_on_nothing(unexposed, 450, 550)  # the GTK window's empty margin (or a web page): no step, rightly
    _press_on_nothing(unexposed, 1200, 790)  # no window there
    assert told == [] and unexposed.clicks == {} and unexposed.note_for_file() == ""


def test_a_press_that_made_a_step_is_forgotten() -> None:
    told: list[str] = []
    unexposed = _unexposed(Display(TK), [], told)
    press = Press(700, 200, 1, 5)
    unexposed.note(press)
    unexposed.forget(press)
    unexposed.pressed_on_nothing(press)  # no window kept for it any more
    assert told == [] and unexposed.clicks == {}


def test_a_young_process_gets_the_time_apps_take_to_join_the_bus() -> None:
    apps: list[AppInfo] = []
    slept: list[float] = []
    told: list[str] = []
    unexposed = UnexposedApps(
        Display(GTK),
        lambda: list(apps),
        tell=told.append,
        clock=lambda: 1000.0,
        started=lambda pid: 999.5,  # mapped its window half a second ago
        sleep=lambda s: (slept.append(s), apps.extend(BUS)),  # registers meanwhile
        alive=lambda pid: True,
    )
    _press_on_nothing(unexposed, 100, 100)
    assert slept == [1.5] and told == []


def test_with_app_names_only_those_apps_count() -> None:
    told: list[str] = []
    unexposed = _unexposed(Display(TK, XTERM), [], told, wanted=("XTerm",))
    _press_on_nothing(unexposed, 700, 200)
    _press_on_nothing(unexposed, 10, 700)
    assert unexposed.clicks == {"xterm": 1} and len(told) == 1 and told[0].startswith("xterm shows nothing")


def test_app_names_not_on_the_bus_are_told_at_the_start() -> None:
    told: list[str] = []
    unexposed = _unexposed(Display(GTK, TK), BUS, told, wanted=("tk_form", "gnumeric", "gtk3_values.py"))
    unexposed.at_start()
    assert told == [
        "No app called 'gnumeric' is on the accessibility bus or has a window on this display; its steps are "
        "recorded once it is started (apps on the bus now: gtk3_values.py).",
        'tk_form ("deskhand Tk form") shows nothing to accessibility tools; its clicks are not recorded '
        "(its toolkit exposes nothing; an app made with GTK or Qt can be recorded).",
    ]
    _press_on_nothing(unexposed, 700, 200)  # told at the start: counted, not told again
    assert len(told) == 2 and unexposed.note_for_file() == (
        "1 click in tk_form was not recorded (it shows nothing to accessibility tools)."
    )


def test_the_hint_follows_the_toolkit_the_process_loaded() -> None:
    def maps(*paths: str) -> str:
        return "".join(f"7f00-7f01 r-xp 00000000 08:01 1 {p}\n" for p in paths)

    assert hint_for(maps("/usr/lib/x86_64-linux-gnu/libtk8.6.so")).startswith("Tk exposes nothing")
    qt = maps("/usr/lib/x86_64-linux-gnu/libQt5Core.so.5", "/usr/lib/x86_64-linux-gnu/libgtk-3.so.0")
    assert "QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1" in hint_for(qt)  # Qt's GTK theme plugin loads GTK too
    assert "libatk-wrapper-java-jni" in hint_for(maps("/usr/lib/jvm/java-17/lib/server/libjvm.so"))
    assert "--force-renderer-accessibility" in hint_for(maps("/usr/lib/chromium/chromium"))
    assert "NO_AT_BRIDGE" in hint_for(maps("/usr/lib/x86_64-linux-gnu/libgtk-3.so.0"))
    assert hint_for(maps("/usr/lib/x86_64-linux-gnu/libXaw7.so.7")).startswith("its toolkit exposes nothing")
    assert hint_for("") == hint_for(maps("/usr/bin/xterm"))


def test_the_line_and_the_note_read_well() -> None:
    assert (
        shows_nothing_line("xterm", "xterm", "h")
        == "xterm shows nothing to accessibility tools; its clicks are not recorded (h)."
    )
    assert not_recorded_note({}) == not_recorded_note({"tk_form": 0}) == ""
    assert not_recorded_note({"a": 1, "b": 2, "c": 3}) == (
        "1 click in a, 2 clicks in b and 3 clicks in c were not recorded (they show nothing to accessibility tools)."
    )


def test_a_bus_that_cannot_list_its_apps_tells_nothing_on_a_guess() -> None:
    def failing() -> list[AppInfo]:
        raise BackendError("The accessibility bus did not answer.")

    told: list[str] = []
    unexposed = UnexposedApps(Display(TK), failing, wanted=("tk_form",), tell=told.append, alive=lambda pid: True)
    unexposed.at_start()
    _press_on_nothing(unexposed, 700, 200)
    assert told == [] and unexposed.clicks == {}


def test_an_app_that_left_the_bus_or_quit_is_not_told() -> None:
    # A press on Done quit the GTK app: it left the bus before its window went, or is gone altogether.
    apps = list(BUS)
    told: list[str] = []
    unexposed = _unexposed(Display(GTK), apps, told)
    unexposed.at_start()  # on the bus when the recording started
    apps.clear()
    _press_on_nothing(unexposed, 100, 100)
    gone = UnexposedApps(Display(TK), list, tell=told.append, alive=lambda pid: False)
    _press_on_nothing(gone, 700, 200)
    assert told == [] and unexposed.clicks == gone.clicks == {}
