"""A row's lease on the fleet's real broker (a loopback redis-server): renewed while its row runs longer than the
lease, a second delivery of the row waits until the first lets go (a row that outlives --redeliver-after runs
once), and a lease that ran out while no one took it is taken back by its desktop."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from tests.fixtures.loopback_redis import loopback_redis

from deskhand.app.fleet.leases import RowLeases


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    with loopback_redis(tmp_path / "redis") as address:
        yield address


def test_a_row_longer_than_its_lease_keeps_it_and_a_second_delivery_waits(url: str) -> None:
    first, second = RowLeases(url, lease_s=3), RowLeases(url, lease_s=3)
    order: list[str] = []
    told: list[str | None] = []
    entered = threading.Event()

    def deliver_again() -> None:
        entered.wait(5)
        with second.hold("b-1", 3, "host-b:2:1", on_wait=told.append):
            order.append("second ran")

    later = threading.Thread(target=deliver_again)
    later.start()
    with first.hold("b-1", 3, "host-a:1:1"):
        entered.set()
        time.sleep(7.0)  # more than two lease times: renewed all along
        assert first.holder("b-1", 3) == "host-a:1:1"
        order.append("first done")
    later.join(10)
    assert order == ["first done", "second ran"] and told == ["host-a:1:1"]
    assert first.holder("b-1", 3) is None  # let go after the body
    first.close()
    second.close()


def test_a_lease_that_ran_out_unclaimed_is_taken_back(url: str) -> None:
    leases = RowLeases(url, lease_s=0.6)
    client = redis.Redis.from_url(url)
    with leases.hold("b-1", 0, "host-a:1:1"):
        client.delete(RowLeases.key("b-1", 0))  # as if the broker had been too slow to renew it in time
        deadline = time.monotonic() + 5
        while leases.holder("b-1", 0) is None:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert leases.holder("b-1", 0) == "host-a:1:1"
    client.close()
    leases.close()
