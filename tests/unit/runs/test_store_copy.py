"""`deskhand runs copy --to postgresql://…`: a machine's SQLite run store copied into an empty PostgreSQL store (a
database of Debian's postgresql, started by the test session): every row of every table, the runs read back the
same, the batch found again for resuming, new rows get fresh ids; a store that already holds a history and an
address that is not PostgreSQL are refused with the fix. The approvals store beside it travels too: answered
requests with their screenshots; pending ones stay where their run polls for the answer."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest
import typer
from tests.fixtures.postgres_server import PostgresServer
from typer.testing import CliRunner

from deskhand.errors import DeskhandError
from deskhand.policy.approval import ApprovalRequest
from deskhand.policy.approval_queue import ApprovalQueue
from deskhand.runs.copy_store import TABLES
from deskhand.runs.store import RunStore
from deskhand.runs.workers import DesktopSlot
from deskhand.surfaces.cli import runs as runs_cli
from deskhand.surfaces.cli.main import exit_code_for


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """deskhand"""

    runs_cli.register(app)
    return app


def _history(path: Path, artifacts: Path) -> tuple[list[str], str]:
    """A store with what a machine accumulates: runs with steps, model calls and events, a batch half done, a
    worker's heartbeat."""
    with RunStore(path, artifacts_root=artifacts) as store:
        batch = store.create_batch("orders.md", 2, inputs_file_hash="h-1")
        first = store.start_run("orders.md", "orders", {"name": "Ada"}, batch_id=batch, row=0)
        store.start_step(first, 1, "Open Mousepad")
        store.finish_step(first, 1, "succeeded", 42, actions=[{"kind": "open_app", "value": "mousepad"}])
        store.record_model_call(first, 1, "anthropic", "claude-sonnet-4-6", 1400, 50, 900, 0.0045)
        store.record_event(first, 1, "healed", {"step": 1, "sentence": "Open Mousepad"})
        store.finish_run(first, "succeeded")
        store.mark_row(batch, 0, first, "succeeded")
        second = store.start_run("orders.md", "orders", {"name": "Grace"}, batch_id=batch, row=1)
        store.finish_run(second, "failed", {"step": 1, "message": "no window"})
        store.mark_row(batch, 1, second, "failed", reason="no window")
        store.record_worker_heartbeat("host-a:1", [DesktopSlot(1, ":101", None, 4242)], kind="parallel")
        return [first, second], batch


def _counts_sqlite(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def test_a_sqlite_history_is_copied_whole_into_postgresql(
    cli: typer.Typer, postgres: PostgresServer, tmp_path: Path
) -> None:
    source = tmp_path / "runs.db"
    run_ids, batch = _history(source, tmp_path / "artifacts")
    target = postgres.new_database()
    done = CliRunner().invoke(cli, ["runs", "copy", "--to", target, "--from", str(source)])
    assert done.exit_code == 0, done.output
    assert "copied 2 runs and 1 batches" in done.output and "DESKHAND_DB" in done.output, done.output
    counts = _counts_sqlite(source)
    assert counts["steps"] == 1 and counts["model_calls"] == 1 and counts["events"] >= 1, counts
    with psycopg.connect(target) as conn:
        copied = {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}
    assert copied == counts
    with RunStore(source, artifacts_root=tmp_path / "artifacts") as before, RunStore(target) as after:
        for run_id in run_ids:
            assert after.get_run(run_id).to_json() == before.get_run(run_id).to_json()
        assert after.find_batch("orders.md", "h-1") == batch  # the same command resumes the batch there
        assert [(r.index, r.status, r.reason) for r in after.batch_rows(batch)] == [
            (0, "succeeded", None),
            (1, "failed", "no window"),
        ]
        # New rows on the PostgreSQL store take ids after the copied ones.
        after.record_event(run_ids[0], None, "note", {"copied": True})
        after.record_model_call(run_ids[0], None, "openai", "gpt-4.1", 10, 5, 100, None)
        assert len(after.get_run(run_ids[0]).model_calls) == 2


def test_a_store_with_a_history_or_not_postgresql_is_refused(
    cli: typer.Typer, postgres: PostgresServer, tmp_path: Path
) -> None:
    source = tmp_path / "runs.db"
    _history(source, tmp_path / "artifacts")
    target = postgres.new_database()
    assert CliRunner().invoke(cli, ["runs", "copy", "--to", target, "--from", str(source)]).exit_code == 0
    again = CliRunner().invoke(cli, ["runs", "copy", "--to", target, "--from", str(source)])
    assert again.exit_code != 0 and again.exception is not None
    refused = again.exception
    assert "already holds 2 runs, 1 batches" in str(refused) and "empty" in str(refused), refused
    assert exit_code_for(refused) == 1  # type: ignore[arg-type]
    with psycopg.connect(target) as conn:  # the refused copy wrote nothing
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 2
    wrong = CliRunner().invoke(cli, ["runs", "copy", "--to", str(tmp_path / "other.db"), "--from", str(source)])
    assert wrong.exception is not None and "is not a PostgreSQL address" in str(wrong.exception)
    missing = CliRunner().invoke(cli, ["runs", "copy", "--to", target, "--from", str(tmp_path / "nowhere.db")])
    assert missing.exception is not None and "no SQLite run store at" in str(missing.exception)
    assert not (tmp_path / "nowhere.db").exists()


def _request(run_id: str, step: int, png: bytes | None = None) -> ApprovalRequest:
    return ApprovalRequest(run_id, step, 'Click "Pay"', "click", '"Pay"', "irreversible", (), f"d-{step}", png)


def test_the_approvals_store_travels_answered_and_pending_requests_stay(
    cli: typer.Typer, postgres: PostgresServer, tmp_path: Path, tiny_png: bytes
) -> None:
    source = tmp_path / "runs.db"
    (first, second), _ = _history(source, tmp_path / "artifacts")
    local = ApprovalQueue(tmp_path / "approvals.db")  # beside the run store, as <home>/approvals.db is
    approved = local.submit(_request(first, 1, tiny_png))
    local.answer(approved, True, digest="d-1")
    refused = local.submit(_request(second, 2))
    local.answer(refused, False)
    expired = local.submit(_request(second, 3))
    local.expire(expired)
    waiting = local.submit(_request(second, 4))  # its run polls this file for the answer
    local.close()
    target = postgres.new_database()
    done = CliRunner().invoke(cli, ["runs", "copy", "--to", target, "--from", str(source)])
    assert done.exit_code == 0, done.output
    assert "approvals  3 rows" in done.output and "1 approval request(s) still pending were left" in done.output
    fleet = ApprovalQueue(target)
    try:
        for approval_id, status in ((approved, "approved"), (refused, "rejected"), (expired, "expired")):
            assert fleet.get(approval_id).status == status
        assert fleet.get(approved).request == ApprovalQueue(tmp_path / "approvals.db").get(approved).request
        assert fleet.screenshot(approved) == tiny_png  # what the person saw travels with the answer
        assert fleet.pending() == []
        with pytest.raises(DeskhandError, match=waiting):
            fleet.get(waiting)
    finally:
        fleet.close()
    assert ApprovalQueue(tmp_path / "approvals.db").get(waiting).status == "pending"  # still answerable here
    # A fleet store that already holds approval requests is refused like one holding runs.
    again = postgres.new_database()
    seeded = ApprovalQueue(again)
    seeded.submit(_request("r-x", 1))
    seeded.close()
    refused_copy = CliRunner().invoke(cli, ["runs", "copy", "--to", again, "--from", str(source)])
    assert refused_copy.exception is not None and "1 approvals" in str(refused_copy.exception)
