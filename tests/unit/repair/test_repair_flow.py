"""Heal, suggest, fix and review, end to end on a fake form that changes between versions (issue 13)."""

from __future__ import annotations

from repair_bench import Bench

from deskhand.runner.fix import plan_fix
from deskhand.runner.review import accept, find_heal, pending_heals, reject
from deskhand.runs.report import render_report
from deskhand.workflows.lock import lock_path, read_lock


def test_the_lock_records_ids_form_neighbours_and_place(bench: Bench) -> None:
    assert bench.run().status == "succeeded"
    lock = read_lock(lock_path(bench.path))
    assert lock is not None
    email = dict(lock.steps[1].actions[0].fingerprint)
    assert email["dom_id"] == "email" and email["form"] == "signup" and email["name"] == "Email"
    assert email["before"] == "Name" and email["after"] == "Subscribe"
    assert email["place"] == "textbox 2 of 2"
    submit = dict(lock.steps[3].actions[0].fingerprint)
    assert submit["type"] == "submit" and submit["role"] == "button"


def test_a_reworded_field_heals_from_its_id_and_an_irreversible_click_stops_with_evidence(bench: Bench) -> None:
    bench.run()
    before = lock_path(bench.path).read_text()
    bench.backend.log.clear()
    bench.version(2)
    outcome = bench.run()
    assert outcome.status == "failed"
    healed = outcome.steps[1]
    assert healed.healed and healed.status == "succeeded"
    assert healed.heals[0]["proposal"] == 'Type "ada@example.org" into "E-mail address"'
    assert "same DOM id 'email'" in healed.heals[0]["why"]
    # The Submit button lost its name; the fingerprint finds "Send request", but a click that submits
    # never heals silently: the run stops with the proposal and the evidence.
    assert outcome.error is not None and outcome.error["step"] == 4
    assert outcome.error["suggestion"] == 'Click "Send request"'
    assert outcome.error["evidence"]["irreversible"] == "send"
    assert "same form 'signup'" in outcome.error["evidence"]["why"]
    assert "submit" not in _clicked(bench)  # nothing was pressed
    assert lock_path(bench.path).read_text() == before  # the lock changes only when a run succeeds
    kinds = [e.kind for e in bench.store.get_run(outcome.run_id).events]
    assert kinds.count("healed") == 2 and "workflow_file" in kinds


def test_an_approved_heal_goes_ahead(bench: Bench) -> None:
    bench.run()
    bench.backend.log.clear()
    bench.version(2)
    asked: list[str] = []
    bench.runner.approve_heal = lambda heal: asked.append(heal.proposal) or True
    outcome = bench.run()
    assert outcome.status == "succeeded", outcome.error
    assert asked == ['Click "Send request"']
    assert _clicked(bench).count("submit") == 1
    lock = read_lock(lock_path(bench.path))
    assert lock is not None and lock.steps[3].actions[0].fingerprint["name"] == "Send request"


def test_fix_applies_the_proposal_and_the_next_run_works(bench: Bench) -> None:
    bench.run()
    bench.backend.log.clear()
    bench.version(2)
    failed = bench.run()
    plan = plan_fix(bench.store.get_run(failed.run_id))
    assert '-4. Click "Submit"' in plan.diff and '+4. Click "Send request"' in plan.diff
    plan.apply()
    again = bench.run()
    assert again.status == "succeeded", again.error
    assert _clicked(bench).count("submit") == 1


def test_suggestions_rank_by_action_then_fingerprint_and_never_offer_what_cannot_click(bench: Bench) -> None:
    bench.run()
    bench.version(2, delete_button=True)
    outcome = bench.run()
    assert outcome.error is not None
    offered = [s["sentence"] for s in outcome.error["suggestions"]]
    # Two submit buttons match the form and type: no heal, but the one in Submit's old place ranks first.
    assert offered[0] == 'Click "Send request"'
    assert 'Click "Sign up"' not in offered  # the heading cannot be clicked
    assert len(offered) <= 3
    assert all(s["reasons"] and s["reasons"][-1].startswith("checked") for s in outcome.error["suggestions"])


def test_heals_are_reviewed_accept_rewrites_the_workflow_reject_forgets_the_lock(bench: Bench) -> None:
    bench.run()
    bench.backend.log.clear()
    bench.version(2)
    bench.runner.approve_heal = lambda heal: True
    assert bench.run().status == "succeeded"
    heals = pending_heals(bench.store)
    assert [h.step for h in heals] == [4, 2] or sorted(h.step for h in heals) == [2, 4]
    email = find_heal(bench.store, next(h.heal_id for h in heals if h.step == 2))
    accept(bench.store, email)
    assert '2. Type "ada@example.org" into "E-mail address"' in bench.path.read_text()
    submit = find_heal(bench.store, next(h.heal_id for h in heals if h.step == 4))
    reject(bench.store, submit)
    lock = read_lock(lock_path(bench.path))
    assert lock is not None and all(s.sentence != 'Click "Submit"' for s in lock.steps)
    assert pending_heals(bench.store) == []


def test_repair_mode_uses_a_strong_reversible_suggestion_and_stops_at_the_irreversible_step(bench: Bench) -> None:
    bench.path.write_text(bench.path.read_text().replace('into "Name"', 'into "Names"'))
    outcome = bench.run(repair=True)  # no lock: nothing to heal from, but "Names" is close to "Name"
    assert outcome.steps[0].healed and outcome.steps[0].heals[0]["proposal"] == 'Type "Ada" into "Name"'
    assert outcome.status == "succeeded"


def _clicked(bench: Bench) -> list[object]:
    return [call[0] for call in bench.backend.calls("click")]


def test_the_report_shows_heals_suggestions_and_why_a_person_is_needed(bench: Bench) -> None:
    bench.run()
    bench.version(2)
    failed = bench.run()
    html = render_report(bench.store.get_run(failed.run_id))
    assert "Healed steps" in html and "same DOM id &#39;email&#39;" in html
    assert "Click &#34;Send request&#34;" in html and f"deskhand fix {failed.run_id}" in html
    assert "it means send, which cannot be undone" in html
