"""For a sentence outside the step language, the nearest form that is in it, in the sentence's own words.

"Tap on Save" → ``Click "Save"``; "put bob in Name" → ``Type "bob" into "Name"``. The verb is looked up
among common synonyms (then by spelling, for typos); the rest of the sentence is split at the form's
joining words (in, into, as, …) to fill the quoted slots. Where a slot cannot be filled, ``…`` stands in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from deskhand.workflows.actions import quote
from deskhand.workflows.keys import normalise_chord
from deskhand.workflows.language import parse_step
from deskhand.workflows.tokens import Token, slot_value, tokenize

_GAP = "…"
_DURATION = re.compile(r"^\d+(?:\.\d+)?\s*(?:s|secs?|seconds?|m|mins?|minutes?)$", re.IGNORECASE)
_NOT_APPS = frozenset({"menu", "tab", "page", "button", "link", "dialog", "item", "section", "panel"})
_EXAMPLES = (
    "Open mousepad",
    "Open https://example.com in the browser",
    'Switch to "Window title"',
    'Click "Label"',
    'Type "text" into "Field"',
    'Choose "Option" in "Field"',
    'Check "Box"',
    "Press Ctrl+S",
    'Wait until "Text" appears within 5 seconds',
    'Read "Field" as name',
    'Expect "Field" to show "text"',
    'Expect "Text" to appear',
    'Save the file as "/path/to/file.txt"',
    'Close "Window title"',
)


@dataclass(frozen=True, slots=True)
class _Suggestion:
    verbs: tuple[str, ...]
    render: Callable[[list[Token]], str]


# How alike a sentence with no known verb and an example form must be for the example to be offered:
# "Frobnicate the widget thoroughly" is 0.36 from its nearest; a garbled form of an example is above 0.7.
EXAMPLE_CUTOFF = 0.6


def closest_form(sentence: str) -> str | None:
    """The canonical form of ``sentence`` if it is in the language, else the nearest form filled in; None
    when nothing is genuinely close (a made-up suggestion misleads more than none)."""
    action = parse_step(sentence)
    if action is not None:
        return action.sentence()
    tokens = tokenize(sentence) or tokenize(sentence.replace('"', " ")) or []
    if not tokens:
        return f"Click {quote(_GAP)}"
    for size in (3, 2, 1):
        head = " ".join(t.word for t in tokens[:size])
        for suggestion in _SUGGESTIONS:
            if head in suggestion.verbs:
                return suggestion.render(tokens[size:])
    verbs = {verb: s for s in _SUGGESTIONS for verb in s.verbs if " " not in verb}
    nearest = difflib.get_close_matches(tokens[0].word, list(verbs), n=1, cutoff=0.6)
    if nearest:
        return verbs[nearest[0]].render(tokens[1:])
    # No verb we know: the example whose wording is nearest, for the person to fill in, if it is near.
    nearest_example = difflib.get_close_matches(
        sentence.casefold(), [e.casefold() for e in _EXAMPLES], n=1, cutoff=EXAMPLE_CUTOFF
    )
    if not nearest_example:
        return None
    return next(e for e in _EXAMPLES if e.casefold() == nearest_example[0])


def _text(tokens: list[Token]) -> str:
    value = slot_value(tokens) if tokens else None
    return value.text if value is not None else (" ".join(t.text for t in tokens) or _GAP)


def _split(tokens: list[Token], joins: tuple[str, ...]) -> tuple[list[Token], list[Token]] | None:
    """The tokens before and after the last unquoted joining word, if there is one."""
    for index in range(len(tokens) - 1, 0, -1):
        if tokens[index].word in joins:
            return tokens[:index], tokens[index + 1 :]
    return None


_STOP_WORDS = ("to appear", "appears", "appear", "to show", "shows up", "is shown", "shows", "is visible")
_GONE_WORDS = ("to go away", "to disappear", "disappears", "disappear", "goes away", "is gone", "vanishes")


def _strip_ending(tokens: list[Token], endings: tuple[str, ...]) -> tuple[list[Token], bool]:
    words = [t.word for t in tokens]
    for ending in endings:
        size = len(ending.split())
        if len(words) > size and words[-size:] == ending.split():
            return tokens[:-size], True
    return tokens, False


def _click(verb: str) -> Callable[[list[Token]], str]:
    def render(rest: list[Token]) -> str:
        if rest and rest[0].word in ("on", "at"):
            rest = rest[1:]
        split = _split(rest, ("in", "inside", "within"))
        if split is not None and split[1]:
            return f"{verb} {quote(_text(split[0]))} in {quote(_text(split[1]))}"
        return f"{verb} {quote(_text(rest))}"

    return render


def _type(rest: list[Token]) -> str:
    split = _split(rest, ("into", "in", "to", "on", "inside"))
    if split is None:
        return f"Type {quote(_text(rest))}"
    return f"Type {quote(_text(split[0]))} into {quote(_text(split[1]))}"


def _set_field(rest: list[Token]) -> str:
    split = _split(rest, ("to", "as"))
    if split is None:
        return f"Type {quote(_GAP)} into {quote(_text(rest))}"
    return f"Type {quote(_text(split[1]))} into {quote(_text(split[0]))}"


def _choose(rest: list[Token]) -> str:
    split = _split(rest, ("in", "from", "for", "on"))
    if split is None:
        return f"Choose {quote(_text(rest))} in {quote(_GAP)}"
    return f"Choose {quote(_text(split[0]))} in {quote(_text(split[1]))}"


def _check(checked: bool) -> Callable[[list[Token]], str]:
    return lambda rest: f"{'Check' if checked else 'Uncheck'} {quote(_text(rest))}"


def _press(rest: list[Token]) -> str:
    words = " ".join(t.text for t in rest if t.word not in ("the", "key", "keys"))
    chord = normalise_chord(words) or normalise_chord(words.replace(" ", "+"))
    return f"Press {chord}" if chord else f"Press {_GAP}  (e.g. Press Ctrl+S)"


def _wait(rest: list[Token]) -> str:
    if rest and rest[0].word in ("for", "until", "till", "on"):
        rest = rest[1:]
    if _DURATION.match(" ".join(t.text for t in rest)):
        return f"Wait until {quote(_GAP)} appears within {' '.join(t.text for t in rest)}"
    timeout = ""
    split = _split(rest, ("within", "for"))
    if split is not None and split[1]:
        timeout = " within " + " ".join(t.text for t in split[1])
        rest = split[0]
    rest, gone = _strip_ending(rest, _GONE_WORDS)
    if not gone:
        rest, _ = _strip_ending(rest, _STOP_WORDS)
    return f"Wait until {quote(_text(rest))} {'disappears' if gone else 'appears'}{timeout}"


def _expect(rest: list[Token]) -> str:
    if rest and rest[0].word == "that":
        rest = rest[1:]
    split = _split(rest, ("shows", "show", "contains", "contain", "reads", "is", "equals", "says", "has"))
    if split is not None and split[1]:
        verb = "contain" if rest[len(split[0])].word in ("contains", "contain", "has") else "show"
        field = split[0][:-1] if split[0] and split[0][-1].word == "to" else split[0]
        return f"Expect {quote(_text(field))} to {verb} {quote(_text(split[1]))}"
    rest, gone = _strip_ending(rest, _GONE_WORDS)
    if not gone:
        rest, _ = _strip_ending(rest, (*_STOP_WORDS, "is there", "exists"))
    return f"Expect {quote(_text(rest))} to {'disappear' if gone else 'appear'}"


def _read(rest: list[Token]) -> str:
    split = _split(rest, ("as", "into", "to", "in"))
    if split is None:
        return f"Read {quote(_text(rest))} as {_GAP}"
    name = re.sub(r"\W+", "_", _text(split[1]).strip("{}")).strip("_").lower() or _GAP
    return f"Read {quote(_text(split[0]))} as {name}"


def _open(rest: list[Token]) -> str:
    if rest and rest[0].word in ("to", "up"):
        rest = rest[1:]
    target = _text(rest)
    value = slot_value(rest) if rest else None
    if value is not None and value.raw.split()[-1] in _NOT_APPS:
        return f"Click {quote(target)}"  # "Open the File menu" means clicking it
    if "://" in target or target.startswith("www.") or ("." in target and " " not in target):
        return f"Open {target} in the browser"
    return f"Open {target.replace(' ', '-').lower() if target != _GAP else _GAP}"


def _save(rest: list[Token]) -> str:
    split = _split(rest, ("as", "to", "in"))
    return f"Save the file as {quote(_text(split[1]) if split is not None and split[1] else _GAP)}"


_SUGGESTIONS: tuple[_Suggestion, ...] = (
    _Suggestion(("double tap", "double-tap", "double press", "dbl click", "dblclick"), _click("Double-click")),
    _Suggestion(("right tap", "long press", "context click", "secondary click"), _click("Right-click")),
    _Suggestion(("press", "hit", "push", "type key", "send keys", "key", "keys"), _press),
    _Suggestion(
        ("click", "tap", "tap on", "click on", "select button", "push button", "activate", "follow"),
        _click("Click"),
    ),
    _Suggestion(("type", "put", "write", "enter", "insert", "input", "paste", "key in", "fill", "fill in"), _type),
    _Suggestion(("set", "change", "update"), _set_field),
    _Suggestion(("choose", "select", "pick", "opt for"), _choose),
    _Suggestion(("check", "tick", "enable", "mark", "turn on", "switch on"), _check(True)),
    _Suggestion(("uncheck", "untick", "disable", "unmark", "turn off", "switch off", "clear"), _check(False)),
    _Suggestion(("wait", "await", "wait for", "wait until", "pause until"), _wait),
    _Suggestion(("expect", "verify", "assert", "ensure", "confirm", "make sure", "see", "check that"), _expect),
    _Suggestion(("read", "copy", "get", "note", "remember", "store", "grab", "save value"), _read),
    _Suggestion(("open", "launch", "start", "run", "go to", "navigate to", "visit", "browse to", "load"), _open),
    _Suggestion(("save", "save as", "save file", "save the file", "store file"), _save),
    _Suggestion(
        ("switch to", "go back to", "focus", "bring up", "return to", "activate window"),
        lambda rest: f"Switch to {quote(_text(rest))}",
    ),
    _Suggestion(("close", "quit", "exit", "dismiss", "shut"), lambda rest: f"Close {quote(_text(rest))}"),
)
