"""The deterministic step language: sentences a workflow can run without a language model.

Each form is a list of sentence patterns (see :mod:`deskhand.workflows.tokens`) and a builder that turns
the matched slots into an action (:mod:`.sentence_builders`, :mod:`.pointer_sentences`). Matching is
case-insensitive, accepts straight and curly quotes and ignores a trailing full stop; quotes are optional
where the sentence is unambiguous. A sentence that fits a pattern in two different ways is ambiguous and is
*not* in the language (quoting fixes it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from deskhand.workflows import pointer_sentences as ps
from deskhand.workflows import sentence_builders as sb
from deskhand.workflows.actions import (
    AttachFile,
    ChooseFile,
    GoToHeading,
    ReadDocument,
    SaveAs,
    StepAction,
    SwitchTo,
    TypeInDocument,
)
from deskhand.workflows.sentence_builders import Builder
from deskhand.workflows.tokens import match, tokenize

_WITHIN = "in|inside|within {within}"


@dataclass(frozen=True, slots=True)
class Form:
    """One sentence form: its patterns (most specific first) and how matched slots become an action."""

    name: str
    patterns: tuple[str, ...]
    build: Builder
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
        lambda b: sb.open_url(b, loose=True),
    ),
    Form(
        "open_url",
        ("open|load {url} in firefox", "open|load {url} in mozilla firefox"),
        lambda b: sb.open_url(b, loose=True, browser="firefox"),
    ),
    Form(
        "open_url",
        ("open|load {url} in chromium", "open|load {url} in chrome"),
        lambda b: sb.open_url(b, loose=True, browser="chromium"),
    ),
    Form("open_url", ("open {url}",), lambda b: sb.open_url(b, loose=False)),
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
        lambda b: ReadDocument(name) if (name := sb.variable_name(b)) is not None else None,
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
        sb.read_cells,
    ),
    Form(
        "read_cell",
        tuple(f"read {the}cell {{cell}} {rest}" for the in ("", "the ") for rest in _CELL_ROW + _CELL_ONLY),
        sb.read_cell,
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
        sb.type_cell,
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
        sb.expect_cell,
    ),
    Form("open_app", ("open|launch|start {app}",), sb.open_app),
    Form("switch_to", ("switch to {window}", "switch back to {window}"), lambda b: SwitchTo(b["window"].text)),
    Form("drag", ps.DRAG_PATTERNS, ps.drag),
    Form("click_at", ps.CLICK_AT_PATTERNS, ps.click_at("left")),
    Form("click_at", ps.RIGHT_CLICK_AT_PATTERNS, ps.click_at("right")),
    *(Form("scroll_by", ps.scroll_patterns(way), ps.scroll(way)) for way in ps.SCROLL_WAYS),
    *(Form("window", ps.window_patterns(word), ps.window(verb)) for word, verb in ps.WINDOW_VERBS.items()),
    Form("window", ps.MOVE_PATTERNS, ps.move),
    Form("window", ps.RESIZE_PATTERNS, ps.resize),
    Form("double_click", ("double-click|doubleclick {target}", "double click {target}"), sb.click(count=2), True),
    Form("right_click", ("right-click|rightclick {target}", "right click {target}"), sb.click("right"), True),
    Form("middle_click", ("middle-click {target}", "middle click {target}"), sb.click("middle"), True),
    Form("click", ("click on {target}", "click {target}"), sb.click(), True),
    Form("press", ("press|hit {target} key", "press|hit {target}"), sb.press_or_click, True),
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
        sb.type_text,
        True,
    ),
    # A slider or spin button is set rather than typed into; the step is the same edit.
    Form("set", (f"set {{target}} {_WITHIN} to {{text}}", "set {target} to {text}"), sb.type_text),
    Form("choose", ("choose|select|pick {option} in|from {target}",), sb.choose, True),
    Form("check", ("check|tick {target}", "turn on {target}"), sb.set_checked(True), True),
    Form("uncheck", ("uncheck|untick {target}", "turn off {target}"), sb.set_checked(False), True),
    Form("wait_disappear", _with_durations(tuple(f"{_WAIT} {{text}} {v}" for v in _DISAPPEARS)), sb.wait_for(False)),
    Form("wait_appear", _with_durations(tuple(f"{_WAIT} {{text}} {verb}" for verb in _APPEARS)), sb.wait_for(True)),
    # `Wait for "Saved"` needs the quotes: unquoted, "Wait for the page to load" would wait for its words.
    Form("wait_quoted", _with_durations((f"{_WAIT} {{text}}",)), sb.wait_for(True, quoted_only=True)),
    Form(
        "read",
        ("read {target} as|into {name}", f"read {{target}} {_WITHIN} as|into {{name}}"),
        sb.read_into,
    ),
    Form(
        "expect_text",
        tuple(f"{v} {{text}} to appear|show" for v in _VERIFY)
        + tuple(f"{v} {{text}} to be visible|shown" for v in _VERIFY)
        + tuple(f"{v} {{text}} {verb}" for v in _VERIFY[1:] for verb in ("appears", "is visible", "is shown")),
        sb.expect_text(True),
    ),
    Form(
        "expect_no_text",
        tuple(f"{v} {{text}} to disappear|vanish" for v in _VERIFY)
        + tuple(f"{v} {{text}} not to appear" for v in _VERIFY)
        + tuple(f"{v} {{text}} to be gone" for v in _VERIFY)
        + tuple(f"{v} {{text}} {verb}" for v in _VERIFY[1:] for verb in ("disappears", "is gone")),
        sb.expect_text(False),
    ),
    Form(
        "expect_field_contains",
        tuple(f"{v} {{target}} to contain {{text}}" for v in _VERIFY)
        + tuple(f"{v} {{target}} {_WITHIN} to contain {{text}}" for v in _VERIFY)
        + tuple(f"{v} {{target}} contains {{text}}" for v in _VERIFY[1:])
        + tuple(f"{v} {{target}} {_WITHIN} contains {{text}}" for v in _VERIFY[1:]),
        sb.expect_field(True),
    ),
    Form(
        "expect_field",
        tuple(f"{v} {{target}} to show|read|equal|be|say {{text}}" for v in _VERIFY)
        + tuple(f"{v} {{target}} {_WITHIN} to show|read|equal|be|say {{text}}" for v in _VERIFY)
        + tuple(f"{v} {{target}} shows|reads|equals|is|says {{text}}" for v in _VERIFY[1:])
        + tuple(f"{v} {{target}} {_WITHIN} shows|reads|equals|is|says {{text}}" for v in _VERIFY[1:]),
        sb.expect_field(False),
    ),
    Form("save_as", tuple(f"{p} {{path}}" for p in _SAVE_AS), lambda b: SaveAs(b["path"].text)),
    Form("close", ("close|quit|exit {window}",), sb.close_window),
)
