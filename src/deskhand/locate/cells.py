"""Spreadsheet addresses as people write them: ``C3``, ``$C$3``, ``Sheet2.B4``, ``Sheet2!B4``, ``'My sheet'.B4``,
and ranges ``A1:D20``. Rows and columns are 0-based inside; the sheet's own numbering (row 1, column A)
outside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"^\$?([A-Za-z]{1,4})\$?([0-9]{1,8})$")
# A sheet name then "." (LibreOffice) or "!" (Excel, Gnumeric); quoted when it has spaces or dots.
_SHEET = re.compile(r"^\$?(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^.!':]+))[.!](?P<rest>.+)$")


def column_index(letters: str) -> int:
    """``A`` → 0, ``Z`` → 25, ``AA`` → 26."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + (ord(letter) - ord("A") + 1)
    return index - 1


def column_letters(index: int) -> str:
    """0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True, slots=True)
class CellAddress:
    """One cell: 0-based ``row`` and ``column``, and the sheet it names (``None``: the sheet in view)."""

    row: int
    column: int
    sheet: str | None = None

    @property
    def name(self) -> str:
        """``C3``: the address without its sheet."""
        return f"{column_letters(self.column)}{self.row + 1}"

    def __str__(self) -> str:
        return self.name if self.sheet is None else f"{_sheet_text(self.sheet)}.{self.name}"


@dataclass(frozen=True, slots=True)
class CellRange:
    """A rectangle of cells, corners included, on one sheet."""

    top: int
    left: int
    bottom: int
    right: int
    sheet: str | None = None

    @property
    def rows(self) -> range:
        return range(self.top, self.bottom + 1)

    @property
    def columns(self) -> range:
        return range(self.left, self.right + 1)

    def __str__(self) -> str:
        corners = f"{column_letters(self.left)}{self.top + 1}:{column_letters(self.right)}{self.bottom + 1}"
        return corners if self.sheet is None else f"{_sheet_text(self.sheet)}.{corners}"


def _sheet_text(sheet: str) -> str:
    plain = re.fullmatch(r"[^.!':\s]+", sheet) is not None
    return sheet if plain else "'" + sheet.replace("'", "''") + "'"


def split_sheet(text: str) -> tuple[str | None, str]:
    """``Sheet2.B4`` → (``Sheet2``, ``B4``); ``B4`` → (None, ``B4``)."""
    found = _SHEET.match(text.strip())
    if found is None:
        return None, text.strip()
    sheet = found.group("quoted")
    sheet = sheet.replace("''", "'") if sheet is not None else found.group("plain").strip()
    return sheet, found.group("rest").strip()


def parse_cell(text: str) -> CellAddress | None:
    """The cell ``text`` names, or None when it is not a cell address."""
    sheet, rest = split_sheet(text)
    found = _CELL.match(rest)
    if found is None or int(found.group(2)) < 1:
        return None
    return CellAddress(int(found.group(2)) - 1, column_index(found.group(1)), sheet)


def parse_range(text: str) -> CellRange | None:
    """The rectangle ``A1:D20`` (or one cell ``B4``) names, or None when it is not a range."""
    sheet, rest = split_sheet(text)
    first, sep, second = rest.partition(":")
    start = parse_cell(first)
    end = parse_cell(second) if sep else start
    if start is None or end is None or start.sheet is not None or (end.sheet not in (None, sheet)):
        return None
    return CellRange(
        min(start.row, end.row),
        min(start.column, end.column),
        max(start.row, end.row),
        max(start.column, end.column),
        sheet,
    )
