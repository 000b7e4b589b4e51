"""What workers learn, sent back: a lock returned with a row is taken only with the fleet key's signature over the
batch, the row and its text; what it adds or changes over the submitter's wf.lock becomes a proposal beside it,
and wf.lock is written only when a person accepts the difference shown (`deskhand fleet lock`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from deskhand.app.fleet.learned import LearnedLocks, proposal_path, sign_lock
from deskhand.surfaces.cli.main import _register_commands, app
from deskhand.workflows.lock import Lock, LockedAction, LockedStep, dump_lock, lock_path, read_lock, write_lock


def _step(n: int, selector: str) -> LockedStep:
    return LockedStep(n, f"step {n}", f"h{n}", (LockedAction("click", selector),))


def test_a_signed_lock_is_proposed_and_written_only_when_accepted(tmp_path: Path) -> None:
    workflow = tmp_path / "orders.md"
    workflow.write_text("---\nname: orders\n---\n1. step 1\n2. step 2\n", encoding="utf-8")
    mine = Lock(1, "orders", (_step(1, 'role=button[name="Old"]'),))
    write_lock(lock_path(workflow), mine)
    before = lock_path(workflow).read_text(encoding="utf-8")
    learned_text = dump_lock(Lock(1, "orders", (_step(1, 'role=button[name="New"]'), _step(2, "role=link"))))
    learned = LearnedLocks(workflow, b"k")
    learned.take("b-1", 0, learned_text, sign_lock(b"k", "b-1", 0, learned_text), "host-w, desktop 1")
    # The same text signed for another row, with another key, or changed after signing: refused, said why.
    learned.take("b-1", 1, learned_text + "#", sign_lock(b"k", "b-1", 1, learned_text), "host-x, desktop 1")
    learned.take("b-1", 2, learned_text, sign_lock(b"other", "b-1", 2, learned_text), "host-y, desktop 1")
    assert [why.split(":")[0] for why in learned.refused] == [
        "the lock sent back by host-x, desktop 1 for row 2",
        "the lock sent back by host-y, desktop 1 for row 3",
    ]
    proposed = learned.propose()
    assert proposed == (proposal_path(workflow), 2)
    assert lock_path(workflow).read_text(encoding="utf-8") == before  # nothing written blindly
    _register_commands()
    runner = CliRunner()
    shown = runner.invoke(app, ["fleet", "lock", str(workflow)])
    assert shown.exit_code == 0, shown.output
    assert '-    selector: role=button[name="Old"]' in shown.output and "+    selector: role=link" in shown.output
    accepted = runner.invoke(app, ["fleet", "lock", str(workflow), "--accept"])
    assert accepted.exit_code == 0, accepted.output
    lock = read_lock(lock_path(workflow))
    assert lock is not None and [s.actions[0].selector for s in lock.steps] == ['role=button[name="New"]', "role=link"]
    assert not proposal_path(workflow).exists()
    assert LearnedLocks(workflow, b"k").propose() is None  # nothing new: no proposal


def test_a_proposal_can_be_rejected_and_nothing_proposed_is_said(tmp_path: Path) -> None:
    workflow = tmp_path / "orders.md"
    text = dump_lock(Lock(1, "orders", (_step(1, "role=link"),)))
    learned = LearnedLocks(workflow, b"k")
    learned.take("b-1", 0, text, sign_lock(b"k", "b-1", 0, text), "w")
    assert learned.propose() == (proposal_path(workflow), 1)
    _register_commands()
    runner = CliRunner()
    assert runner.invoke(app, ["fleet", "lock", str(workflow), "--reject"]).exit_code == 0
    assert not proposal_path(workflow).exists() and not lock_path(workflow).exists()
    said = runner.invoke(app, ["fleet", "lock", str(workflow)])
    assert said.exit_code == 0 and "No lock proposed by the fleet" in said.output, said.output


@pytest.mark.parametrize("garbage", ["steps: [1, 2", "version: 1\nworkflow: x\nsteps: [{n: one}]\n"])
def test_a_corrupt_lock_sent_back_is_refused_naming_its_sender(tmp_path: Path, garbage: str) -> None:
    learned = LearnedLocks(tmp_path / "orders.md", b"k")
    learned.take("b-1", 4, garbage, sign_lock(b"k", "b-1", 4, garbage), "host-w, desktop 2")
    assert len(learned.refused) == 1 and "row 5 from host-w, desktop 2" in learned.refused[0], learned.refused
    assert learned.propose() is None
