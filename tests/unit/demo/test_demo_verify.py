"""The demo's verdict: the CRM's records compared with the CSV rows meant to be entered."""

from __future__ import annotations

from dataclasses import replace

from deskhand.demo.bundled import read_contact_rows
from deskhand.demo.contacts import Contact
from deskhand.demo.verify import record_problems


def _records_from(rows: list[dict[str, str]]) -> list[Contact]:
    return [
        Contact(
            number,
            row["name"],
            row["email"],
            row["company"],
            row["phone"],
            row["plan"],
            int(row["seats"]),
            row["newsletter"] == "true",
            "",
        )
        for number, row in enumerate(rows, start=1)
    ]


def test_records_that_match_the_rows_have_no_problems() -> None:
    rows = read_contact_rows()

    assert record_problems(list(reversed(_records_from(rows))), rows) == []


def test_a_missing_row_a_wrong_value_and_a_stray_record_are_each_named() -> None:
    rows = read_contact_rows()
    records = _records_from(rows)
    records[1] = replace(records[1], plan="Basic")
    del records[2]
    records.append(Contact(9, "Eve", "eve@example.com", "", "", "Basic", None, False, ""))

    problems = record_problems(records, rows)

    assert problems == [
        "Row 2 (jonas.weber@example.org): plan is 'Basic' in the CRM but 'Enterprise' in the CSV.",
        "Row 3 (priya.raman@example.net) is not in the CRM.",
        "Contact 9 (eve@example.com) is in the CRM but in no row.",
    ]


def test_a_row_entered_twice_is_named() -> None:
    rows = read_contact_rows()[:1]
    record = _records_from(rows)[0]

    problems = record_problems([record, replace(record, id=2, email=record.email.upper())], rows)

    assert problems == ["Row 1 (maya.okafor@example.com) is in the CRM 2 times."]
