"""An ISO date goes to the parts by their names (year, month, day), whatever order the field shows them in;
any other text keeps the order it is written in."""

from __future__ import annotations

from deskhand.tree.date_parts import numbers_for_parts


def test_an_iso_date_fills_month_day_year_parts_by_name() -> None:
    assert numbers_for_parts("2025-03-01", ["Month", "Day", "Year"]) == [3, 1, 2025]
    assert numbers_for_parts("2025-03-01", ["Day", "Month", "Year"]) == [1, 3, 2025]
    assert numbers_for_parts("2025-03-01", ["Year", "Month", "Day"]) == [2025, 3, 1]


def test_other_text_or_unnamed_parts_keep_the_written_order() -> None:
    assert numbers_for_parts("03/01/2025", ["Month", "Day", "Year"]) == [3, 1, 2025]
    assert numbers_for_parts("2025-03-01", ["a", "b", "c"]) == [2025, 3, 1]
    assert numbers_for_parts("12:30", ["Hours", "Minutes"]) == [12, 30]
