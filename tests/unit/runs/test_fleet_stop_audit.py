"""The fleet's kill switch, its shared audit log and the runs nothing vouches for, in the run store every machine
shares — on SQLite and on Debian's PostgreSQL (the store_where fixture): a stop asked through one connection is
seen by a run's kill switch on another, and lifted it no longer holds; entries of the guard's audit reach the
store with their machine and verdict; a fleet desktop's run is decided `interrupted` by a reader of the store only
when neither its desktop's beat nor its worker's heartbeat is fresh by the store's own clock."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from deskhand.database import open_database
from deskhand.errors import AuditUnavailable, RunStopped, StoreUnavailable
from deskhand.policy.killswitch import KillSwitch
from deskhand.runs.audit import AuditLog
from deskhand.runs.shared_audit import FleetAudit
from deskhand.runs.store import RunStore
from deskhand.runs.workers import SILENT_AFTER_S, DesktopSlot
from deskhand.surfaces.cli.main import _register_commands, app


def test_a_fleet_stop_reaches_a_run_on_another_connection_and_holds_until_lifted(
    store: RunStore, store_where: Path | str, tmp_path: Path
) -> None:
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as operator:
        kill = KillSwitch(fleet=store.fleet_stop_reason)
        kill.check(fresh=True)
        asked = operator.stop_fleet("invoices look wrong", asked_by="ops-desk")
        # Before an input event the store is asked at once; a read may use an answer up to FLEET_POLL_S old.
        with pytest.raises(RunStopped, match=r"stopped by ops-desk .*invoices look wrong") as stopped:
            kill.check(fresh=True)
        assert "deskhand fleet resume" in stopped.value.hint
        assert operator.stop_fleet("again") == asked  # one stop in force; the first one is what is shown
        [lifted] = operator.resume_fleet()
        assert lifted.id == asked.id and store.fleet_stop() is None
        kill.check(fresh=True)  # not latched: the next run goes on
        assert not kill.requested


def test_the_fleet_commands_stop_and_resume_through_the_store(
    store_where: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DESKHAND_DB", str(store_where))
    _register_commands()
    runner = CliRunner()
    said = runner.invoke(app, ["fleet", "stop", "--reason", "audit first"])
    assert said.exit_code == 0 and "audit first" in said.output and "no new row" in said.output, said.output
    with RunStore(store_where) as store:
        assert "audit first" in store.fleet_stop_reason()
    said = runner.invoke(app, ["fleet", "status"])
    assert "audit first" in said.output
    said = runner.invoke(app, ["fleet", "resume"])
    assert said.exit_code == 0 and said.output.startswith("Lifted:"), said.output
    with RunStore(store_where) as store:
        assert store.fleet_stop() is None


def test_the_guards_audit_reaches_the_store_with_machine_and_verdict(
    store: RunStore, store_where: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = AuditLog(tmp_path / "audit.jsonl")
    sink = FleetAudit(local, store, "host-b, desktop 2 (pid 812)")
    run = store.start_run("wf.md", "wf", {})
    sink.append(run, 3, "click", {"app": "chromium", "name": "Save record"}, None)
    sink.append(run, 4, "refused type", {"app": "gedit"}, "gedit is not in this workflow's apps")
    assert local.verify().ok and local.verify().entries == 2  # this machine's chained file is written first
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DESKHAND_DB", str(store_where))
    _register_commands()
    out = CliRunner().invoke(app, ["runs", "audit", "--json"]).output
    entries = [json.loads(line) for line in out.splitlines()]
    assert [(e["machine"], e["run_id"], e["step"], e["action"], e["allowed"]) for e in entries] == [
        ("host-b, desktop 2 (pid 812)", run, 3, "click", True),
        ("host-b, desktop 2 (pid 812)", run, 4, "refused type", False),
    ]
    assert entries[0]["target"] == {"app": "chromium", "name": "Save record"}
    refused = CliRunner().invoke(app, ["runs", "audit", "--refused"]).output
    assert "REFUSED  refused type" in refused and "Save record" not in refused, refused


class _AwayStore:
    def record_audit(
        self, machine: str, run_id: str, step: int | None, action: str, target: Mapping[str, Any], value: str | None
    ) -> None:
        raise StoreUnavailable("The run store's PostgreSQL at db:5432/x stopped answering: gone", hint="Start it.")


def test_an_audit_the_store_cannot_take_stops_the_action(tmp_path: Path) -> None:
    sink = FleetAudit(AuditLog(tmp_path / "audit.jsonl"), _AwayStore(), "host-b")
    with pytest.raises(AuditUnavailable, match=r"fleet.s audit log could not be written .* refused to click"):
        sink.append("r-1", 1, "click", {"name": "Pay"}, None)


def _age(store_where: Path | str, *, worker_s: float, desktop_s: float) -> None:
    """Set the worker's and the desktop's last beats ``*_s`` seconds ago, by the store's clock."""
    db = open_database(store_where)
    with db.transaction():
        db.execute(f"UPDATE workers SET beat = {db.clock} - ?", (worker_s,))
        db.execute(f"UPDATE desktop_beats SET beat = {db.clock} - ?", (desktop_s,))
        db.execute("UPDATE runs SET owner_host = 'host-b', owner_pid = 4242")
    db.close()


def test_a_run_nothing_vouches_for_is_decided_by_a_reader_of_the_store(
    store: RunStore, store_where: Path | str, tmp_path: Path
) -> None:
    store.record_worker_heartbeat("host-b:77", [DesktopSlot(1, "", None, 4242)], kind="celery", host="host-b", pid=77)
    batch = store.create_batch("wf.md", 1)
    run = store.start_run("wf.md", "wf", {}, batch_id=batch, row=0)
    db = open_database(store_where)
    with db.transaction():
        db.execute(f"INSERT INTO desktop_beats (host, pid, beat) VALUES ('host-b', 4242, {db.clock})")
    db.close()
    silent = SILENT_AFTER_S + 5
    for worker_s, desktop_s in ((silent, 1.0), (1.0, silent), (1.0, 1.0)):  # one fresh beat says it may run
        _age(store_where, worker_s=worker_s, desktop_s=desktop_s)
        with RunStore(store_where, artifacts_root=tmp_path / "runs") as reader:
            assert run in reader.running_elsewhere()
    _age(store_where, worker_s=silent, desktop_s=silent)
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as reader:  # opening the store decides it
        record = reader.get_run(run)
    assert record.status == "interrupted"
    message = str((record.error or {}).get("message"))
    assert "neither its desktop (host-b, pid 4242) nor its worker" in message and "store's clock" in message


def test_the_store_clock_is_the_same_for_every_reader(store: RunStore, store_where: Path | str) -> None:
    import time

    db = open_database(store_where)
    (now,) = db.execute(f"SELECT {db.clock}").fetchone()
    db.close()
    assert abs(float(now) - time.time()) < 5  # seconds since 1970, as each dialect spells it
