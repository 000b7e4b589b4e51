from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskhand.errors import DeskhandError, InputError
from deskhand.runs.fingerprint import file_fingerprint, inputs_fingerprint
from deskhand.runs.store import RunStore


def _record_failed_run(store: RunStore, png: bytes = b"png") -> str:
    run_id = store.start_run("/tmp/invoice.md", "Invoice", {"customer": "ACME"})
    store.start_step(run_id, 1, "Open Mousepad")
    store.finish_step(run_id, 1, "succeeded", 120, actions=[{"do": "launch"}], screenshot_png=png)
    store.record_model_call(run_id, 2, "anthropic", "claude", 1000, 50, 800, 0.01)
    store.record_model_call(run_id, 2, "anthropic", "claude", 300, 20, 400, None)
    store.start_step(run_id, 2, "Click Save")
    store.finish_step(run_id, 2, "failed", 5000, healed=True, reason="no Save button", snapshot_text="[frame]")
    store.finish_run(
        run_id,
        "failed",
        {
            "step": 2,
            "message": "No button named Save",
            "suggestion": "Click 'Save As'",
            "candidates": ["Save As"],
        },
    )
    return run_id


def test_a_run_round_trips_to_the_json_shape(store: RunStore) -> None:
    run_id = _record_failed_run(store)
    data = store.get_run(run_id).to_json()
    assert data.pop("started_at") <= data.pop("finished_at")
    assert data == {
        "run_id": run_id,
        "status": "failed",
        "workflow": "Invoice",
        "batch_id": None,
        "steps": [
            {
                "n": 1,
                "sentence": "Open Mousepad",
                "status": "succeeded",
                "ms": 120,
                "healed": False,
                "reason": None,
            },
            {
                "n": 2,
                "sentence": "Click Save",
                "status": "failed",
                "ms": 5000,
                "healed": True,
                "reason": "no Save button",
            },
        ],
        "model_calls": 2,
        "input_tokens": 1300,
        "output_tokens": 70,
        "report": None,
        "error": {"step": 2, "message": "No button named Save", "suggestion": "Click 'Save As'"},
    }
    json.dumps(data)  # plain JSON all the way down


def test_ids_are_short_sortable_and_runs_list_newest_first(store: RunStore) -> None:
    first = store.start_run("a.md", "A", {})
    second = store.start_run("b.md", "B", {})
    assert first.startswith("r-") and len(first) == len("r-20261125-123456-ab12")
    assert [run.run_id for run in store.list_runs()] == [second, first]
    assert [run.run_id for run in store.list_runs(limit=1)] == [second]


def test_artifacts_are_written_to_the_run_folder_and_recorded(store: RunStore, tmp_path: Path, tiny_png: bytes) -> None:
    run_id = _record_failed_run(store, tiny_png)
    steps = store.get_run(run_id).steps
    assert steps[0].screenshot_path == tmp_path / "runs" / run_id / "step-01.png"
    assert steps[0].screenshot_path.read_bytes() == tiny_png
    assert steps[1].snapshot_path == tmp_path / "runs" / run_id / "step-02.txt"
    assert steps[1].snapshot_path.read_text() == "[frame]"
    assert steps[0].actions == ({"do": "launch"},)
    assert not list((tmp_path / "runs" / run_id).glob(".*"))  # no temporary files left behind


def test_a_run_that_cannot_start_is_never_created(store: RunStore) -> None:
    with pytest.raises(InputError, match="cannot be stored"):
        store.start_run("a.md", "A", {"when": object()})
    with pytest.raises(DeskhandError, match="not a run kind"):
        store.start_run("a.md", "A", {}, kind="cron")
    with pytest.raises(DeskhandError, match="has no row"):
        store.start_run("a.md", "A", {}, batch_id="b-missing", row=0)
    assert store.list_runs() == []


def test_unknown_run_ids_say_how_to_find_real_ones(store: RunStore) -> None:
    with pytest.raises(DeskhandError) as caught:
        store.get_run("r-19990101-000000-0000")
    assert "deskhand runs list" in caught.value.hint
    with pytest.raises(DeskhandError):
        store.start_step("r-19990101-000000-0000", 1, "x")


def test_bad_statuses_are_refused(store: RunStore) -> None:
    run_id = store.start_run("a.md", "A", {})
    with pytest.raises(DeskhandError, match="step status"):
        store.finish_step(run_id, 1, "great", 1)
    with pytest.raises(DeskhandError, match="final run status"):
        store.finish_run(run_id, "running")


def test_redaction_reaches_every_stored_text(tmp_path: Path) -> None:
    secret = "hunter2"
    with RunStore(tmp_path / "runs.db", redact=lambda text: text.replace(secret, "•••")) as store:
        run_id = store.start_run(f"/w/{secret}.md", f"Log in {secret}", {"password": secret, secret: [secret]})
        store.start_step(run_id, 1, f"Type {secret} into Password")
        store.finish_step(
            run_id,
            1,
            "blocked",
            3,
            reason=f"typing {secret} is not allowed",
            actions=[{"type": secret, "nested": {"deep": [secret]}}],
            snapshot_text=f"[entry] Password = {secret}",
        )
        store.record_event(run_id, 1, f"policy {secret}", {"value": secret, "list": [f"x{secret}x"]})
        store.record_model_call(run_id, 1, "p", f"model-{secret}", 1, 1, 1, None)
        store.finish_run(run_id, "failed", {"step": 1, "message": f"rejected {secret}", "suggestion": secret})
        batch = store.create_batch(f"/w/{secret}.md", 1, inputs_file_hash="h")
        assert store.find_batch(f"/w/{secret}.md", "h") == batch
    stored = (tmp_path / "runs.db").read_bytes()
    for suffix in ("-wal", "-shm"):
        sidecar = tmp_path / f"runs.db{suffix}"
        stored += sidecar.read_bytes() if sidecar.exists() else b""
    artifacts = b"".join(path.read_bytes() for path in (tmp_path / "runs").rglob("*") if path.is_file())
    assert secret.encode() not in stored
    assert secret.encode() not in artifacts
    assert "•••".encode() in stored


def test_batches_resume_without_resubmitting_succeeded_rows(store: RunStore, tmp_path: Path) -> None:
    inputs = tmp_path / "rows.csv"
    inputs.write_text("name\nada\nbob\n")
    rows = [{"name": "ada"}, {"name": "bob"}]
    file_hash = file_fingerprint(inputs)
    batch = store.create_batch(
        "flow.md", 2, inputs_file_hash=file_hash, row_hashes=[inputs_fingerprint(r) for r in rows]
    )
    assert store.find_batch("flow.md", file_hash) == batch
    assert store.find_batch("flow.md", "another file") is None
    assert store.find_batch("other.md", file_hash) is None

    first = store.start_run("flow.md", "Flow", rows[0], batch_id=batch, row=0)
    store.mark_row(batch, 0, first, "running")
    store.finish_run(first, "succeeded")
    store.mark_row(batch, 0, first, "succeeded")
    assert [store.batch_row_status(batch, index) for index in (0, 1)] == ["succeeded", "pending"]
    assert store.batch_rows(batch)[1].input_hash == inputs_fingerprint({"name": "bob"})
    assert [run.run_id for run in store.list_runs(batch_id=batch)] == [first]

    # A second, newer unfinished batch of the same file is the one to resume; finished ones are not.
    newer = store.create_batch(Path("flow.md").resolve(), 2, inputs_file_hash=file_hash)
    assert store.find_batch("flow.md", file_hash) == newer
    store.finish_batch(newer)
    assert store.find_batch("flow.md", file_hash) == batch
    with pytest.raises(DeskhandError, match="no row 5"):
        store.mark_row(batch, 5, None, "failed")
    with pytest.raises(DeskhandError, match="batch row status"):
        store.mark_row(batch, 1, None, "great")


def test_inputs_fingerprint_ignores_key_order() -> None:
    assert inputs_fingerprint({"a": 1, "b": "x"}) == inputs_fingerprint({"b": "x", "a": 1})
    assert inputs_fingerprint({"a": 1}) != inputs_fingerprint({"a": 2})
