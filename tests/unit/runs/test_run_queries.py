"""The console's run list queries (runs/query.py) on both stores: filters by workflow, status, batch and day, words
found in ids, names, errors and sentences whatever their ASCII case, LIKE's own characters taken literally,
pages newest first with the total, and the workflow names for the filter's choices."""

from __future__ import annotations

from deskhand.runs.query import RunFilter
from deskhand.runs.store import RunStore


def _seed(store: RunStore) -> dict[str, str]:
    ids: dict[str, str] = {}
    ids["invoice"] = store.start_run("invoice.md", "Invoice", {})
    store.start_step(ids["invoice"], 1, 'Type "100%_net" into "Terms"')
    store.finish_step(ids["invoice"], 1, "succeeded", 5)
    store.finish_run(ids["invoice"], "succeeded")
    ids["failed"] = store.start_run("invoice.md", "Invoice", {})
    store.start_step(ids["failed"], 1, 'Click "Send"')
    store.finish_step(ids["failed"], 1, "failed", 5)
    store.finish_run(ids["failed"], "failed", {"step": 1, "message": "No button named Send", "suggestion": None})
    batch = store.create_batch("signup.md", 1)
    ids["batch"] = batch
    ids["signup"] = store.start_run("signup.md", "Signup", {}, batch_id=batch, row=0)
    store.finish_run(ids["signup"], "succeeded")
    return ids


def test_filters_words_pages_and_names(store: RunStore) -> None:
    ids = _seed(store)

    def found(**spec: object) -> list[str]:
        return [line.run_id for line in store.find_runs(RunFilter(**spec)).lines]  # type: ignore[arg-type]

    assert set(found(workflow="Invoice")) == {ids["invoice"], ids["failed"]}
    assert found(status="failed") == [ids["failed"]]
    assert found(batch_id=ids["batch"]) == [ids["signup"]]
    assert len(found(day=store.get_run(ids["signup"]).started_at[:10])) == 3
    assert found(day="1999-01-01") == []
    assert found(words="no BUTTON") == [ids["failed"]]  # the error, any ASCII case
    assert found(words="100%_NET") == [ids["invoice"]]  # a sentence; % and _ are not wildcards
    assert found(words="100%%") == [] and found(words="1_0") == []
    assert set(found(words="SIGNUP")) == {ids["signup"]}
    page = store.find_runs(RunFilter(limit=2))
    assert page.total == 3 and [line.run_id for line in page.lines] == [ids["signup"], ids["failed"]]
    second = store.find_runs(RunFilter(limit=2, offset=2))
    assert [line.run_id for line in second.lines] == [ids["invoice"]]
    (failed,) = store.find_runs(RunFilter(status="failed")).lines
    assert (failed.steps, failed.steps_done, failed.error_message) == (1, 0, "No button named Send")
    assert store.workflow_names() == ["Invoice", "Signup"]
