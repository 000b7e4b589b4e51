"""Presses the recorder could not make steps of: on nothing the watched apps show to accessibility (an app
that exposes nothing, one left out by ``--app``, the bare desktop). Each is told as it happens, and the file
is marked partial, naming how many: replaying it would not do what the person did."""

from __future__ import annotations

from deskhand.app.recording.xpresses import Press


def unseen_line(press: Press) -> str:
    """One line for the person recording, as the press happens."""
    return (
        f"A click at ({press.x}, {press.y}) landed on nothing the recorded apps show to accessibility; it is not "
        "in the recording (an app that exposes nothing, or one outside --app, cannot be recorded)."
    )


def unseen_note(count: int) -> str:
    """Why the recording is partial, for its file: empty when every press became a step or part of one."""
    if not count:
        return ""
    clicks = "1 click" if count == 1 else f"{count} clicks"
    verb = "is" if count == 1 else "are"
    return f"{clicks} landed on nothing the recorded apps show to accessibility and {verb} not in it."
