"""The fleet in the run store (runs/workers.py): worker heartbeats with their desktops, and the batch rows in flight
with the worker and desktop running each."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from deskhand.runs.records import utc_now
from deskhand.runs.store import RunStore
from deskhand.runs.workers import SILENT_AFTER_S, DesktopSlot


def test_a_heartbeat_records_the_worker_and_replaces_its_desktops(store: RunStore) -> None:
    store.record_worker_heartbeat("w1@box", [DesktopSlot(1, ":101"), DesktopSlot(2, ":102")], host="box", pid=41)
    store.record_worker_heartbeat("w1@box", [DesktopSlot(1, ":101", "r-1")], host="box", pid=41, version="9.9")
    (worker,) = store.workers()
    assert (worker.name, worker.kind, worker.host, worker.pid, worker.version) == ("w1@box", "celery", "box", 41, "9.9")
    assert worker.desktops == (DesktopSlot(1, ":101", "r-1"),)
    assert worker.state() == "serving"
    assert worker.state(utc_now() + timedelta(seconds=SILENT_AFTER_S + 1)) == "silent"
    store.record_worker_stopped("w1@box")
    (stopped,) = store.workers()
    assert stopped.state() == "stopped" and stopped.desktops == (DesktopSlot(1, ":101", None),)


def test_a_restarted_worker_starts_afresh(store: RunStore) -> None:
    store.record_worker_heartbeat("w", [], host="box", pid=1)
    first = store.workers()[0].started_at
    store.record_worker_heartbeat("w", [], host="box", pid=1)
    assert store.workers()[0].started_at == first
    store.record_worker_heartbeat("w", [], host="box", pid=2)
    assert store.workers()[0].started_at > first


def test_rows_in_flight_name_the_run_worker_and_desktop(store: RunStore) -> None:
    batch = store.create_batch("wf.md", 3, inputs_file_hash="h")
    store.mark_row(batch, 0, None, "running")
    run_id = store.start_run("wf.md", "Enter records", {}, batch_id=batch, row=0)
    store.mark_row(batch, 1, None, "running")  # claimed, its run not started yet
    store.record_worker_heartbeat("w@here", [DesktopSlot(1, ":7", run_id), DesktopSlot(2, ":8")])
    first, second = store.rows_in_flight()
    assert (first.batch_id, first.row, first.run_id, first.workflow_name) == (batch, 0, run_id, "Enter records")
    assert (first.worker, first.desktop, first.host) == ("w@here", 1, socket.gethostname())
    assert (second.row, second.run_id, second.worker) == (1, None, None)
    store.finish_run(run_id, "succeeded")
    store.mark_row(batch, 0, run_id, "succeeded")
    assert [row.row for row in store.rows_in_flight()] == [1]


def test_a_run_is_found_by_its_process_and_attributed_to_the_worker_of_that_process(store: RunStore) -> None:
    batch = store.create_batch("wf.md", 1, inputs_file_hash="h")
    store.mark_row(batch, 0, None, "running")
    run_id = store.start_run("wf.md", "wf", {}, batch_id=batch, row=0)
    me = store.running_runs_of([os.getpid()])
    assert list(me.values()) == [run_id]
    store.record_worker_heartbeat("parallel@here", [DesktopSlot(1)], kind="parallel")
    assert store.rows_in_flight()[0].worker == "parallel@here"


def test_runs_of_another_host_are_not_judged_here(store: RunStore) -> None:
    run_id = store.start_run("wf.md", "wf", {})
    # A worker on another machine owns this run: its pid means nothing on this one.
    store._db.execute("UPDATE runs SET owner_host = 'elsewhere', owner_pid = 999999 WHERE id = ?", (run_id,))
    assert store.mark_interrupted_runs() == []
    assert store.get_run(run_id).status == "running"
