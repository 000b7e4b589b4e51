"""What a person can do about an app that shows nothing to accessibility tools, judged by the toolkit libraries
its process has loaded (``/proc/<pid>/maps``): some toolkits expose their controls only when asked, some never."""

from __future__ import annotations

import contextlib
import re

# (library file name pattern, what to do), the first that matches wins: Qt and Java and Chromium-based apps
# must be asked; GTK exposes itself on the bus it finds when it starts; Tk and the Athena widgets (xterm) never.
_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/libQt\d*(Core|Gui)"), "start it with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 in its environment"),
    (re.compile(r"/libjvm\.so"), "start it with the Java ATK wrapper (package libatk-wrapper-java-jni)"),
    (
        re.compile(r"/(libcef|libelectron|libnode)\.so|/chrom(e|ium)\b"),
        "start it with --force-renderer-accessibility",
    ),
    (
        re.compile(r"/libgtk-(3|4)"),
        "start it again on this desktop's accessibility bus, without NO_AT_BRIDGE=1 in its environment",
    ),
    (re.compile(r"/libtk\d"), "Tk exposes nothing; an app made with GTK or Qt can be recorded"),
)
_ANY = "its toolkit exposes nothing; an app made with GTK or Qt can be recorded"


def hint_for(libraries: str) -> str:
    """What to do, for a process whose memory map (``/proc/<pid>/maps``'s text) is ``libraries``."""
    return next((hint for pattern, hint in _HINTS if pattern.search(libraries)), _ANY)


def libraries_of(pid: int) -> str:
    """The process's memory map, or '' when it cannot be read (gone, another user's)."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
        return maps.read()
    return ""


def shows_nothing_line(app: str, title: str, hint: str) -> str:
    """The one line told for such an app, as its first click happens (or at the start, for --app)."""
    named = f'{app} ("{title}")' if title and title != app else app
    return f"{named} shows nothing to accessibility tools; its clicks are not recorded ({hint})."


def not_recorded_note(clicks: dict[str, int]) -> str:
    """Why the recording is partial, for its file: empty when no click went unrecorded."""
    counted = [(app, n) for app, n in clicks.items() if n]
    if not counted:
        return ""
    parts = [f"{n} click{'s' if n != 1 else ''} in {app}" for app, n in counted]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    total = sum(n for _, n in counted)
    verb = "was" if total == 1 else "were"
    them = "it shows" if len(counted) == 1 else "they show"
    return f"{listed} {verb} not recorded ({them} nothing to accessibility tools)."
