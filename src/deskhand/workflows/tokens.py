"""Tokens of a step sentence and a small matcher for the step language's sentence patterns.

A pattern is a sequence of keywords and slots, written like ``"type {text} into {field}"``. Keywords
match unquoted words, case-insensitively; ``a|b`` offers alternatives. A slot takes either one quoted
string or a run of unquoted words, optionally wrapped in filler (``the "Save" button``). Keywords inside
quotes never count, so quoting is how a person makes an ambiguous sentence unambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from deskhand.workflows.ordinals import kind_role, position_word
from deskhand.workflows.sentences import straighten_quotes

_EDGE_PUNCTUATION = ".,;:!?"
_SENTENCE_END = ".!;"
# Words around a target that name what kind of thing it is; the locator decides roles, not the grammar.
_LEADING_FILLER = frozenset({"the", "a", "an"})
_TRAILING_FILLER = frozenset(
    {
        "button",
        "field",
        "box",
        "checkbox",
        "link",
        "tab",
        "menu",
        "item",
        "option",
        "dropdown",
        "window",
        "dialog",
        "textbox",
        "entry",
        "label",
        "text",
        "combobox",
        "list",
        "icon",
        "toggle",
        "switch",
    }
)
_SLOT = re.compile(r"^\{(\w+)\}$")
# Slots that name an element: only they take position words (`the second "OK"`, `the first switch`).
_ELEMENT_SLOTS = frozenset({"target"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    quoted: bool

    @property
    def word(self) -> str:
        """The token as a keyword candidate: lower case, never a quoted string."""
        return "" if self.quoted else self.text.casefold()


def tokenize(sentence: str) -> list[Token] | None:
    """Words and quoted strings of a sentence; ``None`` when a double quote is left open."""
    text = straighten_quotes(sentence).strip()
    while text and text[-1] in _SENTENCE_END:
        text = text[:-1].rstrip()
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
            continue
        closing = _closing_quote(text, i)
        if closing is not None:
            tokens.append(Token(text[i + 1 : closing], quoted=True))
            i = closing + 1
            while i < len(text) and text[i] in _EDGE_PUNCTUATION:
                i += 1  # `"OK",` or `"OK".`: the punctuation belongs to the sentence
            continue
        if char == '"':
            return None
        end = i
        while end < len(text) and not text[end].isspace() and text[end] != '"':
            end += 1
        word = text[i:end].rstrip(",;")
        if word:
            tokens.append(Token(word, quoted=False))
        i = end
    return tokens


def _closing_quote(text: str, start: int) -> int | None:
    """Index of the quote closing one opened at ``start``, if ``start`` opens a quoted string."""
    char = text[start]
    if char == '"':
        closing = text.find('"', start + 1)
        return closing if closing != -1 else None
    if char != "'":
        return None
    # A single quote opens a string only at a word start and closes before a word end,
    # so apostrophes ("Don't save") stay inside words.
    if start > 0 and not text[start - 1].isspace():
        return None
    search = start + 1
    while (closing := text.find("'", search)) != -1:
        after = text[closing + 1 : closing + 2]
        if closing > start + 1 and (not after or after.isspace() or after in _EDGE_PUNCTUATION):
            return closing
        search = closing + 1
    return None


@dataclass(frozen=True, slots=True)
class SlotValue:
    """A slot's text; ``raw`` is every token it took, filler included, in lower case.

    ``position`` (0-based, -1 = last) and ``kind`` (a role) come from position words in an element slot:
    ``the second "checkbutton"`` → position 1; ``the first switch`` → position 0, kind ``switch``, no text."""

    text: str
    quoted: bool
    raw: str = ""
    position: int | None = None
    kind: str | None = None


def slot_value(tokens: list[Token], *, element: bool = False) -> SlotValue | None:
    """What a run of tokens means as one slot: a quoted string with filler around it, or plain words.
    ``element``: the slot names an element, so it may start with a position word."""
    quoted = [t for t in tokens if t.quoted]
    if len(quoted) > 1:
        return None
    if element:
        placed = _placed(tokens)
        if placed is not None:
            return placed
    if quoted:
        rest = [t.word for t in tokens if not t.quoted]
        index = tokens.index(quoted[0])
        before, after = rest[:index], rest[index:]
        if all(w in _LEADING_FILLER for w in before) and all(w in _TRAILING_FILLER for w in after):
            return SlotValue(quoted[0].text, quoted=True, raw=_raw(tokens))
        return None
    words = [t.text for t in tokens]
    if len(words) > 1 and words[0].casefold() in _LEADING_FILLER:
        words = words[1:]
    if len(words) > 1 and words[-1].casefold() in _TRAILING_FILLER:
        words = words[:-1]
    text = " ".join(words)
    return SlotValue(text, quoted=False, raw=_raw(tokens)) if text else None


def _placed(tokens: list[Token]) -> SlotValue | None:
    """``the <position> "<text>" [filler]`` or ``the <position> <kind>``; None when the slot is not that.

    Unquoted, only a kind word may follow the position: "the first name field" stays the field labelled
    "first name"."""
    if len(tokens) < 3 or tokens[0].word != "the":
        return None
    position = position_word(tokens[1].word) if not tokens[1].quoted else None
    if position is None:
        return None
    rest = tokens[2:]
    if rest[0].quoted:
        if all(not t.quoted and t.word in _TRAILING_FILLER for t in rest[1:]):
            return SlotValue(rest[0].text, quoted=True, raw=_raw(tokens), position=position)
        return None
    if any(t.quoted for t in rest):
        return None
    kind = kind_role(" ".join(t.word for t in rest))
    if kind is None:
        return None
    return SlotValue("", quoted=False, raw=_raw(tokens), position=position, kind=kind)


def _raw(tokens: list[Token]) -> str:
    return " ".join(t.text.casefold() for t in tokens)


Bindings = dict[str, SlotValue]


def match(pattern: str, tokens: list[Token]) -> list[Bindings]:
    """Every distinct way ``tokens`` fit ``pattern`` (an empty list when they do not)."""
    elements = pattern.split()
    found: list[Bindings] = []
    for bindings in _match(elements, 0, tokens, 0, {}):
        if bindings not in found:
            found.append(bindings)
    return found


def _match(elements: list[str], e: int, tokens: list[Token], t: int, bound: Bindings) -> Iterator[Bindings]:
    if e == len(elements):
        if t == len(tokens):
            yield dict(bound)
        return
    element = elements[e]
    slot = _SLOT.match(element)
    if slot is None:
        if t < len(tokens) and tokens[t].word in element.split("|"):
            yield from _match(elements, e + 1, tokens, t + 1, bound)
        return
    name = slot.group(1)
    following = elements[e + 1] if e + 1 < len(elements) else None
    ends = [len(tokens)] if following is None else _keyword_positions(following, tokens, t + 1)
    for end in ends:
        value = slot_value(tokens[t:end], element=name in _ELEMENT_SLOTS)
        if value is not None:
            yield from _match(elements, e + 1, tokens, end, {**bound, name: value})


def _keyword_positions(element: str, tokens: list[Token], start: int) -> list[int]:
    if _SLOT.match(element):
        raise ValueError(f"pattern has two slots in a row at {element!r}")  # a bug in a pattern table
    options = element.split("|")
    return [i for i in range(start, len(tokens)) if tokens[i].word in options]
