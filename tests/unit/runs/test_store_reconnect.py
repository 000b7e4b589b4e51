"""A PostgreSQL store whose server went away mid-session (a restart, a crash): the call that finds it gone fails
with one clear error naming the server, and once the server is back the next call works on a new connection;
the console and workers need no restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.postgres_server import start_postgres

from deskhand.errors import StoreUnavailable
from deskhand.runs.store import RunStore


def test_a_store_outlives_a_restart_of_its_server(tmp_path: Path) -> None:
    server = start_postgres()  # its own: this test stops it
    try:
        store = RunStore(server.url(), artifacts_root=tmp_path)
        run_id = store.start_run("wf.md", "wf", {})
        server.halt()
        with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{server.port}/postgres stopped answering"):
            store.get_run(run_id)
        with pytest.raises(StoreUnavailable, match="cannot be reached"):  # still down: a new connection fails
            store.record_event(run_id, None, "note", {})
        server.start()
        assert store.get_run(run_id).status == "running"
        store.finish_run(run_id, "succeeded")
        assert RunStore(server.url(), artifacts_root=tmp_path).get_run(run_id).status == "succeeded"
    finally:
        server.stop()
