from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from deskhand.errors import InputError
from deskhand.workflows import (
    Workflow,
    coerce_inputs,
    coerce_rows,
    load_rows,
    load_workflow,
    parse_input_pairs,
    row_label,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "workflows"


@pytest.fixture
def wf() -> Workflow:
    return load_workflow(FIXTURES / "add-contact.md")


def test_csv_rows_are_typed_with_defaults(wf: Workflow) -> None:
    rows = coerce_rows(wf, load_rows(FIXTURES / "contacts.csv"), FIXTURES / "contacts.csv")
    assert rows[0] == {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "plan": "Pro",
        "seats": 2,
        "start": date(2025, 3, 31),
        "newsletter": True,
    }
    assert rows[1] == {
        "name": "Alan Turing",
        "email": None,
        "plan": "Basic",
        "seats": 1,
        "start": None,
        "newsletter": False,
    }


def test_json_rows_are_read_as_text_then_typed(wf: Workflow) -> None:
    raw = load_rows(FIXTURES / "contacts.json")
    assert raw[0] == {"name": "Ada", "plan": "Enterprise", "seats": "3", "newsletter": "true"}
    assert raw[1] == {"name": "Grace"}
    rows = coerce_rows(wf, raw, FIXTURES / "contacts.json")
    assert rows[0]["seats"] == 3 and rows[0]["newsletter"] is True


def test_a_needed_column_missing_fails_before_any_row(wf: Workflow) -> None:
    path = FIXTURES / "missing-column.csv"
    with pytest.raises(InputError) as caught:
        coerce_rows(wf, load_rows(path), path)
    assert 'missing-column.csv: column "name" is missing' in caught.value.message
    assert 'Add a column headed "name"' in caught.value.hint


def test_a_misspelt_column_is_named(wf: Workflow) -> None:
    path = FIXTURES / "misspelt-column.csv"
    with pytest.raises(InputError) as caught:
        coerce_rows(wf, load_rows(path), path)
    assert '"emial" is not an input' in caught.value.message
    assert 'Did you mean "email"?' in caught.value.hint


@pytest.mark.parametrize(
    ("csv_text", "message", "hint"),
    [
        ("name,seats\nA,1\nB,abc\n", 'rows.csv row 3: column "seats": value "abc" is not a number', "number"),
        ("name,start\nA,31/03/2025\n", 'rows.csv row 2: column "start": value "31/03/2025" is not a date', "YYYY"),
        ("name,plan\nA,Gold\n", 'rows.csv row 2: column "plan": value "Gold" is not one of', "Basic"),
        ("name,newsletter\nA,maybe\n", "is not true or false", "yes/no"),
        ("name,seats\nA,1\n,2\n", 'rows.csv row 3: column "name" is empty; it is required', "every row"),
        ("name,seats\nA,1,extra\n", "row 2 has 3 cells but the header has 2", "Quote cells"),
        ("name,name\nA,B\n", 'names "name" twice', "one column"),
        ("\n", "no header row", "row 1"),
        ("name\n", "has no rows", "at least one row"),
    ],
)
def test_csv_problems_name_the_row_and_the_fix(
    wf: Workflow, tmp_path: Path, csv_text: str, message: str, hint: str
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(csv_text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        coerce_rows(wf, load_rows(path), path)
    assert message in caught.value.message
    assert hint in caught.value.hint


@pytest.mark.parametrize(
    ("json_text", "message"),
    [
        ("{", "malformed"),
        ('{"name": "A"}', "list of objects"),
        ('["A"]', "item 1 is not an object"),
        ('[{"name": ["A"]}]', "holds a list"),
    ],
)
def test_json_problems(tmp_path: Path, json_text: str, message: str) -> None:
    path = tmp_path / "rows.json"
    path.write_text(json_text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_rows(path)


def test_unsupported_or_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"only \.csv, \.json, \.xlsx and \.ods"):
        load_rows(tmp_path / "rows.txt")
    with pytest.raises(InputError, match="No inputs file"):
        load_rows(tmp_path / "rows.csv")
    with pytest.raises(InputError, match="No inputs file"):
        load_rows(tmp_path / "rows.xlsx")


def test_csv_with_bom_quotes_and_newlines_in_cells(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_bytes('\ufeffname,email\n"Lovelace, Ada","a@x"\n"two\nlines",\n'.encode())
    assert load_rows(path) == [{"name": "Lovelace, Ada", "email": "a@x"}, {"name": "two\nlines", "email": ""}]


def test_coerce_inputs_from_the_command_line(wf: Workflow) -> None:
    values = coerce_inputs(wf, parse_input_pairs(["name=Ada", "plan=enterprise", "seats=2.5", "newsletter=0"]))
    assert values["plan"] == "Enterprise" and values["seats"] == 2.5 and values["newsletter"] is False
    with pytest.raises(InputError) as caught:
        coerce_inputs(wf, {"nmae": "Ada"})
    assert "--input: 'nmae' is not an input" in caught.value.message
    assert "Did you mean 'name'?" in caught.value.hint
    with pytest.raises(InputError) as caught:
        coerce_inputs(wf, {})
    assert 'input "name" is missing' in caught.value.message
    assert "--input name=" in caught.value.hint


def test_coerce_inputs_accepts_typed_values(wf: Workflow) -> None:
    values = coerce_inputs(wf, {"name": "Ada", "seats": 4, "start": date(2025, 1, 2), "newsletter": True})
    assert values["seats"] == 4 and values["start"] == date(2025, 1, 2) and values["newsletter"] is True
    with pytest.raises(InputError, match="not a number"):
        coerce_inputs(wf, {"name": "Ada", "seats": True})
    with pytest.raises(InputError, match="not a number"):
        coerce_inputs(wf, {"name": "Ada", "seats": "nan"})
    with pytest.raises(InputError, match="not a date"):
        coerce_inputs(wf, {"name": "Ada", "start": "2025-02-30"})


@pytest.mark.parametrize("pair", ["novalue", "=x"])
def test_input_pairs_must_have_a_name_and_equals(pair: str) -> None:
    with pytest.raises(InputError, match="name=value"):
        parse_input_pairs([pair])


def test_input_pairs_split_at_the_first_equals_and_refuse_repeats() -> None:
    assert parse_input_pairs(["url=http://x?a=b", "empty="]) == {"url": "http://x?a=b", "empty": ""}
    with pytest.raises(InputError, match="twice"):
        parse_input_pairs(["a=1", "a=2"])


def test_row_labels_count_like_a_spreadsheet() -> None:
    assert row_label("rows.csv", 0) == "rows.csv row 2"
    assert row_label("dir/rows.json", 2) == "rows.json item 3"
