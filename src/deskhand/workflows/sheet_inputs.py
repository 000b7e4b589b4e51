"""Rows of an .xlsx or .ods workbook as text, for ``--inputs`` (python-calamine reads both formats).

python-calamine (Rust's calamine) is one well-kept reader for .xlsx, .xls and .ods alike, and returns the
values a spreadsheet app last computed, so a formula cell gives its result. Values become the text a
person sees typed: whole numbers without ``.0``, dates as ``YYYY-MM-DD``, booleans as ``true``/``false``.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from deskhand.errors import InputError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def workbook_records(path: Path, sheet: str | None = None) -> list[list[str]]:
    """Every row of the first sheet (or of ``sheet``) as a list of texts, the header row first."""
    from python_calamine import CalamineError, CalamineWorkbook

    if not path.is_file():
        raise InputError(f"No inputs file at {str(path)!r}.", file=str(path), hint="Check the path.")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise InputError(
            f"Cannot read {path.name!r} as a workbook: {error}.", file=str(path), hint="Save it again from the app."
        ) from None
    names = list(book.sheet_names)
    if not names:
        raise InputError(f"{path.name} has no sheets.", file=str(path), hint="Add a sheet with a header row.")
    if sheet is not None and sheet not in names:
        raise InputError(
            f"{path.name} has no sheet {sheet!r}.", file=str(path), hint=f"Sheets: {', '.join(map(repr, names))}."
        )
    values = book.get_sheet_by_name(sheet or names[0]).to_python()
    return [[_text(value) for value in row] for row in values]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ") if value.time() != datetime.time() else value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return "" if value is None else str(value)
