"""Schema migrations of the run store: named functions applied once each, in order.

Each migration runs inside its own transaction together with its row in ``_migrations``, so a crash leaves
the schema either before or after a migration, never half way. Never edit a migration that has shipped;
append a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from deskhand.database import Database

Migration = Callable[[Database], None]


def m001_runs_and_steps(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            workflow_path TEXT NOT NULL,
            workflow_name TEXT NOT NULL,
            inputs_json TEXT NOT NULL,
            batch_id TEXT,
            batch_row INTEGER,
            status TEXT NOT NULL,
            owner_pid INTEGER NOT NULL,
            owner_started REAL NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            error_json TEXT,
            report_path TEXT
        )
        """
    )
    db.execute("CREATE INDEX runs_by_start ON runs (started_at)")
    db.execute("CREATE INDEX runs_by_status ON runs (status)")
    db.execute(
        """
        CREATE TABLE steps (
            run_id TEXT NOT NULL REFERENCES runs (id),
            n INTEGER NOT NULL,
            sentence TEXT NOT NULL,
            status TEXT NOT NULL,
            ms INTEGER,
            healed INTEGER NOT NULL DEFAULT 0,
            reason TEXT,
            actions_json TEXT NOT NULL DEFAULT '[]',
            snapshot_path TEXT,
            screenshot_path TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            PRIMARY KEY (run_id, n)
        )
        """
    )


def m002_model_calls_and_events(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE model_calls (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL REFERENCES runs (id),
            step INTEGER,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            latency_ms INTEGER NOT NULL,
            cost_usd REAL,
            at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX model_calls_by_run ON model_calls (run_id)")
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL REFERENCES runs (id),
            step INTEGER,
            kind TEXT NOT NULL,
            data_json TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX events_by_run ON events (run_id)")


def m003_batches(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE batches (
            id TEXT PRIMARY KEY,
            workflow_path TEXT NOT NULL,
            inputs_file_hash TEXT NOT NULL,
            rows INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            finished_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX batches_by_file ON batches (workflow_path, inputs_file_hash, created_at)")
    db.execute(
        """
        CREATE TABLE batch_rows (
            batch_id TEXT NOT NULL REFERENCES batches (id),
            row_index INTEGER NOT NULL,
            input_hash TEXT NOT NULL,
            status TEXT NOT NULL,
            run_id TEXT,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (batch_id, row_index)
        )
        """
    )


def m004_notices(db: Database) -> None:
    # Every notice, sent or not: the outbox a notifier that is down is retried from, and the memory that
    # groups repeats (``group_key``: workflow + step + kind) into one notice and a digest.
    db.execute(
        """
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL,
            workflow TEXT NOT NULL,
            step INTEGER,
            kind TEXT NOT NULL,
            group_key TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            attachment_path TEXT,
            urls_json TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX notices_by_group ON notices (group_key, created_at)")
    db.execute("CREATE INDEX notices_by_status ON notices (status)")


def m005_intents(db: Database) -> None:
    # Exactly once: a row is written (and synced) before each irreversible action, its outcome after it; a
    # batch resuming a row that has one checks the row with the workflow's `verify:` steps first.
    db.execute(
        """
        CREATE TABLE intents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run_id TEXT NOT NULL,
            step INTEGER,
            action TEXT NOT NULL,
            target_json TEXT NOT NULL,
            meaning TEXT NOT NULL,
            created_at TEXT NOT NULL,
            outcome TEXT,
            outcome_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX intents_by_run ON intents (run_id)")
    db.execute("ALTER TABLE batch_rows ADD COLUMN reason TEXT")


def m006_schedules(db: Database) -> None:
    # What runs when (`schedule:` in a workflow, or `deskhand schedule add`), and every firing: run, missed
    # (the machine was off or the scheduler down), skipped by the missed-run policy, or held by an overlap.
    db.execute(
        """
        CREATE TABLE schedules (
            id TEXT PRIMARY KEY,
            workflow_path TEXT NOT NULL,
            expression TEXT NOT NULL,
            cron TEXT NOT NULL,
            missed TEXT NOT NULL,
            source TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_fire_at TEXT
        )
        """
    )
    db.execute("CREATE UNIQUE INDEX schedules_by_workflow ON schedules (workflow_path, cron)")
    db.execute(
        """
        CREATE TABLE schedule_fires (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            schedule_id TEXT NOT NULL,
            due_at TEXT NOT NULL,
            status TEXT NOT NULL,
            run_id TEXT,
            note TEXT,
            at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX schedule_fires_by_schedule ON schedule_fires (schedule_id, due_at)")


def m007_row_claims(db: Database) -> None:
    # A parallel batch (--parallel N): the command pass that claimed a row, so N desktops never take the same
    # row in one pass, and a later pass (a resume) may take a row an earlier, interrupted pass left.
    db.execute("ALTER TABLE batch_rows ADD COLUMN claimed_by TEXT")


def m008_fleet(db: Database) -> None:
    # A fleet: the host of a run's owner (pids of other machines say nothing here), the workers serving rows
    # with their heartbeats, and what each of their desktops runs (runs/workers.py; the console's fleet page).
    db.execute("ALTER TABLE runs ADD COLUMN owner_host TEXT")
    db.execute(
        """
        CREATE TABLE workers (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            desktops INTEGER NOT NULL,
            version TEXT NOT NULL,
            started_at TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL,
            stopped_at TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE worker_desktops (
            worker TEXT NOT NULL,
            number INTEGER NOT NULL,
            display TEXT NOT NULL,
            run_id TEXT,
            PRIMARY KEY (worker, number)
        )
        """
    )
    db.execute("CREATE INDEX worker_desktops_by_run ON worker_desktops (run_id)")


def m009_desktop_pids(db: Database) -> None:
    # Each desktop's process: a fleet desktop's running run is judged by its row's lease (runs/orphans.py).
    db.execute("ALTER TABLE worker_desktops ADD COLUMN pid INTEGER")


def m010_fleet_stop_audit_beats(db: Database) -> None:
    # The fleet's kill switch (runs/fleet_stop.py): a stop in force until lifted, seen by every run of the store.
    db.execute(
        """
        CREATE TABLE fleet_stops (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            asked_at TEXT NOT NULL,
            asked_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            lifted_at TEXT,
            lifted_by TEXT
        )
        """
    )
    # One audit log of every machine's actions (runs/shared_audit.py), beside each machine's hash-chained file.
    db.execute(
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            host TEXT NOT NULL,
            machine TEXT NOT NULL,
            run_id TEXT NOT NULL,
            step INTEGER,
            action TEXT NOT NULL,
            allowed INTEGER NOT NULL,
            target_json TEXT NOT NULL,
            value TEXT
        )
        """
    )
    db.execute("CREATE INDEX audit_by_run ON audit (run_id, id)")
    # Liveness by the store's own clock (seconds): each fleet desktop's, and each worker's (runs/silent_runs.py).
    db.execute(
        "CREATE TABLE desktop_beats (host TEXT NOT NULL, pid INTEGER NOT NULL, beat REAL NOT NULL, "
        "PRIMARY KEY (host, pid))"
    )
    db.execute("ALTER TABLE workers ADD COLUMN beat REAL")


MIGRATIONS: tuple[Migration, ...] = (
    m001_runs_and_steps,
    m002_model_calls_and_events,
    m003_batches,
    m004_notices,
    m005_intents,
    m006_schedules,
    m007_row_claims,
    m008_fleet,
    m009_desktop_pids,
    m010_fleet_stop_audit_beats,
)


def applied_migrations(db: Database) -> list[str]:
    """Names of the migrations already applied, in the order they were applied."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY applied_at, name")]


def migrate(db: Database, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """Apply the migrations not yet applied; returns the names applied now.

    Each runs in its own transaction with the write lock (SQLite) or the migration lock (PostgreSQL) taken
    before checking, so two processes opening a new store at once cannot both apply the same migration.
    """
    applied_now: list[str] = []
    for migration in migrations:
        with db.transaction(migrating=True):
            if migration.__name__ not in applied_migrations(db):
                migration(db)
                db.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                    (migration.__name__, datetime.now(UTC).isoformat(timespec="microseconds")),
                )
                applied_now.append(migration.__name__)
    return applied_now
