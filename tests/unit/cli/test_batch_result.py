"""One printer for batches spread over desktops: a fleet's result shows each failed run's error line, as
`--parallel`'s does, plus where each failed row ran; both name the rows left to resume."""

from __future__ import annotations

import pytest

from deskhand.app.fleet.submit import FleetOutcome
from deskhand.app.parallel import ParallelOutcome, WorkerResult
from deskhand.runs.records import BatchRowRecord
from deskhand.surfaces.cli import run_fleet, run_parallel

FAILED_RUN = {
    "run_id": "r-2",
    "status": "failed",
    "report": "/r/r-2.html",
    "error": {"message": 'No button "Save record" on screen.'},
}


def _row(index: int, status: str, run_id: str | None = None, reason: str | None = None) -> BatchRowRecord:
    return BatchRowRecord(index, "", status, run_id, reason)


def test_a_fleet_prints_the_error_of_a_failed_run_and_the_machine(capsys: pytest.CaptureFixture[str]) -> None:
    outcome = FleetOutcome("b-1", "redis://h:6379/0", sent=[1, 2, 3])
    outcome.rows = [_row(0, "succeeded"), _row(1, "verified"), _row(2, "failed", "r-2"), _row(3, "pending")]
    outcome.runs = [{"run_id": "r-1", "status": "succeeded", "report": "/r/r-1.html", "error": None}, FAILED_RUN]
    outcome.machines = {2: "host-b, desktop 1 (pid 7)"}
    outcome.reported = {2: 'No button "Save record" on screen.'}
    run_fleet._print(outcome)
    out, err = capsys.readouterr()
    assert "run r-2: failed — report: /r/r-2.html" in out
    assert '  No button "Save record" on screen.' in err
    assert 'row 3 failed on host-b, desktop 1 (pid 7): No button "Save record" on screen.' in err
    assert "skipped rows already done: 1\n" in out
    assert "(verify: found them): 2\n" in out
    assert "rows not done: 3, 4 — run the same command again to resume." in err
    assert out.rstrip().endswith("batch b-1: 4 rows, 3 sent to redis://h:6379/0")


def test_parallel_prints_the_same_lines_and_a_desktop_that_ended(capsys: pytest.CaptureFixture[str]) -> None:
    outcome = ParallelOutcome("b-2", desktops=2)
    batch = {"runs": [FAILED_RUN], "skipped_rows": [0], "verified_rows": [], "unsure_rows": [], "set_aside": []}
    outcome.workers = [WorkerResult(1, 1, batch, ""), WorkerResult(2, -9, None, "Killed")]
    outcome.rows = {0: "succeeded", 1: "failed", 2: "running"}
    run_parallel._print(outcome)
    out, err = capsys.readouterr()
    assert "run r-2: failed — report: /r/r-2.html" in out and '  No button "Save record" on screen.' in err
    assert "desktop 2 ended with exit -9: Killed" in err
    assert "rows not done: 2, 3 — run the same command again to resume." in err
    assert out.rstrip().endswith("batch b-2: 3 rows on 2 desktops")
