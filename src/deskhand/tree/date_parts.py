"""Which number of a typed text goes to which part of a field made of parts (a date's Month, Day, Year).

The text's numbers go in the order written, except for an ISO date (2025-03-01): it says which number is the
year, month and day, whatever order the field shows its parts in (Month / Day / Year in an en-US browser),
so each goes to the part of that name. Shared by the backend that types the parts and the read-back that
checks them, so both agree.
"""

from __future__ import annotations

import re

_ISO_DATE = re.compile(r"^\s*\d{4}-\d{1,2}-\d{1,2}\s*$")
_ISO_ORDER = ("year", "month", "day")


def numbers_in(text: str) -> list[int]:
    return [int(group) for group in re.findall(r"\d+", text)]


def numbers_for_parts(text: str, part_names: list[str]) -> list[int]:
    """The numbers of ``text``, one per part, in the parts' order."""
    numbers = numbers_in(text)
    if not _ISO_DATE.match(text) or len(part_names) != len(_ISO_ORDER):
        return numbers
    slots = [next((i for i, name in enumerate(part_names) if unit in name.lower()), -1) for unit in _ISO_ORDER]
    if sorted(slots) != list(range(len(part_names))):
        return numbers  # the parts are not named year, month and day: keep the order the text gives
    ordered = [0] * len(part_names)
    for slot, number in zip(slots, numbers, strict=True):
        ordered[slot] = number
    return ordered
