"""A batch's rows from a spreadsheet open on the desktop: the used area of the sheet in front, row 1 naming
the inputs — the same checks as a CSV or workbook file (``workflows.inputs``)."""

from __future__ import annotations

import hashlib
import json

from deskhand.locate.desktop import Desktop
from deskhand.locate.sheet import Sheet
from deskhand.workflows.inputs import records_to_rows


def rows_from_sheet(desktop: Desktop, app: str, sheet: str | None = None) -> list[dict[str, str]]:
    """Rows of the open spreadsheet in ``app`` (an app name or window title); ``sheet`` brings one to front."""
    records = Sheet(desktop.app(app)).read_used(sheet)
    return records_to_rows(records, f"the sheet open in {app}", "sheet")


def rows_fingerprint(rows: list[dict[str, str]]) -> str:
    """What identifies these rows for resuming a batch: their content (an open sheet has no file to hash)."""
    return "sheet:" + hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:32]
