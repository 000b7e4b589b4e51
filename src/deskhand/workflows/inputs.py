"""Input values for a run: from ``--input k=v`` pairs or from the rows of a CSV, JSON, .xlsx or .ods file.

Everything is checked before anything runs: a CSV without a column the workflow needs fails at once,
naming the file, the row (as a spreadsheet numbers it: the header is row 1) and the fix.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from deskhand.errors import InputError
from deskhand.workflows.model import Workflow
from deskhand.workflows.sheet_inputs import WORKBOOK_SUFFIXES, workbook_records
from deskhand.workflows.values import coerce_value


def parse_input_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["name=Ada", "seats=3"]`` → ``{"name": "Ada", "seats": "3"}`` (split at the first ``=``)."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(
                f"--input {pair!r} is not of the form name=value.",
                hint='Write --input name=Ada (quote values with spaces: --input "name=Ada Lovelace").',
            )
        if key in values:
            raise InputError(f"--input {key!r} is given twice.", hint="Give each input once.")
        values[key] = value
    return values


def load_rows(path: str | Path) -> list[dict[str, str]]:
    """The rows of a ``.csv``, ``.xlsx`` or ``.ods`` (first sheet; a header row) or ``.json`` (a list of
    objects) file, as text."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return records_to_rows(workbook_records(file), str(file), "sheet")
    if suffix not in (".csv", ".json"):
        raise InputError(
            f"Cannot read inputs from {file.name!r}: only .csv, .json, .xlsx and .ods files are supported.",
            file=str(file),
            hint="Save the sheet as .xlsx, .ods or CSV (with a header row), or write a JSON list of objects.",
        )
    try:
        text = file.read_text(encoding="utf-8-sig")  # spreadsheets often write a byte-order mark
    except FileNotFoundError:
        raise InputError(f"No inputs file at {str(file)!r}.", file=str(file), hint="Check the path.") from None
    except UnicodeDecodeError:
        raise InputError("The inputs file is not UTF-8 text.", file=str(file), hint="Export it as UTF-8 CSV.") from None
    except OSError as error:
        raise InputError(
            f"Cannot read the inputs file: {error.strerror or error}.", file=str(file), hint="Check the path."
        ) from None
    return _csv_rows(text, str(file)) if suffix == ".csv" else _json_rows(text, str(file))


def row_label(path: str | Path, index: int) -> str:
    """How to name the ``index``-th (0-based) row of an inputs file to a person: ``rows.csv row 3``."""
    name = Path(path).name
    if Path(path).suffix.lower() == ".json":
        return f"{name} item {index + 1}"
    return f"{name} row {index + 2}"


def coerce_rows(workflow: Workflow, rows: Sequence[Mapping[str, object]], path: str | Path) -> list[dict[str, object]]:
    """Every row of an inputs file checked and typed, before anything runs."""
    if not rows:
        raise InputError(
            f"{Path(path).name} has no rows.", file=str(path), hint="Add at least one row below the header."
        )
    _check_columns(workflow, rows, path)
    return [coerce_inputs(workflow, row, where=row_label(path, i)) for i, row in enumerate(rows)]


def coerce_inputs(workflow: Workflow, raw: Mapping[str, object], *, where: str = "--input") -> dict[str, object]:
    """The workflow's inputs from ``raw`` values: typed, with defaults applied and required ones present.

    Every declared input is in the result; an optional input without value or default is ``None``.
    An empty text value counts as not given. ``where`` names the source in errors.
    """
    for key in raw:
        if key not in workflow.inputs:
            nearest = difflib.get_close_matches(key, list(workflow.inputs), n=1, cutoff=0.6)
            guess = f"Did you mean {nearest[0]!r}? " if nearest else ""
            raise InputError(
                f"{where}: {key!r} is not an input of {workflow.name!r}.",
                hint=f"{guess}Inputs: {', '.join(workflow.inputs) or 'none'}.",
            )
    values: dict[str, object] = {}
    for name, spec in workflow.inputs.items():
        given = raw.get(name)
        if given is None or (isinstance(given, str) and not given.strip()):
            if spec.default is None and spec.required:
                state = "is missing" if name not in raw else "is empty"
                raise InputError(
                    f'{where}: {_noun(where)} "{name}" {state}; it is required.',
                    hint=f"Give a value for {name!r}"
                    + (" in every row." if where != "--input" else f" with --input {name}=…"),
                )
            values[name] = spec.default
            continue
        try:
            values[name] = coerce_value(spec, given)
        except InputError as error:
            raise InputError(f'{where}: {_noun(where)} "{name}": {error.bare_message}.', hint=error.hint) from None
    return values


def _noun(where: str) -> str:
    return "input" if where.startswith("--") else "column"


def _check_columns(workflow: Workflow, rows: Sequence[Mapping[str, object]], path: str | Path) -> None:
    """A needed column absent from the whole file, or a column that looks like a misspelt input."""
    columns = {key for row in rows for key in row}
    name = Path(path).name
    for input_name, spec in workflow.inputs.items():
        if spec.required and spec.default is None and input_name not in columns:
            raise InputError(
                f'{name}: column "{input_name}" is missing; the workflow needs it.',
                file=str(path),
                hint=f'Add a column headed "{input_name}". Columns found: {", ".join(sorted(columns)) or "none"}.',
            )
    for column in sorted(columns - set(workflow.inputs)):
        nearest = difflib.get_close_matches(column, list(workflow.inputs), n=1, cutoff=0.8)
        if nearest and nearest[0] not in columns:
            raise InputError(
                f'{name}: column "{column}" is not an input of {workflow.name!r}.',
                file=str(path),
                hint=f'Did you mean "{nearest[0]}"? Rename the column header.',
            )


def _csv_rows(text: str, path: str) -> list[dict[str, str]]:
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise InputError(f"The CSV file is malformed: {error}.", file=path, hint="Re-export it.") from None
    return records_to_rows(records, path, "CSV")


def records_to_rows(records: list[list[str]], path: str, kind: str) -> list[dict[str, str]]:
    """A header row and rows of cells (a CSV file, a sheet) as one mapping per row, checked."""
    records = [list(record) for record in records]
    if not records or not any(cell.strip() for cell in records[0]):
        raise InputError(f"The {kind} has no header row.", file=path, hint="Put the input names in row 1.")
    header = [cell.strip() for cell in records[0]]
    while header and not header[-1]:
        header.pop()  # a sheet's empty columns at the right
    for index, cell in enumerate(header):
        if not cell:
            raise InputError(f"Column {index + 1} of the {kind} header is empty.", file=path, hint="Name every column.")
        if cell in header[:index]:
            raise InputError(f'The {kind} header names "{cell}" twice.', file=path, hint="Keep one column.")
    while len(records) > 1 and not any(cell.strip() for cell in records[-1]):
        records.pop()  # blank lines at the end of a sheet
    rows: list[dict[str, str]] = []
    for number, record in enumerate(records[1:], start=2):
        if any(cell.strip() for cell in record[len(header) :]):
            raise InputError(
                f"{Path(path).name} row {number} has {len(record)} cells but the header has {len(header)}.",
                file=path,
                hint="Quote cells that contain commas, or add a header for the extra column.",
            )
        rows.append(dict(zip(header, record, strict=False)))
    return rows


def _json_rows(text: str, path: str) -> list[dict[str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"The JSON file is malformed: {error.msg} (line {error.lineno}).",
            file=path,
            line=error.lineno,
            hint='Fix the JSON; it must be a list of objects like [{"name": "Ada"}].',
        ) from None
    except RecursionError:
        raise InputError("The JSON file is nested too deeply.", file=path, hint="Use a flat list.") from None
    if not isinstance(data, list):
        raise InputError("The JSON file must hold a list of objects.", file=path, hint='Write [{"name": "Ada"}, …].')
    rows: list[dict[str, str]] = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise InputError(
                f"{Path(path).name} item {index + 1} is not an object.", file=path, hint='Write {"name": "Ada"}.'
            )
        row: dict[str, str] = {}
        for key, value in item.items():
            if isinstance(value, dict | list):
                raise InputError(
                    f'{Path(path).name} item {index + 1}: "{key}" holds a {type(value).__name__}, not a value.',
                    file=path,
                    hint="Give a text, number, true/false or null.",
                )
            if value is not None:
                row[key] = "true" if value is True else "false" if value is False else str(value)
        rows.append(row)
    return rows
