"""How the slots a sentence form matched become an action (the forms themselves are in :mod:`.language`).

A builder answers ``None`` where the slots do not make the action after all (an empty name, "the File menu"
read as an application): the form then does not match that way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from deskhand.workflows import actions as a
from deskhand.workflows.keys import mentions_modifier, normalise_chord
from deskhand.workflows.tokens import Bindings

Builder = Callable[[Bindings], a.StepAction | None]

_URL_WITH_SCHEME = re.compile(r"^(?:https?|file)://\S+$|^www\.\S+$", re.IGNORECASE)
_HOST_LIKE = re.compile(r"^(?:localhost|[\w-]+(?:\.[\w-]+)+)(?::\d+)?(?:/\S*)?$", re.IGNORECASE)
_TEMPLATE_ONLY = re.compile(r"^\{\w+\}\S*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ROW_NUMBER = re.compile(r"^(?:[0-9]+|\{\w+\})$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)?$", re.IGNORECASE)
_CURRENT_WINDOW = frozenset(
    {"window", "it", "this window", "current window", "the current window", "active window", "the window"}
)
# Words that turn "Check ..." into a question about the screen rather than ticking a box.
_NOT_A_BOX = ("that ", "whether ", "if ", "for ")


def target_of(b: Bindings) -> a.Target | None:
    slot = b["target"]
    text = slot.text.strip()
    if not text and slot.kind is None:
        return None
    within = b["within"].text.strip() if "within" in b else None
    if within == "":
        return None
    return a.Target(text, within, slot.position, slot.kind)


def open_url(b: Bindings, *, loose: bool, browser: str = "") -> a.OpenUrl | None:
    url = b["url"].text.strip()
    if _URL_WITH_SCHEME.match(url) or _TEMPLATE_ONLY.match(url):
        return a.OpenUrl(url, browser)
    if loose and _HOST_LIKE.match(url):
        return a.OpenUrl(url, browser)
    return None


def open_app(b: Bindings) -> a.OpenApp | None:
    app = b["app"]
    if not app.quoted and (app.raw.startswith(("the ", "a ", "an ")) or " " in app.text.strip()):
        return None  # "Open the File menu" is not an application
    return a.OpenApp(app.text.strip()) if app.text.strip() else None


def click(button: str = "left", count: int = 1) -> Builder:
    def build(b: Bindings) -> a.StepAction | None:
        target = target_of(b)
        if target is None:
            return None
        if button == "left":
            return a.Click(target, "left", count)
        return a.Click(target, "right", count) if button == "right" else a.Click(target, "middle", count)

    return build


def press_or_click(b: Bindings) -> a.StepAction | None:
    chord = normalise_chord(b["target"].text)
    if chord is not None and "within" not in b:
        return a.Press(chord)
    target = target_of(b)
    # "Press Submit" reads as pressing a button when Submit is not a key; "Ctrl+Ctrl+S" is a typo.
    if target is None or chord is not None or "+" in target.text or mentions_modifier(target.text):
        return None
    return a.Click(target)


def type_text(b: Bindings) -> a.StepAction | None:
    if "target" not in b:
        return a.TypeText(b["text"].text) if b["text"].text else None
    target = target_of(b)
    return a.TypeText(b["text"].text, target) if target is not None else None


def choose(b: Bindings) -> a.StepAction | None:
    target = target_of(b)
    option = b["option"].text.strip()
    return a.Choose(option, target) if target is not None and option else None


def set_checked(checked: bool) -> Builder:
    def build(b: Bindings) -> a.StepAction | None:
        if not b["target"].quoted and b["target"].raw.startswith(_NOT_A_BOX):
            return None
        target = target_of(b)
        return a.SetChecked(target, checked) if target is not None else None

    return build


def seconds(text: str) -> float | None:
    """A duration ("5", "500 ms", "2 minutes") in seconds, or None if it is not one."""
    found = _DURATION.match(text.strip())
    if found is None:
        return None
    amount = float(found.group(1))
    unit = (found.group(2) or "s").casefold()
    if unit.startswith("ms") or unit.startswith("milli"):
        return amount / 1000
    return amount * 60 if unit.startswith("m") else amount


def wait_for(appear: bool, *, quoted_only: bool = False) -> Builder:
    def build(b: Bindings) -> a.StepAction | None:
        text = b["text"].text
        if not text.strip() or (quoted_only and not b["text"].quoted):
            return None
        if "duration" not in b:
            return a.WaitFor(text, appear)
        timeout = seconds(b["duration"].text)
        return a.WaitFor(text, appear, timeout) if timeout is not None and timeout > 0 else None

    return build


def read_into(b: Bindings) -> a.StepAction | None:
    target, name = target_of(b), variable_name(b)
    return a.Read(target, name) if target is not None and name is not None else None


def variable_name(b: Bindings) -> str | None:
    """The ``{name}`` slot as a variable's name (its braces optional), or None if it is not an identifier."""
    name = b["name"].text.strip()
    if name.startswith("{") and name.endswith("}"):
        name = name[1:-1]
    return name if _IDENTIFIER.match(name) else None


def cell_of(b: Bindings) -> a.Cell | None:
    text = b["cell"].text.strip()
    if not text:
        return None
    if "row" not in b:
        return a.Cell(text)
    row = b["row"].text.strip()
    return a.Cell(text, row) if _ROW_NUMBER.match(row) else None


def read_cell(b: Bindings) -> a.StepAction | None:
    cell, name = cell_of(b), variable_name(b)
    return a.ReadCell(cell, name) if cell is not None and name is not None else None


def type_cell(b: Bindings) -> a.StepAction | None:
    cell = cell_of(b)
    return a.TypeCell(b["text"].text, cell) if cell is not None else None


def expect_cell(b: Bindings) -> a.StepAction | None:
    cell = cell_of(b)
    return a.ExpectCell(cell, b["text"].text) if cell is not None else None


def read_cells(b: Bindings) -> a.StepAction | None:
    name = variable_name(b)
    if name is None:
        return None
    if "cells" in b:
        cells = b["cells"].text.strip()
        return a.ReadCells(name, cells) if cells else None
    sheet = b["sheet"].text.strip() if "sheet" in b else None
    return a.ReadCells(name, None, sheet) if sheet != "" else None


def expect_field(contains: bool) -> Builder:
    def build(b: Bindings) -> a.StepAction | None:
        target = target_of(b)
        return a.ExpectField(target, b["text"].text, contains) if target is not None else None

    return build


def expect_text(present: bool) -> Builder:
    def build(b: Bindings) -> a.StepAction | None:
        text = b["text"].text
        return a.ExpectText(text, present) if text.strip() else None

    return build


def close_window(b: Bindings) -> a.StepAction | None:
    window = b["window"]
    if not window.quoted and window.raw in _CURRENT_WINDOW:
        return a.Close(None)
    return a.Close(window.text.strip()) if window.text.strip() else None
