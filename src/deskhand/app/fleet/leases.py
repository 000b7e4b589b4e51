"""A row's lease: while a desktop works on a row it holds a key in Redis that expires unless renewed, so a second
delivery of the same row (a message redelivered while the row still runs) waits instead of running it twice,
and a row whose worker died is free again once the lease has run out. Leases guard concurrency only; whether a
row is done is the run store's to say."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

LEASE_S = 30.0
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class RowLeases:
    def __init__(self, url: str, *, lease_s: float = LEASE_S) -> None:
        import redis

        self.lease_s = lease_s
        self._redis: Any = redis.Redis.from_url(url, socket_connect_timeout=3.0, socket_timeout=10.0)
        self._renew = self._redis.register_script(_RENEW)
        self._release = self._redis.register_script(_RELEASE)
        self._errors: type[Exception] = redis.exceptions.RedisError

    @staticmethod
    def key(batch_id: str, row: int) -> str:
        return f"deskhand:lease:{batch_id}:{row}"

    def holder(self, batch_id: str, row: int) -> str | None:
        value = self._redis.get(self.key(batch_id, row))
        return None if value is None else bytes(value).decode()

    @contextmanager
    def hold(self, batch_id: str, row: int, holder: str, *, on_wait: Any = None) -> Iterator[None]:
        """Take the row's lease (waiting while another live desktop holds it), renew it while the body runs."""
        key, ms = self.key(batch_id, row), int(self.lease_s * 1000)
        told = False
        while not self._redis.set(key, holder, nx=True, px=ms):
            if on_wait is not None and not told:
                on_wait(self.holder(batch_id, row))
                told = True
            time.sleep(1.0)
        stop = threading.Event()

        def renew() -> None:
            # A renewal that fails (the broker slow to answer on a loaded machine) is tried again at the next
            # tick rather than ending the renewals; a lease that ran out meanwhile is taken back if no one has.
            while not stop.wait(self.lease_s / 3):
                try:
                    if not self._renew(keys=[key], args=[holder, ms]):
                        self._redis.set(key, holder, nx=True, px=ms)
                except self._errors:
                    continue

        renewer = threading.Thread(target=renew, name=f"lease {key}", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()
            self._release(keys=[key], args=[holder])

    def close(self) -> None:
        self._redis.close()
