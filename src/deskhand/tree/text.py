"""How names are compared and shown: normalisation, ranking of a name match, quoting for people.

Accessible names differ in small ways from what a person types: case, runs of spaces, GTK mnemonic
underscores (``_Save``), a trailing colon on labels (``Name:``) or an ellipsis on buttons that open a
dialog (``Save As…``). Non-exact matching ignores all of those and also accepts a part of the name, like
Playwright's ``get_by_role(name=...)``, but only whole words of it: "Save" is in "Save As…", "Otto" is not in
"Bottom" nor "Row 4" in "Row 40" (a click meant for one must never land on the other). Scripts written
without spaces between words (Chinese, Japanese, Thai…) keep plain substrings. A full match ranks before a
part.
"""

from __future__ import annotations

import json
import re
import unicodedata

# Lower is better: a whole-name match beats a name that merely contains the wanted text.
FULL_MATCH = 0
SUBSTRING_MATCH = 1

_WHITESPACE = re.compile(r"\s+")
# GTK marks a mnemonic with "_x"; a literal underscore is written "__".
_MNEMONIC = re.compile(r"_(.)", re.DOTALL)
_TRAILING_NOISE = (":", "...", "…")


def collapse_whitespace(text: str) -> str:
    """Runs of whitespace become one space; the ends are trimmed."""
    return _WHITESPACE.sub(" ", text).strip()


def normalize_name(text: str) -> str:
    """The comparable form of a name: case-folded, spaces collapsed, mnemonics and trailing ':'/'…' gone."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _MNEMONIC.sub(r"\1", folded)
    folded = collapse_whitespace(folded).casefold()
    stripped = True
    while stripped:
        stripped = False
        for noise in _TRAILING_NOISE:
            if folded.endswith(noise):
                folded = folded[: -len(noise)].rstrip()
                stripped = True
    return folded


def name_rank(wanted: str, actual: str, *, exact: bool = False) -> int | None:
    """How well ``actual`` matches ``wanted``: FULL_MATCH, SUBSTRING_MATCH, or None for no match.

    ``exact`` compares case-sensitively and whole, only collapsing whitespace (Playwright's ``exact``).
    """
    if exact:
        return FULL_MATCH if collapse_whitespace(actual) == collapse_whitespace(wanted) else None
    want = normalize_name(wanted)
    have = normalize_name(actual)
    if want == have:
        return FULL_MATCH
    if contains_words(want, have):
        return SUBSTRING_MATCH
    return None


def contains_words(want: str, have: str) -> bool:
    """Whether ``want`` is in ``have`` without cutting a word of ``have``: each end of ``want`` that is a
    letter or digit meets no letter or digit of ``have`` beside it."""
    start = have.find(want)
    while start >= 0 and want:
        end = start + len(want)
        before = have[start - 1] if start else ""
        after = have[end] if end < len(have) else ""
        if not (_joins(before, want[0]) or _joins(want[-1], after)):
            return True
        start = have.find(want, start + 1)
    return not want


def _joins(left: str, right: str) -> bool:
    """Whether ``left`` and ``right`` side by side are inside one word of a script that spaces its words."""
    return bool(left) and bool(right) and _spaced_word_char(left) and _spaced_word_char(right)


def _spaced_word_char(char: str) -> bool:
    if char.isascii():
        return char.isalnum()
    # Wide characters (CJK) and Thai-like scripts do not separate words by spaces: no word edge to keep.
    return char.isalnum() and unicodedata.east_asian_width(char) not in ("W", "F") and not _unspaced_script(char)


def _unspaced_script(char: str) -> bool:
    """Thai, Lao, Myanmar, Khmer: written without spaces between words."""
    return "\u0e00" <= char <= "\u0eff" or "\u1000" <= char <= "\u109f" or "\u1780" <= char <= "\u17ff"


def best_rank(*ranks: int | None) -> int | None:
    """The best of several ranks (lowest number); None when none matched."""
    found = [rank for rank in ranks if rank is not None]
    return min(found) if found else None


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in '…' when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)] + "…"


def quote(text: str, *, limit: int | None = None) -> str:
    """A double-quoted, escaped rendering for people and models (newlines shown as \\n)."""
    return json.dumps(shorten(text, limit) if limit else text, ensure_ascii=False)
