"""Sentence normalisation shared by the step language, step references and the lock file's hashes."""

from __future__ import annotations

import hashlib
import re

# Curly and typographic quotes people paste from word processors; all mean a plain quote.
_DOUBLE_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'})
_SINGLE_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'"})
_SPACES = re.compile(r"\s+")
_TRAILING_STOP = re.compile(r"[\s.!;]+$")


def straighten_quotes(text: str) -> str:
    """Curly quotes become straight ones."""
    return text.translate(_DOUBLE_QUOTES).translate(_SINGLE_QUOTES)


def normalise_sentence(sentence: str) -> str:
    """The sentence with straight quotes, single spaces and no trailing full stop.

    Case is kept: ``Type "Bob"`` and ``Type "bob"`` type different text, so they are different steps.
    """
    text = _SPACES.sub(" ", straighten_quotes(sentence)).strip()
    return _TRAILING_STOP.sub("", text)


def same_sentence(a: str, b: str) -> bool:
    """Whether two sentences name the same step, ignoring case, quote style, spacing and a final stop."""
    return normalise_sentence(a).casefold() == normalise_sentence(b).casefold()


def sentence_hash(sentence: str, details: tuple[str, ...] = ()) -> str:
    """sha256 of the normalised sentence (and its detail lines, if any), first 16 hex characters."""
    parts = [normalise_sentence(sentence), *(normalise_sentence(d) for d in details)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]
