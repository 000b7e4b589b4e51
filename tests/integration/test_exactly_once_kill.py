"""Exactly once under kill -9: a 20-row batch into a loopback app that counts records, the deskhand process
killed at 50 random points and the same command run again each time; at the end every row was posted once,
and no row was set aside (the workflow has `verify:` steps).

Kill points (documented, as the issue asks): one Chromium and one desktop serve every process (deskhand
attaches to the browser over CDP each time), so a cycle costs a process start, not a browser start. Each
point is (row, phase, jitter). The phase is the process start, one of the five steps, the `verify:` run of
a resumed row, or "intent": the moment the store holds an intent without its outcome (the click is on its
way; polled every 2 ms, so some of these land just after the outcome). The kill comes ``jitter`` (0-0.4 s)
after the store shows the process there (at once for "intent", and when it is already past it). Points are
sorted by row, so the batch moves on between kills (rows 1-19: the 20th is left for the last command); the
submit step gets more points, since the intent/outcome window is where a row can be lost or repeated. The
seed is printed; DESKHAND_KILL_SEED replays a run.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from tests.fixtures.web.records_app import Records, records_workflow, serve_records
from tests.integration.cli_shell import cli_env
from tests.integration.served_chromium import launch_served_chromium

from deskhand.sandbox import VirtualDesktop

pytestmark = [pytest.mark.desktop, pytest.mark.slow]

ROWS = 20
KILLS = 50
PHASES = ("start", 1, 2, 3, 4, 4, "intent", "intent", 5, 5, "verify")
JITTER_S = 0.4
STEP_TIMEOUT_S = 120


def _where(db: Path, since: str) -> tuple[str, int, int] | None:
    """The run the process is in: (kind, batch row, the highest step started), or None before its first run."""
    if not db.exists():
        return None
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            row = conn.execute(
                "SELECT r.kind, r.batch_row, COALESCE((SELECT MAX(n) FROM steps s WHERE s.run_id = r.id), 0) "
                "FROM runs r WHERE r.started_at >= ? ORDER BY r.started_at DESC LIMIT 1",
                (since,),
            ).fetchone()
    except sqlite3.OperationalError:  # the store is still being created
        return None
    return None if row is None else (str(row[0]), int(row[1]), int(row[2]))


def _intent_open(db: Path, since: str) -> bool:
    """An intent recorded and its outcome not yet: the action is on its way (a window of a few ms)."""
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            query = "SELECT 1 FROM intents WHERE created_at >= ? AND outcome IS NULL LIMIT 1"
            return conn.execute(query, (since,)).fetchone() is not None
    except sqlite3.OperationalError:
        return False


def _reached(where: tuple[str, int, int] | None, row: int, phase: object, db: Path, since: str) -> bool:
    if where is None:
        return False
    kind, at_row, step = where
    if at_row > row:
        return True
    if phase == "verify":
        return kind == "verify" and at_row == row
    if phase == "intent":  # at the intent if the poll catches it, else once the submit step is over
        return kind == "workflow" and at_row == row and (step >= 5 or (step == 4 and _intent_open(db, since)))
    return kind == "workflow" and at_row == row and isinstance(phase, int) and step >= phase


def _plan(rng: random.Random) -> list[tuple[int, object, float]]:
    # Every phase at least once, then random; sorted by row so the batch advances between kills.
    # Rows up to the second last: a point whose row a resumed process finds already done (verify) is then
    # met at the next row's start, so every point is a kill and the final command has rows left to finish.
    points = [(rng.randrange(ROWS - 1), phase, rng.uniform(0, JITTER_S)) for phase in dict.fromkeys(PHASES)]
    while len(points) < KILLS:
        points.append((rng.randrange(ROWS - 1), rng.choice(PHASES), rng.uniform(0, JITTER_S)))
    return sorted(points, key=lambda p: (p[0], PHASES.index(p[1])))


def _landed(db: Path) -> str:
    """Where the kill landed, from the store: the intent window is what matters."""
    with sqlite3.connect(db, timeout=5) as conn:
        last = conn.execute("SELECT id, kind FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()
        if last is None:
            return "before any run"
        intents = conn.execute("SELECT outcome FROM intents WHERE run_id = ?", (last[0],)).fetchall()
    if last[1] == "verify":
        return "during verify"
    if not intents:
        return "before the intent"
    return "intent, no outcome" if intents[-1][0] is None else "after the outcome"


@pytest.mark.timeout(2400)  # 51 commands, each a process start (~2-4 s on 2 loaded cores) plus its rows
def test_every_row_exactly_once_across_fifty_kills(tmp_path: Path) -> None:
    began = time.monotonic()
    seed = int(os.environ.get("DESKHAND_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    with serve_records() as records, VirtualDesktop() as desk:
        launch_served_chromium(desk, "about:blank")
        (tmp_path / "records.md").write_text(records_workflow(records.base), encoding="utf-8")
        names = [f"person-{i:02d}" for i in range(1, ROWS + 1)]
        (tmp_path / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
        env = cli_env(desk.env, DESKHAND_HOME=str(tmp_path / "home"))
        env.pop("DESKHAND_MODEL", None)
        command = [sys.executable, "-m", "deskhand", "run", str(tmp_path / "records.md"), "--inputs"]
        command += [str(tmp_path / "rows.csv"), "--desktop", "current", "--approve", "deny"]
        db = tmp_path / "home" / "runs.db"
        landed: Counter[str] = Counter()
        for row, phase, jitter in _plan(rng):
            since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() - 1))
            process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + STEP_TIMEOUT_S
            if phase == "start":
                time.sleep(jitter * 4)  # somewhere in the process's start (imports, bus, CDP attach)
            else:
                while not _reached(_where(db, since), row, phase, db, since):
                    assert process.poll() is None, (
                        f"seed {seed}: ended before row {row} {phase}: {process.communicate()}"
                    )
                    assert time.monotonic() < deadline, f"seed {seed}: never reached row {row} {phase}"
                    time.sleep(0.002 if phase == "intent" else 0.02)
                time.sleep(0 if phase == "intent" else jitter)
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=30)
            landed[_landed(db) if db.exists() else "before any run"] += 1
        final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
        assert final.returncode == 0, f"seed {seed}\n{final.stdout[-3000:]}\n{final.stderr[-3000:]}"
        _assert_each_once(records, names, seed, landed)
        with sqlite3.connect(db) as conn:
            statuses = Counter(status for (status,) in conn.execute("SELECT status FROM batch_rows"))
            verify_runs = conn.execute("SELECT COUNT(*) FROM runs WHERE kind = 'verify'").fetchone()[0]
            # Looks that failed before their last step (each was made again).
            undecided = conn.execute(
                "SELECT COUNT(*) FROM runs r WHERE r.kind = 'verify' AND r.status = 'failed' "
                "AND (SELECT MAX(n) FROM steps s WHERE s.run_id = r.id) < 3"
            ).fetchone()[0]
            aside = conn.execute("SELECT row_index, reason FROM batch_rows WHERE status = 'set_aside'").fetchall()
        # The workflow has verify: steps, so every row a kill left undecided was decided by looking.
        assert set(statuses) <= {"succeeded", "verified"}, (seed, statuses, aside)
        print(
            f"\nseed {seed}: {sum(landed.values())} kills in {time.monotonic() - began:.0f} s, landed "
            f"{dict(landed)}; rows {dict(statuses)}; "
            f"verify runs {verify_runs} ({undecided} could not look and looked again)"
        )
        assert sum(landed.values()) >= KILLS
        # The dangerous window was exercised: some kill left a row whose action may have happened.
        assert verify_runs >= 1, (seed, landed)


def _assert_each_once(records: Records, names: list[str], seed: int, landed: Counter[str]) -> None:
    counts = records.counts()
    twice = {name: n for name, n in counts.items() if n != 1}
    missing = [name for name in names if name not in counts]
    assert not twice and not missing, f"seed {seed}: posted more than once {twice}, never {missing}; kills {landed}"
    assert sorted(counts) == names
