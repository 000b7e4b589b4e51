"""What travels over the broker for one row: the workflow's text (secrets in it are `{secret:name}` references
only; values are resolved by the worker's own guard), its signature, the row's raw input values, the batch and
row it belongs to, the submitter's deskhand version, and the text of the workflow's lock file (wf.lock beside
wf.md) when it has one, so a worker replays each locked step as the submitter would, with no model. Plain JSON:
Celery's default serializer."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from deskhand.errors import FleetError

TASK_NAME = "deskhand.fleet.row"
FORMAT = 2  # 2: the lock's text travels with the row


@dataclass(frozen=True, slots=True)
class RowMessage:
    batch_id: str
    row: int  # 0-based index in the batch
    rows: int  # how many rows the batch has
    values: dict[str, Any]  # the row as read from the inputs file (coerced again on the worker)
    workflow_text: str
    workflow_name: str
    signature: str
    version: str  # the submitter's deskhand version
    submitter: str  # the submitting machine's name, for messages
    timeout: float = 10.0
    use_lock: bool = True
    lock_text: str = ""  # the submitter's wf.lock ("" when it has none); signed with the workflow
    format: int = FORMAT

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        # Values from .xlsx/.ods rows may be dates: sent as text, coerced again on the worker.
        data["values"] = json.loads(json.dumps(self.values, default=str))
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], *, machine: str) -> RowMessage:
        if data.get("format") != FORMAT:
            raise FleetError(
                f"Worker {machine} got a row message of format {data.get('format')!r}; it reads format {FORMAT}.",
                hint="Run the same deskhand version on the submitter and every worker.",
            )
        fields = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in data.items() if key in fields})
