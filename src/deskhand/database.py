"""The two databases of deskhand's stores (runs, approvals): SQLite (one file, the default) and PostgreSQL
(``DESKHAND_DB=postgresql://…``, the store a fleet of workers and its console share).

One SQL text serves both: statements are written in SQLite's spelling with ``?`` marks. On PostgreSQL this
layer turns the marks into psycopg's ``%s`` and, in CREATE and ALTER TABLE only, spells SQLite's column types
the way that keeps their meaning: INTEGER → BIGINT (SQLite's integers are 64-bit), REAL → DOUBLE PRECISION
(owner start times need more than float4), INTEGER PRIMARY KEY AUTOINCREMENT → an identity column, BLOB → BYTEA,
and TEXT → TEXT COLLATE "C" (SQLite compares text bytewise; ISO times and names then sort the same on both).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from deskhand.errors import StoreUnavailable

Where = Path | str  # a SQLite file, or a postgresql:// address
CONNECT_TIMEOUT_S = 5
# Any number, the same for every deskhand: migrations take this PostgreSQL advisory lock, as BEGIN IMMEDIATE
# does on SQLite, so two processes opening a new store never apply one migration twice.
_MIGRATION_LOCK = 0x6465736B


class Rows(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database(Protocol):
    dialect: str  # "sqlite" or "postgresql"
    where: str  # for people: the file, or host:port/database (never the password)
    # The store's own time as an SQL expression (seconds since 1970, UTC): machines of a fleet compare times
    # written by the store, not by their own clocks, which may differ.
    clock: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows: ...

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None: ...

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT into a table with an ``id`` identity; returns the new id."""
        ...

    def transaction(self, *, migrating: bool = False) -> Any:
        """A context manager: everything inside commits together or not at all (on SQLite the write lock is
        taken at the start; ``migrating``: on PostgreSQL the store-wide migration lock)."""
        ...

    def close(self) -> None: ...


def is_postgres(where: Where) -> bool:
    return isinstance(where, str) and where.startswith(("postgresql://", "postgres://"))


def describe(where: Where) -> str:
    """The file, or ``host:port/database`` of a PostgreSQL address (no user or password)."""
    if not is_postgres(where):
        return str(where)
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(str(where))
    except Exception:  # a malformed address: say only its scheme
        return "postgresql://(unreadable address)"
    return f"{parts.get('host') or 'localhost'}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


def open_database(where: Where, *, durable: bool = False) -> Database:
    """Connect to the store at ``where`` (``durable``: on SQLite, a commit waits for the disk)."""
    if is_postgres(where):
        return PostgresDatabase(str(where))
    return SqliteDatabase(Path(where), durable=durable)


class SqliteDatabase:
    dialect = "sqlite"
    clock = "((julianday('now') - 2440587.5) * 86400.0)"

    def __init__(self, path: Path, *, durable: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.where = str(path)
        # Autocommit mode: every transaction is explicit (BEGIN IMMEDIATE ... COMMIT).
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.execute("PRAGMA foreign_keys=ON")
        # WAL lets readers (`deskhand runs list`, the console) work while a run is writing.
        self._use_wal()
        if durable:
            self._db.execute("PRAGMA synchronous=FULL")

    def _use_wal(self) -> None:
        """Switch a new store to WAL (the mode is kept in the file). SQLite answers "database is locked" at
        once, without its busy handler, when several connections make that switch together (workers opening
        a fresh store at the same moment): the switch waits for the lock here, as the busy timeout would."""
        deadline = time.monotonic() + 30
        while self._db.execute("PRAGMA journal_mode").fetchone() != ("wal",):
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return self._db.execute(sql, params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        self._db.executemany(sql, params)

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        return int(self._db.execute(sql, params).lastrowid or 0)

    @contextmanager
    def transaction(self, *, migrating: bool = False) -> Iterator[SqliteDatabase]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()


_DDL_TYPES = (
    (re.compile(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b"), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b(?! GENERATED)"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),
)


@lru_cache(maxsize=512)
def postgres_sql(sql: str) -> str:
    """SQLite's spelling of a statement in PostgreSQL's (see the module's text)."""
    if sql.lstrip().upper().startswith(("CREATE TABLE", "ALTER TABLE")):
        for pattern, spelling in _DDL_TYPES:
            sql = pattern.sub(spelling, sql)
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresDatabase:
    """One psycopg connection in autocommit mode (transactions are explicit). A connection the server dropped
    (a restart, a network cut) fails its call with StoreUnavailable; the next call connects afresh (the failed
    call is never replayed: it may have been a write whose end is unknown)."""

    dialect = "postgresql"
    clock = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION)"

    def __init__(self, address: str) -> None:
        self.where = describe(address)
        self._address = address
        self._db = self._connect()
        self._depth = 0

    def _connect(self) -> Any:
        import psycopg

        try:
            return psycopg.connect(self._address, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except psycopg.Error as error:
            raise StoreUnavailable(
                f"The run store's PostgreSQL at {self.where} cannot be reached: {_first_line(error)}",
                hint="Start PostgreSQL there (or fix the host, port, user or password in DESKHAND_DB), or unset "
                "DESKHAND_DB to use the SQLite file of this machine.",
            ) from None

    @contextmanager
    def _live(self) -> Iterator[Any]:
        import psycopg

        if self._db.broken and self._depth == 0:
            self._db = self._connect()
        try:
            yield self._db
        except psycopg.OperationalError as error:
            if not self._db.broken:
                raise
            raise StoreUnavailable(
                f"The run store's PostgreSQL at {self.where} stopped answering: {_first_line(error)}",
                hint="Check that PostgreSQL runs there and the network reaches it; the next call connects again. "
                "A write cut off here may or may not have been committed.",
            ) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        with self._live() as db:
            rows: Rows = db.execute(postgres_sql(sql), tuple(params))
            return rows

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        with self._live() as db, db.cursor() as cursor:
            cursor.executemany(postgres_sql(sql), [tuple(row) for row in params])

    def insert(self, sql: str, params: Sequence[Any]) -> int:
        row = self.execute(f"{sql} RETURNING id", params).fetchone()
        return int(row[0])

    @contextmanager
    def transaction(self, *, migrating: bool = False) -> Iterator[PostgresDatabase]:
        with self._live() as db, db.transaction():
            self._depth += 1
            try:
                if migrating:
                    db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                yield self
            finally:
                self._depth -= 1

    def close(self) -> None:
        self._db.close()


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
