"""One migration list for both stores: applied once each, in order, recorded; a failing one leaves no trace; two
processes opening a new store at once apply each migration once (SQLite's write lock, PostgreSQL's advisory lock)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deskhand.database import Database, SqliteDatabase, open_database
from deskhand.runs.migrations import MIGRATIONS, applied_migrations, migrate
from deskhand.runs.store import RunStore

NAMES = [migration.__name__ for migration in MIGRATIONS]


def _tables(db: Database) -> set[str]:
    if db.dialect == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    return {str(row[0]) for row in db.execute(query)}


def test_migrations_apply_once_in_order_and_are_recorded(store_where: Path | str) -> None:
    db = open_database(store_where)
    assert migrate(db) == NAMES
    assert migrate(db) == []
    assert applied_migrations(db) == NAMES
    assert db.execute("SELECT count(*) FROM _migrations").fetchone() == (len(NAMES),)
    assert {"runs", "steps", "events", "batch_rows", "intents", "notices", "schedules", "workers"} <= _tables(db)


def test_sqlite_store_keeps_a_write_ahead_log(tmp_path: Path) -> None:
    db = SqliteDatabase(tmp_path / "runs.db")
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_opening_a_store_twice_applies_nothing_new(store_where: Path | str, tmp_path: Path) -> None:
    RunStore(store_where, artifacts_root=tmp_path).close()
    RunStore(store_where, artifacts_root=tmp_path).close()
    assert applied_migrations(open_database(store_where)) == NAMES


def test_stores_opened_at_once_apply_each_migration_once(store_where: Path | str) -> None:
    with ThreadPoolExecutor(4) as pool:  # four connections, as four worker processes have
        applied = list(pool.map(lambda _: migrate(open_database(store_where)), range(4)))
    assert sorted(name for names in applied for name in names) == sorted(NAMES)


def test_a_failing_migration_leaves_no_trace(store_where: Path | str) -> None:
    def m900_half_done(db: Database) -> None:
        db.execute("CREATE TABLE half (x INTEGER)")
        raise RuntimeError("boom")

    db = open_database(store_where)
    with pytest.raises(RuntimeError):
        migrate(db, (*MIGRATIONS, m900_half_done))
    assert "m900_half_done" not in applied_migrations(db)
    assert "half" not in _tables(db) and "runs" in _tables(db)
