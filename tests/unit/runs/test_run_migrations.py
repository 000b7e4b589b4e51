from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.runs.dialect import Database, SqliteDatabase
from deskhand.runs.migrations import MIGRATIONS, applied_migrations, migrate
from deskhand.runs.store import RunStore


def _connect(path: Path) -> SqliteDatabase:
    return SqliteDatabase(path)


def test_migrations_apply_once_in_order_and_are_recorded(tmp_path: Path) -> None:
    db = _connect(tmp_path / "runs.db")
    names = [migration.__name__ for migration in MIGRATIONS]
    assert migrate(db) == names
    assert migrate(db) == []
    assert applied_migrations(db) == names
    assert db.execute("SELECT count(*) FROM _migrations").fetchone() == (len(names),)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_opening_a_store_twice_applies_nothing_new(tmp_path: Path) -> None:
    RunStore(tmp_path / "runs.db").close()
    RunStore(tmp_path / "runs.db").close()
    db = _connect(tmp_path / "runs.db")
    assert applied_migrations(db) == [migration.__name__ for migration in MIGRATIONS]


def test_a_failing_migration_leaves_no_trace(tmp_path: Path) -> None:
    def m900_half_done(db: Database) -> None:
        db.execute("CREATE TABLE half (x)")
        raise RuntimeError("boom")

    db = _connect(tmp_path / "runs.db")
    with pytest.raises(RuntimeError):
        migrate(db, (*MIGRATIONS, m900_half_done))
    assert "m900_half_done" not in applied_migrations(db)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "half" not in tables
    assert "runs" in tables
