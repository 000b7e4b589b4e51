"""--inputs from .xlsx and .ods workbooks: files written here by openpyxl and odfpy, read by deskhand."""

from __future__ import annotations

import datetime
from pathlib import Path

import openpyxl
import pytest
from tests.fixtures.workbooks import write_ods

from deskhand.errors import InputError
from deskhand.workflows.inputs import load_rows


def test_xlsx_rows_become_the_text_a_person_sees(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "seats", "start", "newsletter", ""])
    sheet.append(["Ada", 3, datetime.date(2025, 1, 2), True])
    sheet.append(["Grace", 2.5, None, False])
    sheet.append([None, None, None, None])
    book.save(tmp_path / "rows.xlsx")

    assert load_rows(tmp_path / "rows.xlsx") == [
        {"name": "Ada", "seats": "3", "start": "2025-01-02", "newsletter": "true"},
        {"name": "Grace", "seats": "2.5", "start": "", "newsletter": "false"},
    ]


def test_ods_reads_the_first_sheet(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "rows.ods", {"People": [["name", "seats"], ["Ada", 3]], "Other": [["x"], ["y"]]})
    assert load_rows(path) == [{"name": "Ada", "seats": "3"}]


def test_workbook_problems_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match='header names "name" twice'):
        load_rows(write_ods(tmp_path / "twice.ods", {"S": [["name", "name"], ["a", "b"]]}))
    with pytest.raises(InputError, match="row 2 has 3 cells but the header has 1"):
        load_rows(write_ods(tmp_path / "wide.ods", {"S": [["name"], ["a", "b", "c"]]}))
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"Cannot read 'broken\.xlsx' as a workbook"):
        load_rows(tmp_path / "broken.xlsx")
