"""Which phrase read off the screen is the one a step names: OCR drops or swaps a letter now and then, and
reads an expander's arrow or a check mark beside the words as words of their own ("y Charlemagne"); its
numbers must be the name's own ("Row 4" is not "Row 40"), and its length near the name's ("Bottom" is not
"Otto")."""

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
        readings = [
            text
            for text in _readings(phrase.text, len(wanted.split()))
            if _DIGITS.findall(text) == _DIGITS.findall(wanted) and _near_length(text, wanted)
        ]
        if not readings:
            continue
        likeness = max(difflib.SequenceMatcher(None, text, wanted).ratio() for text in readings)
        if likeness >= ALIKE and (best is None or likeness > best[0]):
            best = (likeness, phrase.box)
    return best[1] if best is not None else None


def plain(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _readings(text: str, count: int) -> tuple[str, ...]:
    """The phrase, and each run of ``count`` words in it (or one more: a word OCR split in two): glyphs read
    as words beside the name (an expander's arrow as 'y', a selected row's check box and icon as 'ls o')."""
    words = plain(text).split()
    runs = [" ".join(words[i : i + n]) for n in (count, count + 1) for i in range(len(words) - n + 1)]
    return (" ".join(words), *runs)


def _near_length(text: str, wanted: str) -> bool:
    """OCR swaps or drops a letter, it does not make a word longer by a syllable: 'Bottom' is not 'Otto'
    (alike enough by letters, 0.8)."""
    return abs(len(text) - len(wanted)) <= max(1, len(wanted) // 8)
