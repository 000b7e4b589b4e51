"""Progress of a fleet batch, over the broker: each desktop pushes what it did with a row onto the submitting
command's list (one per command, kept a day), and the command waits on it (BLPOP), so one progress bar follows
rows on every machine without polling the store. The store stays the record: the final result is read there."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from deskhand.app.fleet.row_service import RowDone

KEEP_S = 24 * 3600


class ProgressChannel:
    def __init__(self, url: str) -> None:
        import redis

        self._redis: Any = redis.Redis.from_url(url, socket_connect_timeout=3.0, socket_timeout=30.0)

    @staticmethod
    def key(pass_id: str) -> str:
        return f"deskhand:progress:{pass_id}"

    def tell(self, pass_id: str, done: RowDone) -> None:
        key = self.key(pass_id)
        self._redis.pipeline().rpush(key, json.dumps(asdict(done))).expire(key, KEEP_S).execute()

    def next(self, pass_id: str, wait_s: float) -> RowDone | None:
        """The next row done for this command, or None when none came within ``wait_s``."""
        item = self._redis.blpop([self.key(pass_id)], timeout=max(1, round(wait_s)))
        return None if item is None else RowDone(**json.loads(item[1]))

    def rows_held(self, batch_id: str) -> int:
        """How many of the batch's rows a desktop holds the lease of right now (fleet/leases.py)."""
        return sum(1 for _ in self._redis.scan_iter(match=f"deskhand:lease:{batch_id}:*", count=1000))

    def close(self) -> None:
        self._redis.close()
