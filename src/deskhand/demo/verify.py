"""Checking the CRM's records against the CSV rows that were meant to be entered, for the demo's verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from deskhand.demo.contacts import Contact

_TRUE = frozenset({"true", "yes", "1"})


def record_problems(records: Sequence[Contact], rows: Sequence[Mapping[str, str]]) -> list[str]:
    """Every difference between the saved contacts and the expected rows, as sentences; empty if none.

    Contacts are matched to rows by email (case ignored); order does not matter, counts do.
    """
    problems: list[str] = []
    by_email: dict[str, list[Contact]] = {}
    for record in records:
        by_email.setdefault(record.email.casefold(), []).append(record)
    expected_emails: set[str] = set()
    for number, row in enumerate(rows, start=1):
        email = row.get("email", "").strip()
        expected_emails.add(email.casefold())
        found = by_email.get(email.casefold(), [])
        if not found:
            problems.append(f"Row {number} ({email}) is not in the CRM.")
            continue
        if len(found) > 1:
            problems.append(f"Row {number} ({email}) is in the CRM {len(found)} times.")
        problems += [f"Row {number} ({email}): {difference}" for difference in _differences(found[0], row)]
    for record in records:
        if record.email.casefold() not in expected_emails:
            problems.append(f"Contact {record.id} ({record.email}) is in the CRM but in no row.")
    return problems


def _differences(record: Contact, row: Mapping[str, str]) -> list[str]:
    seen: dict[str, str] = {
        "name": record.name,
        "company": record.company,
        "phone": record.phone,
        "plan": record.plan,
        "seats": "" if record.seats is None else str(record.seats),
        "newsletter": "true" if record.newsletter else "false",
    }
    wanted = {key: row.get(key, "").strip() for key in seen}
    wanted["newsletter"] = "true" if wanted["newsletter"].casefold() in _TRUE else "false"
    return [
        f"{key} is {seen[key]!r} in the CRM but {wanted[key]!r} in the CSV."
        for key in seen
        if seen[key].casefold() != wanted[key].casefold()
    ]
