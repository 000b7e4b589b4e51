"""Row claims of a parallel batch (runs/claims.py): one claim per row per pass, across processes' connections;
a new pass may take what an old one left; a failed row of the pass stops further claims."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from deskhand.runs.claims import RowClaims
from deskhand.runs.store import RunStore


def test_each_row_is_claimed_by_one_worker_of_a_pass(store_where: Path | str) -> None:
    store = RunStore(store_where, artifacts_root=Path("/nonexistent"))
    batch = store.create_batch("wf.md", 40, inputs_file_hash="h")
    workers = [RowClaims(store.path, "pass-1") for _ in range(4)]  # four connections, as four processes have

    def take(claims: RowClaims) -> list[int]:
        return [index for index in range(40) if claims.claim(batch, index)]

    with ThreadPoolExecutor(4) as pool:
        taken = list(pool.map(take, workers))
    assert sorted(index for rows in taken for index in rows) == list(range(40))
    assert workers[0].rows_of_pass(batch) == dict.fromkeys(range(40), "pending")


def test_a_new_pass_takes_rows_an_old_pass_left_and_a_failure_stops_the_pass(store_where: Path | str) -> None:
    store = RunStore(store_where, artifacts_root=Path("/nonexistent"))
    batch = store.create_batch("wf.md", 3, inputs_file_hash="h")
    old, new = RowClaims(store.path, "old"), RowClaims(store.path, "new")
    assert old.claim(batch, 0) and not old.claim(batch, 0)
    store.mark_row(batch, 0, None, "running")  # the old command was killed here
    assert new.claim(batch, 0)
    store.mark_row(batch, 0, None, "failed")
    assert not new.claim(batch, 1) and not new.claim(batch, 2)  # a serial batch stops at a failure too
    assert RowClaims(store.path, "later").claim(batch, 1)
