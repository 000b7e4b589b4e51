"""`deskhand fix` on bad input: a run that did not fail, a workflow edited since the run, a failure with no
suggestion. Each says so clearly and leaves the file untouched; so do heals on an edited workflow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from repair_bench import Bench

from deskhand.errors import DeskhandError, WorkflowError
from deskhand.runner.fix import plan_fix
from deskhand.runner.review import accept, find_heal, pending_heals


def _deskhand(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESKHAND_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "deskhand", *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_fix_on_a_run_that_did_not_fail(bench: Bench) -> None:
    ok = bench.run()
    text = bench.path.read_text()
    with pytest.raises(DeskhandError, match=r"did not fail \(it succeeded\); there is nothing to fix"):
        plan_fix(bench.store.get_run(ok.run_id))
    assert bench.path.read_text() == text


def test_fix_on_a_workflow_edited_since_the_run(bench: Bench) -> None:
    bench.run()
    bench.version(2)
    failed = bench.run()
    edited = bench.path.read_text() + "\n<!-- a person's note -->\n"
    bench.path.write_text(edited)
    with pytest.raises(WorkflowError, match=r"was edited \(or moved\) since run") as raised:
        plan_fix(bench.store.get_run(failed.run_id))
    assert "Run the workflow again" in raised.value.hint
    assert bench.path.read_text() == edited


def test_fix_with_no_suggestion(bench: Bench) -> None:
    bench.path.write_text(bench.path.read_text().replace('Click "Submit"', 'Click "Quantum flux"'))
    failed = bench.run()
    assert failed.status == "failed" and failed.error is not None and failed.error["suggestions"] == []
    text = bench.path.read_text()
    with pytest.raises(DeskhandError, match="found no sentence that works on the screen"):
        plan_fix(bench.store.get_run(failed.run_id))
    assert bench.path.read_text() == text


def test_fix_picks_only_an_existing_suggestion(bench: Bench) -> None:
    bench.run()
    bench.version(2)
    failed = bench.run()
    with pytest.raises(DeskhandError, match="there is no number 9"):
        plan_fix(bench.store.get_run(failed.run_id), pick=9)


def test_the_cli_says_so_and_leaves_the_file_alone(bench: Bench, tmp_path: Path) -> None:
    ok = bench.run()
    text = bench.path.read_text()
    done = _deskhand("fix", ok.run_id, "--yes", home=tmp_path)  # the bench's store is tmp_path/runs.db
    assert done.returncode == 1
    assert f"Run {ok.run_id} did not fail" in done.stderr and "Traceback" not in done.stderr
    assert bench.path.read_text() == text
    missing = _deskhand("fix", "r-19990101-000000-0000", "--yes", home=tmp_path)
    assert missing.returncode == 1 and "No run with id" in missing.stderr


def test_accepting_a_heal_after_the_step_was_edited_is_refused(bench: Bench) -> None:
    bench.run()
    bench.version(2)
    bench.runner.approve_heal = lambda heal: True
    bench.run()
    edited = bench.path.read_text().replace('into "Email"', 'into "Mail"')
    bench.path.write_text(edited)
    heal = find_heal(bench.store, next(h.heal_id for h in pending_heals(bench.store) if h.step == 2))
    with pytest.raises(WorkflowError, match="now reads"):
        accept(bench.store, heal)
    assert bench.path.read_text() == edited
