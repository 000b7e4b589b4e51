from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from deskhand.runs.store import RunStore

_OWNER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from deskhand.runs.store import RunStore

    where = sys.argv[1]
    store = RunStore(where if where.startswith("postgresql://") else Path(where))
    run_id = store.start_run("flow.md", "Flow", {})
    store.start_step(run_id, 1, "Wait forever")
    print(run_id, flush=True)
    time.sleep(60)
    """
)


def test_a_run_whose_process_was_killed_is_marked_interrupted(store_where: Path | str) -> None:
    database = store_where
    owner = subprocess.Popen([sys.executable, "-c", _OWNER, str(database)], stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout is not None
        run_id = owner.stdout.readline().strip()
        with RunStore(database) as store:
            assert store.get_run(run_id).status == "running"  # its owner still lives
    finally:
        owner.kill()
        owner.wait()
    with RunStore(database) as store:
        run = store.get_run(run_id)
    assert run.status == "interrupted"
    assert run.finished_at is not None
    assert [step.status for step in run.steps] == ["interrupted"]


def test_a_live_owner_keeps_its_run_but_a_reused_pid_does_not(store_where: Path | str) -> None:
    database = store_where
    with RunStore(database) as store:
        mine = store.start_run("flow.md", "Flow", {})
        impostor = store.start_run("flow.md", "Flow", {})
        # Same pid as this process but another start time: the pid was reused by someone else.
        store._db.execute("UPDATE runs SET owner_started = owner_started - 3600 WHERE id = ?", (impostor,))
    with RunStore(database) as store:
        assert store.get_run(mine).status == "running"
        assert store.get_run(impostor).status == "interrupted"
