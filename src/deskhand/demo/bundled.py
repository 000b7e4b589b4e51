"""Where the demo's bundled files are: the sample contacts and the demo workflows (package data)."""

from __future__ import annotations

import csv
from pathlib import Path

from deskhand.errors import InputError

_HERE = Path(__file__).parent
CONTACT_COLUMNS: tuple[str, ...] = ("name", "email", "company", "phone", "plan", "seats", "newsletter")


def contacts_csv_path() -> Path:
    """The bundled sample contacts: one row per contact, columns as in ``CONTACT_COLUMNS``."""
    return _HERE / "contacts.csv"


def workflow_path(name: str) -> Path:
    """A bundled demo workflow by name, e.g. ``"add-contact"`` or ``"write-summary"``."""
    path = _HERE / "workflows" / f"{name}.md"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in (_HERE / "workflows").glob("*.md"))) or "none"
        raise InputError(
            f"The demo has no workflow named {name!r}; it has: {known}.",
            hint="Use one of those names.",
        )
    return path


def read_contact_rows(path: Path | None = None) -> list[dict[str, str]]:
    """The rows of a contacts CSV (the bundled one by default), each a column → text mapping."""
    source = path or contacts_csv_path()
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in CONTACT_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise InputError(
                f"{source} lacks the column(s) {', '.join(missing)}; its header is {reader.fieldnames}.",
                file=str(source),
                line=1,
                hint=f"The first line must name the columns: {','.join(CONTACT_COLUMNS)}.",
            )
        return [dict(row) for row in reader]
