"""A name's part matches only as whole words: a step meant for "Otto" never lands on "Bottom"."""

from __future__ import annotations

import pytest

from deskhand.tree.text import FULL_MATCH, SUBSTRING_MATCH, contains_words, name_rank


@pytest.mark.parametrize(
    ("wanted", "actual", "rank"),
    [
        ("Save", "Save As…", SUBSTRING_MATCH),
        ("save as", "_Save As...", FULL_MATCH),
        ("Otto", "Bottom", None),
        ("Row 4", "Row 40", None),
        ("Row 4", "Row 4 of 9", SUBSTRING_MATCH),
        ("Name", "Surname:", None),
        ("name", "First name:", SUBSTRING_MATCH),
        ("(copy)", "Draft 7 (copy)", SUBSTRING_MATCH),
        ("@example.com", "ada@example.com", SUBSTRING_MATCH),  # its ends are no letters: nothing to cut
        ("7", "7 7", SUBSTRING_MATCH),
        ("Größe", "Schriftgröße", None),
        ("保存", "保存为", SUBSTRING_MATCH),  # Chinese writes no spaces between words
        ("บันทึก", "บันทึกเป็น", SUBSTRING_MATCH),  # nor Thai
    ],
)
def test_a_part_of_a_name_counts_only_as_whole_words(wanted: str, actual: str, rank: int | None) -> None:
    assert name_rank(wanted, actual) == rank


def test_a_later_occurrence_can_be_the_whole_word() -> None:
    assert contains_words("otto", "bottom otto")
    assert not contains_words("otto", "bottom lotto")
