from __future__ import annotations

import pytest

from deskhand.tree.text import FULL_MATCH, SUBSTRING_MATCH, name_rank, normalize_name, quote, shorten


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Save", "save"),
        ("  Save   As  ", "save as"),
        ("_Save", "save"),
        ("Save _As…", "save as"),
        ("Save As...", "save as"),
        ("Name:", "name"),
        ("File__name", "file_name"),
        ("Ｓａｖｅ", "save"),
        ("E-mail:\n", "e-mail"),
    ],
)
def test_normalize_name(raw: str, normal: str) -> None:
    assert normalize_name(raw) == normal


def test_full_match_ranks_before_substring() -> None:
    assert name_rank("Save", "_Save") == FULL_MATCH
    assert name_rank("Save", "Save As…") == SUBSTRING_MATCH
    assert name_rank("save as", "Save As…") == FULL_MATCH
    assert name_rank("Open", "Save As…") is None


def test_exact_is_case_sensitive_and_whole() -> None:
    assert name_rank("Save", " Save ", exact=True) == FULL_MATCH
    assert name_rank("Save", "save", exact=True) is None
    assert name_rank("Save", "Save As", exact=True) is None


def test_quote_and_shorten() -> None:
    assert quote('say "hi"\n') == '"say \\"hi\\"\\n"'
    assert shorten("abcdef", 4) == "abc…"
    assert shorten("abc", 4) == "abc"
    assert quote("abcdef", limit=4) == '"abc…"'
