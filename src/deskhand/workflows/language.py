"""The deterministic step language: sentences a workflow can run without a language model.

Each form is a list of sentence patterns (see :mod:`deskhand.workflows.tokens`) and a builder that turns
the matched slots into an action. Matching is case-insensitive, accepts straight and curly quotes and
ignores a trailing full stop; quotes are optional where the sentence is unambiguous. A sentence that fits a
pattern in two different ways is ambiguous and is *not* in the language (quoting fixes it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from deskhand.workflows import pointer_sentences as ps
from deskhand.workflows.actions import (
    AttachFile,
    Cell,
    Choose,
    ChooseFile,
    Click,
    Close,
    ExpectCell,
    ExpectField,
    ExpectText,
    GoToHeading,
    OpenApp,
    OpenUrl,
    Press,
    Read,
    ReadCell,
    ReadCells,
    ReadDocument,
    SaveAs,
    SetChecked,
    StepAction,
    SwitchTo,
    Target,
    TypeCell,
    TypeInDocument,
    TypeText,
    WaitFor,
)
from deskhand.workflows.keys import mentions_modifier, normalise_chord
from deskhand.workflows.tokens import Bindings, match, tokenize

_WITHIN = "in|inside|within {within}"
_URL_WITH_SCHEME = re.compile(r"^(?:https?|file)://\S+$|^www\.\S+$", re.IGNORECASE)
_HOST_LIKE = re.compile(r"^(?:localhost|[\w-]+(?:\.[\w-]+)+)(?::\d+)?(?:/\S*)?$", re.IGNORECASE)
_TEMPLATE_ONLY = re.compile(r"^\{\w+\}\S*$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)?$", re.IGNORECASE)
_CURRENT_WINDOW = frozenset(
    {"window", "it", "this window", "current window", "the current window", "active window", "the window"}
)
# Words that turn "Check ..." into a question about the screen rather than ticking a box.
_NOT_A_BOX = ("that ", "whether ", "if ", "for ")


@dataclass(frozen=True, slots=True)
class Form:
    """One sentence form: its patterns (most specific first) and how matched slots become an action."""

    name: str
    patterns: tuple[str, ...]
    build: Callable[[Bindings], StepAction | None]
    within: bool = False

    def expanded(self) -> Iterator[str]:
        """The patterns, each ending in ``{target}`` preceded by its ``in "<window>"`` variant."""
        for pattern in self.patterns:
            if self.within and pattern.endswith("{target}"):
                yield f"{pattern} {_WITHIN}"
            yield pattern


def parse_step(sentence: str) -> StepAction | None:
    """The action a sentence means in the step language, or ``None`` if it is free-form text."""
    tokens = tokenize(sentence)
    if not tokens:
        return None
    for form in FORMS:
        for pattern in form.expanded():
            actions: list[StepAction] = []
            for bindings in match(pattern, tokens):
                action = form.build(bindings)
                if action is not None and action not in actions:
                    actions.append(action)
            if len(actions) == 1:
                return actions[0]
            if len(actions) > 1:
                return None  # ambiguous: the person has to quote
    return None


def _target(b: Bindings) -> Target | None:
    slot = b["target"]
    text = slot.text.strip()
    if not text and slot.kind is None:
        return None
    within = b["within"].text.strip() if "within" in b else None
    if within == "":
        return None
    return Target(text, within, slot.position, slot.kind)


def _url(b: Bindings, *, loose: bool, browser: str = "") -> OpenUrl | None:
    url = b["url"].text.strip()
    if _URL_WITH_SCHEME.match(url) or _TEMPLATE_ONLY.match(url):
        return OpenUrl(url, browser)
    if loose and _HOST_LIKE.match(url):
        return OpenUrl(url, browser)
    return None


def _open_app(b: Bindings) -> OpenApp | None:
    app = b["app"]
    if not app.quoted and (app.raw.startswith(("the ", "a ", "an ")) or " " in app.text.strip()):
        return None  # "Open the File menu" is not an application
    return OpenApp(app.text.strip()) if app.text.strip() else None


def _click(button: str = "left", count: int = 1) -> Callable[[Bindings], StepAction | None]:
    def build(b: Bindings) -> StepAction | None:
        target = _target(b)
        if target is None:
            return None
        if button == "left":
            return Click(target, "left", count)
        return Click(target, "right", count) if button == "right" else Click(target, "middle", count)

    return build


def _press(b: Bindings) -> StepAction | None:
    chord = normalise_chord(b["target"].text)
    if chord is not None and "within" not in b:
        return Press(chord)
    target = _target(b)
    # "Press Submit" reads as pressing a button when Submit is not a key; "Ctrl+Ctrl+S" is a typo.
    if target is None or chord is not None or "+" in target.text or mentions_modifier(target.text):
        return None
    return Click(target)


def _type(b: Bindings) -> StepAction | None:
    if "target" not in b:
        return TypeText(b["text"].text) if b["text"].text else None
    target = _target(b)
    return TypeText(b["text"].text, target) if target is not None else None


def _choose(b: Bindings) -> StepAction | None:
    target = _target(b)
    option = b["option"].text.strip()
    return Choose(option, target) if target is not None and option else None


def _set_checked(checked: bool) -> Callable[[Bindings], StepAction | None]:
    def build(b: Bindings) -> StepAction | None:
        if not b["target"].quoted and b["target"].raw.startswith(_NOT_A_BOX):
            return None
        target = _target(b)
        return SetChecked(target, checked) if target is not None else None

    return build


def _seconds(text: str) -> float | None:
    found = _DURATION.match(text.strip())
    if found is None:
        return None
    amount = float(found.group(1))
    unit = (found.group(2) or "s").casefold()
    if unit.startswith("ms") or unit.startswith("milli"):
        return amount / 1000
    return amount * 60 if unit.startswith("m") else amount


def _wait(appear: bool, *, quoted_only: bool = False) -> Callable[[Bindings], StepAction | None]:
    def build(b: Bindings) -> StepAction | None:
        text = b["text"].text
        if not text.strip() or (quoted_only and not b["text"].quoted):
            return None
        if "duration" not in b:
            return WaitFor(text, appear)
        timeout = _seconds(b["duration"].text)
        return WaitFor(text, appear, timeout) if timeout is not None and timeout > 0 else None

    return build


def _read(b: Bindings) -> StepAction | None:
    name = b["name"].text.strip()
    if name.startswith("{") and name.endswith("}"):
        name = name[1:-1]
    target = _target(b)
    return Read(target, name) if target is not None and _IDENTIFIER.match(name) else None


_ROW_NUMBER = re.compile(r"^(?:[0-9]+|\{\w+\})$")


def _variable(b: Bindings) -> str | None:
    name = b["name"].text.strip()
    if name.startswith("{") and name.endswith("}"):
        name = name[1:-1]
    return name if _IDENTIFIER.match(name) else None


def _cell(b: Bindings) -> Cell | None:
    text = b["cell"].text.strip()
    if not text:
        return None
    if "row" not in b:
        return Cell(text)
    row = b["row"].text.strip()
    return Cell(text, row) if _ROW_NUMBER.match(row) else None


def _read_cell(b: Bindings) -> StepAction | None:
    cell, name = _cell(b), _variable(b)
    return ReadCell(cell, name) if cell is not None and name is not None else None


def _type_cell(b: Bindings) -> StepAction | None:
    cell = _cell(b)
    return TypeCell(b["text"].text, cell) if cell is not None else None


def _expect_cell(b: Bindings) -> StepAction | None:
    cell = _cell(b)
    return ExpectCell(cell, b["text"].text) if cell is not None else None


def _read_cells(b: Bindings) -> StepAction | None:
    name = _variable(b)
    if name is None:
        return None
    if "cells" in b:
        cells = b["cells"].text.strip()
        return ReadCells(name, cells) if cells else None
    sheet = b["sheet"].text.strip() if "sheet" in b else None
    return ReadCells(name, None, sheet) if sheet != "" else None


def _expect_field(contains: bool) -> Callable[[Bindings], StepAction | None]:
    def build(b: Bindings) -> StepAction | None:
        target = _target(b)
        return ExpectField(target, b["text"].text, contains) if target is not None else None

    return build


def _expect_text(present: bool) -> Callable[[Bindings], StepAction | None]:
    def build(b: Bindings) -> StepAction | None:
        text = b["text"].text
        return ExpectText(text, present) if text.strip() else None

    return build


def _close(b: Bindings) -> StepAction | None:
    window = b["window"]
    if not window.quoted and window.raw in _CURRENT_WINDOW:
        return Close(None)
    return Close(window.text.strip()) if window.text.strip() else None


def _with_durations(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """Each wait pattern with its ``within 5 seconds`` variant first."""
    out: list[str] = []
    for pattern in patterns:
        out += [f"{pattern} within|in {{duration}}", f"{pattern} for up to {{duration}}", pattern]
    return tuple(out)


_WAIT = "wait until|till|for"
_APPEARS = ("appears", "appear", "shows", "is shown", "is visible", "shows up", "to appear", "to show")
_DISAPPEARS = ("to go away", "disappears", "disappear", "vanishes", "is gone", "goes away", "to disappear", "to vanish")
_SAVE_AS = ("save the file as", "save file as", "save as", "save it as", "save the document as")
_CELL_ROW = ("of|in row {row} as|into {name}",)
_CELL_ONLY = ("as|into {name}",)
_OF_ROW = (" of|in row {row}", "")
_VERIFY = ("expect", "verify", "verify that", "check that", "make sure", "make sure that", "ensure")

FORMS: tuple[Form, ...] = (
    Form(
        "open_url",
        (
            "open|load {url} in the|a browser",
            "open|load {url} in browser",
            "go|navigate|browse to {url}",
            "visit {url}",
        ),
        lambda b: _url(b, loose=True),
    ),
    Form(
        "open_url",
        ("open|load {url} in firefox", "open|load {url} in mozilla firefox"),
        lambda b: _url(b, loose=True, browser="firefox"),
    ),
    Form(
        "open_url",
        ("open|load {url} in chromium", "open|load {url} in chrome"),
        lambda b: _url(b, loose=True, browser="chromium"),
    ),
    Form("open_url", ("open {url}",), lambda b: _url(b, loose=False)),
    Form(
        "type_document",
        (
            "type|enter|write {text} at the end of the document",
            "type|enter|write {text} into|in the document",
            "append {text} to the document",
        ),
        lambda b: TypeInDocument(b["text"].text) if b["text"].text else None,
    ),
    Form(
        "read_document",
        (
            "read the document text as|into {name}",
            "read the document as|into {name}",
            "read the text of the document as|into {name}",
        ),
        lambda b: ReadDocument(name) if (name := _variable(b)) is not None else None,
    ),
    Form(
        "go_to_heading",
        ("go|jump|move to the heading {heading}", "go|jump|move to heading {heading}"),
        lambda b: GoToHeading(b["heading"].text.strip()) if b["heading"].text.strip() else None,
    ),
    Form(
        "attach_file",
        ("attach the file {path}", "attach file {path}", "attach {path}"),
        lambda b: AttachFile(b["path"].text.strip()) if b["path"].text.strip() else None,
    ),
    Form(
        "choose_file",
        ("choose|select|pick the file {path}", "choose|select|pick file {path}"),
        lambda b: ChooseFile(b["path"].text.strip()) if b["path"].text.strip() else None,
    ),
    # Cells come before the general forms: "Read cell "B4" as total" is a cell, not an element called "cell B4".
    Form(
        "read_cells",
        (
            "read cells|range {cells} as|into {name}",
            "read the cells|range {cells} as|into {name}",
            "read the used cells|area|range of|in sheet {sheet} as|into {name}",
            "read the used cells|area|range as|into {name}",
            "read all cells|rows of|in sheet {sheet} as|into {name}",
            "read all cells|rows as|into {name}",
            "read the sheet {sheet} as|into {name}",
            "read the sheet as|into {name}",
        ),
        _read_cells,
    ),
    Form(
        "read_cell",
        tuple(f"read {the}cell {{cell}} {rest}" for the in ("", "the ") for rest in _CELL_ROW + _CELL_ONLY),
        _read_cell,
    ),
    Form(
        "type_cell",
        tuple(
            f"{verb} {{text}} into|in {the}cell {{cell}}{row}"
            for verb in ("type|enter|write", "put")
            for the in ("", "the ")
            for row in (" of|in row {row}", "")
        )
        + tuple(f"fill {the}cell {{cell}}{row} with {{text}}" for the in ("", "the ") for row in _OF_ROW)
        + tuple(f"set {the}cell {{cell}}{row} to {{text}}" for the in ("", "the ") for row in _OF_ROW),
        _type_cell,
    ),
    Form(
        "expect_cell",
        tuple(
            f"{v} {the}cell {{cell}}{row} to show|read|equal|be|say {{text}}"
            for v in _VERIFY
            for the in ("", "the ")
            for row in (" of|in row {row}", "")
        )
        + tuple(
            f"{v} {the}cell {{cell}}{row} shows|reads|equals|is|says {{text}}"
            for v in _VERIFY[1:]
            for the in ("", "the ")
            for row in (" of|in row {row}", "")
        ),
        _expect_cell,
    ),
    Form("open_app", ("open|launch|start {app}",), _open_app),
    Form("switch_to", ("switch to {window}", "switch back to {window}"), lambda b: SwitchTo(b["window"].text)),
    Form("drag", ps.DRAG_PATTERNS, ps.drag),
    Form("click_at", ps.CLICK_AT_PATTERNS, ps.click_at("left")),
    Form("click_at", ps.RIGHT_CLICK_AT_PATTERNS, ps.click_at("right")),
    *(Form("scroll_by", ps.scroll_patterns(way), ps.scroll(way)) for way in ps.SCROLL_WAYS),
    *(Form("window", ps.window_patterns(word), ps.window(verb)) for word, verb in ps.WINDOW_VERBS.items()),
    Form("window", ps.MOVE_PATTERNS, ps.move),
    Form("window", ps.RESIZE_PATTERNS, ps.resize),
    Form("double_click", ("double-click|doubleclick {target}", "double click {target}"), _click(count=2), True),
    Form("right_click", ("right-click|rightclick {target}", "right click {target}"), _click("right"), True),
    Form("middle_click", ("middle-click {target}", "middle click {target}"), _click("middle"), True),
    Form("click", ("click on {target}", "click {target}"), _click(), True),
    Form("press", ("press|hit {target} key", "press|hit {target}"), _press, True),
    Form(
        "type",
        (
            "type|enter {text} into {target}",
            "type|enter {text} in {target}",
            "fill in {target} with {text}",
            "fill {target} with {text}",
            f"fill in {{target}} {_WITHIN} with {{text}}",
            f"fill {{target}} {_WITHIN} with {{text}}",
            "type {text}",
        ),
        _type,
        True,
    ),
    # A slider or spin button is set rather than typed into; the step is the same edit.
    Form("set", (f"set {{target}} {_WITHIN} to {{text}}", "set {target} to {text}"), _type),
    Form("choose", ("choose|select|pick {option} in|from {target}",), _choose, True),
    Form("check", ("check|tick {target}", "turn on {target}"), _set_checked(True), True),
    Form("uncheck", ("uncheck|untick {target}", "turn off {target}"), _set_checked(False), True),
    Form("wait_disappear", _with_durations(tuple(f"{_WAIT} {{text}} {v}" for v in _DISAPPEARS)), _wait(False)),
    Form("wait_appear", _with_durations(tuple(f"{_WAIT} {{text}} {verb}" for verb in _APPEARS)), _wait(True)),
    # `Wait for "Saved"` needs the quotes: unquoted, "Wait for the page to load" would wait for its words.
    Form("wait_quoted", _with_durations((f"{_WAIT} {{text}}",)), _wait(True, quoted_only=True)),
    Form(
        "read",
        ("read {target} as|into {name}", f"read {{target}} {_WITHIN} as|into {{name}}"),
        _read,
    ),
    Form(
        "expect_text",
        tuple(f"{v} {{text}} to appear|show" for v in _VERIFY)
        + tuple(f"{v} {{text}} to be visible|shown" for v in _VERIFY)
        + tuple(f"{v} {{text}} {verb}" for v in _VERIFY[1:] for verb in ("appears", "is visible", "is shown")),
        _expect_text(True),
    ),
    Form(
        "expect_no_text",
        tuple(f"{v} {{text}} to disappear|vanish" for v in _VERIFY)
        + tuple(f"{v} {{text}} not to appear" for v in _VERIFY)
        + tuple(f"{v} {{text}} to be gone" for v in _VERIFY)
        + tuple(f"{v} {{text}} {verb}" for v in _VERIFY[1:] for verb in ("disappears", "is gone")),
        _expect_text(False),
    ),
    Form(
        "expect_field_contains",
        tuple(f"{v} {{target}} to contain {{text}}" for v in _VERIFY)
        + tuple(f"{v} {{target}} {_WITHIN} to contain {{text}}" for v in _VERIFY)
        + tuple(f"{v} {{target}} contains {{text}}" for v in _VERIFY[1:])
        + tuple(f"{v} {{target}} {_WITHIN} contains {{text}}" for v in _VERIFY[1:]),
        _expect_field(True),
    ),
    Form(
        "expect_field",
        tuple(f"{v} {{target}} to show|read|equal|be|say {{text}}" for v in _VERIFY)
        + tuple(f"{v} {{target}} {_WITHIN} to show|read|equal|be|say {{text}}" for v in _VERIFY)
        + tuple(f"{v} {{target}} shows|reads|equals|is|says {{text}}" for v in _VERIFY[1:])
        + tuple(f"{v} {{target}} {_WITHIN} shows|reads|equals|is|says {{text}}" for v in _VERIFY[1:]),
        _expect_field(False),
    ),
    Form("save_as", tuple(f"{p} {{path}}" for p in _SAVE_AS), lambda b: SaveAs(b["path"].text)),
    Form("close", ("close|quit|exit {window}",), _close),
)
