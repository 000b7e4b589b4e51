"""Which phrase read off the screen is the one a step names: OCR drops or swaps a letter now and then, and
reads an expander's arrow or a check mark beside the words as a letter of their own ("y Charlemagne"); its
numbers must be the name's own ("Row 4" is not "Row 40")."""

from __future__ import annotations

import difflib
import re

from deskhand.backends.screen.ocr import TextBox
from deskhand.tree.node import Bounds

# How alike the words read and the name must be.
ALIKE = 0.75
_WORDS = re.compile(r"[\w']+")
# Numbers tell near-alike rows apart ("Row 4", "Row 40"): a phrase whose numbers differ is another phrase.
_DIGITS = re.compile(r"\d+")


def phrase_of(name: str, phrases: list[TextBox]) -> Bounds | None:
    """The box of the phrase read that is most like ``name`` (and alike enough), else None."""
    wanted = plain(name)
    best: tuple[float, Bounds] | None = None
    for phrase in phrases:
        readings = [text for text in _readings(phrase.text) if _DIGITS.findall(text) == _DIGITS.findall(wanted)]
        if not readings:
            continue
        likeness = max(difflib.SequenceMatcher(None, text, wanted).ratio() for text in readings)
        if likeness >= ALIKE and (best is None or likeness > best[0]):
            best = (likeness, phrase.box)
    return best[1] if best is not None else None


def plain(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _readings(text: str) -> tuple[str, ...]:
    """The phrase, and the phrase without a lone first or last letter (a glyph read as one)."""
    words = plain(text).split()
    out = [" ".join(words)]
    if len(words) > 1 and len(words[0]) == 1:
        out.append(" ".join(words[1:]))
    if len(words) > 1 and len(words[-1]) == 1:
        out.append(" ".join(words[:-1]))
    return tuple(out)
