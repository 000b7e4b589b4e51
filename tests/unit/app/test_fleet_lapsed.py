"""A fleet desktop's run is decided `interrupted` once its desktop no longer holds the row's lease (the machine
died), on the fleet's real broker (a loopback redis-server) and on both stores; a run whose desktop holds the
lease, a `--parallel` desktop's run (no lease) and a run that already ended keep their status. With no worker
serving, the waiting submitter decides its batch's runs by the same rule, and only then."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.fixtures.loopback_redis import loopback_redis

from deskhand.app.fleet.lapsed import interrupt_lapsed_runs, interrupt_when_no_worker_serves
from deskhand.app.fleet.leases import RowLeases
from deskhand.database import open_database
from deskhand.runs.store import RunStore
from deskhand.runs.workers import DesktopSlot

HOLDER = f"{socket.gethostname()}:{os.getpid()}:1"  # this process plays a worker's desktop


@pytest.fixture
def leases(tmp_path: Path) -> Iterator[RowLeases]:
    with loopback_redis(tmp_path / "redis") as url:
        leases = RowLeases(url, lease_s=30)
        yield leases
        leases.close()


@pytest.fixture
def store(store_where: Path | str, tmp_path: Path) -> Iterator[RunStore]:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as opened:
        yield opened


def _status(store: RunStore, run_id: str) -> str:
    return store.get_run(run_id).status


def test_a_run_whose_desktop_lost_the_lease_is_interrupted_naming_it(store: RunStore, leases: RowLeases) -> None:
    store.record_worker_heartbeat("w:1", [DesktopSlot(1, "", None, os.getpid())], kind="celery")
    batch = store.create_batch("wf.md", 3)
    held = store.start_run("wf.md", "wf", {}, batch_id=batch, row=0)
    lapsed = store.start_run("wf.md", "wf", {}, batch_id=batch, row=1)
    ended = store.start_run("wf.md", "wf", {}, batch_id=batch, row=2)
    store.finish_run(ended, "succeeded")
    with leases.hold(batch, 0, HOLDER):
        assert interrupt_lapsed_runs(store, leases) == [lapsed]
        assert _status(store, held) == "running"
    record = store.get_run(lapsed)
    assert record.status == "interrupted" and record.finished_at is not None
    assert record.error is not None and "stopped renewing the lease of row 2" in str(record.error["message"])
    assert f"pid {os.getpid()}" in str(record.error["message"])
    assert _status(store, ended) == "succeeded"
    # The lease let go after its run: the run is decided too (a desktop lets go only after its run ended).
    assert interrupt_lapsed_runs(store, leases) == [held]


def test_a_row_taken_by_another_desktop_decides_only_that_rows_runs(store: RunStore, leases: RowLeases) -> None:
    store.record_worker_heartbeat("w:1", [DesktopSlot(1, "", None, os.getpid())], kind="celery")
    batch = store.create_batch("wf.md", 2)
    first = store.start_run("wf.md", "wf", {}, batch_id=batch, row=0)
    other = store.start_run("wf.md", "wf", {}, batch_id=batch, row=1)
    with leases.hold(batch, 0, "host-b:4242:1"):  # the row came back and another desktop took it
        assert interrupt_lapsed_runs(store, leases, batch_id=batch, row=0) == [first]
    assert _status(store, other) == "running"


def test_runs_without_leases_are_not_judged_by_them(store: RunStore, leases: RowLeases) -> None:
    batch = store.create_batch("wf.md", 1)
    # A --parallel command's desktops take no lease; a run before its worker's first heartbeat is not a fleet's.
    store.record_worker_heartbeat("p:1", [DesktopSlot(1, "", None, os.getpid())], kind="parallel")
    parallel = store.start_run("wf.md", "wf", {}, batch_id=batch, row=0)
    assert interrupt_lapsed_runs(store, leases) == []
    store.record_worker_stopped("p:1")
    store.finish_run(parallel, "succeeded")
    early = store.start_run("wf.md", "wf", {}, batch_id=batch, row=0)
    store.record_worker_heartbeat("w:9", [DesktopSlot(1, "", None, os.getpid())], kind="celery")
    assert interrupt_lapsed_runs(store, leases) == []
    assert _status(store, early) == "running"


def test_lists_say_where_a_run_of_another_machine_is_and_why_a_row_waits(
    store: RunStore, leases: RowLeases, store_where: Path | str
) -> None:
    store.record_worker_heartbeat("host-b:77", [DesktopSlot(1, "", None, 4242)], kind="celery", host="host-b", pid=77)
    batch = store.create_batch("wf.md", 2)
    remote = store.start_run("wf.md", "wf", {}, batch_id=batch, row=0)
    lapsed = store.start_run("wf.md", "wf", {}, batch_id=batch, row=1)
    store.mark_row(batch, 0, remote, "running")
    store.mark_row(batch, 1, lapsed, "running")
    db = open_database(store_where)
    with db.transaction():  # as host-b's desktop 4242 would have written them
        db.execute("UPDATE runs SET owner_host = 'host-b', owner_pid = 4242 WHERE id IN (?, ?)", (remote, lapsed))
    db.close()
    assert store.running_elsewhere()[remote].describe() == "on host-b, pid 4242, worker host-b:77"
    later = datetime.now(UTC) + timedelta(minutes=5)  # its worker has said nothing since
    assert "worker host-b:77 is silent since" in store.running_elsewhere()[remote].describe(later)
    with leases.hold(batch, 0, "host-b:4242:1"):
        assert interrupt_lapsed_runs(store, leases) == [lapsed]
    assert lapsed not in store.running_elsewhere()
    notes = {row.row: row.note for row in store.rows_in_flight()}
    assert notes[0] == "" and notes[1].startswith(f"run {lapsed} was interrupted; the row waits to be taken again")
    # Its worker said goodbye (it does so once its desktops have ended): nothing vouches for the run any more,
    # so a reader of the store decides it (runs/orphans.py: silent_fleet_runs).
    store.record_worker_stopped("host-b:77")
    assert remote not in store.running_elsewhere()
    assert _status(store, remote) == "interrupted"
    assert "neither its desktop (host-b, pid 4242) nor its worker" in str(store.get_run(remote).error)


def test_with_no_worker_serving_the_submitter_decides_its_batchs_lapsed_runs(
    store: RunStore, leases: RowLeases
) -> None:
    store.record_worker_heartbeat("w:1", [DesktopSlot(1, "", None, os.getpid())], kind="celery")
    batch, other = store.create_batch("wf.md", 2), store.create_batch("other.md", 1)
    held = store.start_run("wf.md", "wf", {}, batch_id=batch, row=0)
    lapsed = store.start_run("wf.md", "wf", {}, batch_id=batch, row=1)
    elsewhere = store.start_run("other.md", "other", {}, batch_id=other, row=0)
    # Its worker's heartbeat is fresh: the worker decides (it may be at work), the submitter leaves the runs alone.
    assert interrupt_when_no_worker_serves(store, leases, batch) == []
    assert _status(store, lapsed) == "running"
    # Every heartbeat lapsed: the runs whose desktop no longer holds the lease are decided; a held lease is
    # evidence the run goes on (a desktop whose worker went quiet), and another batch is not this command's.
    silent = datetime.now(UTC) + timedelta(minutes=5)
    with leases.hold(batch, 0, HOLDER):
        assert interrupt_when_no_worker_serves(store, leases, batch, now=silent) == [lapsed]
        assert _status(store, held) == "running"
    assert _status(store, elsewhere) == "running"
    error = store.get_run(lapsed).error
    assert error is not None and f"pid {os.getpid()}" in str(error["message"])
    # A worker that said goodbye serves no one either: what its desktop left is decided once its lease is gone.
    store.record_worker_stopped("w:1")
    assert interrupt_when_no_worker_serves(store, leases, batch) == [held]
