"""What a fleet worker will and will not run, on one worker with one desktop and a loopback redis-server: a secret
travels as its `{secret:name}` reference only (every command Redis received is recorded with MONITOR and
searched, message bodies decoded) and is resolved from the worker's own environment; rows signed with another
key are refused, and rows of a workflow needing an app the worker lacks fail, each with a message naming the
machine, recorded in the store (not lost) and reported by the submitting command. The submitter's wf.lock
travels with the rows: a step only a model could resolve is replayed from it on the worker with no model call."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.fakes.providers import FakeAnthropic
from tests.fixtures.loopback_redis import loopback_redis, monitor
from tests.fixtures.web.records_app import Records, serve_records
from tests.integration.cli_shell import cli_env

from deskhand.workflows.lock import Lock, LockedAction, LockedStep, dump_lock
from deskhand.workflows.parse import parse_workflow

pytestmark = pytest.mark.desktop

SECRET = "tangerine-7781-quartz"
KEY = "fleet-key-of-this-test"


def _workflow(base: str, *, apps: str = "chromium") -> str:
    return f"""---
name: secret-records
inputs:
  name: {{type: string, required: true}}
apps: [{apps}]
sites: ["{base}"]
secrets: [token]
preapproved: [Click "Save record"]
verify:
  - Open {base}/records in the browser
  - Expect "{{name}}" to appear
---
1. Open {base}/new in the browser
2. Wait until "New record" appears within 20 seconds
3. Fill "Name" with "{{name}}:{{secret:token}}"
4. Click "Save record"
5. Wait until "Record saved" appears within 20 seconds
"""


@pytest.fixture(scope="module")
def model() -> Iterator[FakeAnthropic]:
    """The model both sides have configured: a fake Anthropic server with no answer queued (any call fails)."""
    with FakeAnthropic() as server:
        yield server


def _model_env(server: FakeAnthropic) -> dict[str, str]:
    return {
        "DESKHAND_MODEL": "anthropic:claude-sonnet-4-6",
        "ANTHROPIC_API_KEY": "test-key",
        "ANTHROPIC_BASE_URL": server.base_url,
    }


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory, model: FakeAnthropic) -> Iterator[tuple[Path, str, Records, Path]]:
    """A worker (one desktop) whose environment alone holds the secret, and the MONITOR log of the broker."""
    folder = tmp_path_factory.mktemp("fleet")
    with serve_records() as records, loopback_redis(folder / "redis") as url, monitor(url, folder / "monitor.log"):
        base = {"PATH": "/usr/bin:/bin", "HOME": str(folder)}
        env = cli_env(base, DESKHAND_HOME=str(folder / "home"), DESKHAND_FLEET_KEY=KEY, DESKHAND_SECRET_TOKEN=SECRET)
        env.update(_model_env(model))
        command = [sys.executable, "-m", "deskhand", "worker", "--broker", url, "--desktops", "1"]
        with (folder / "worker.log").open("wb") as log:
            worker = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                yield folder, url, records, folder / "monitor.log"
            finally:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(120)


def _submit(folder: Path, url: str, workflow: str, names: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """`deskhand run … --broker` from a submitter that has no secret (only the worker has it)."""
    (folder / "wf.md").write_text(workflow, encoding="utf-8")
    (folder / "rows.csv").write_text("name\n" + "\n".join(names) + "\n", encoding="utf-8")
    base = {"PATH": "/usr/bin:/bin", "HOME": str(folder)}
    values = {"DESKHAND_HOME": str(folder / "home"), "DESKHAND_FLEET_KEY": KEY, **env}
    command = [sys.executable, "-m", "deskhand", "run", str(folder / "wf.md"), "--inputs", str(folder / "rows.csv")]
    return subprocess.run(
        [*command, "--broker", url, "--json"], env=cli_env(base, **values), capture_output=True, text=True, timeout=300
    )


def _bodies(log: Path) -> list[str]:
    """Every kombu message body pushed to Redis (base64 in the envelope, escaped once more by MONITOR)."""
    found = re.findall(r'\\"body\\": \\"([A-Za-z0-9+/=]+)\\"', log.read_text(errors="replace"))
    return [base64.b64decode(body).decode("utf-8", errors="replace") for body in found]


def test_a_submitter_on_another_store_is_told_not_left_waiting(fleet: tuple[Path, str, Records, Path]) -> None:
    folder, url, records, _ = fleet
    before = records.names()
    done = _submit(folder, url, _workflow(records.base), ["epsilon"], DESKHAND_HOME=str(folder / "elsewhere"))
    assert done.returncode == 1, done.stderr
    [failed] = json.loads(done.stdout)["failed_rows"]
    assert "has no batch" in failed["reason"] and "DESKHAND_DB" in failed["reason"], failed
    assert records.names() == before  # and the worker keeps serving: the tests after this one use it


def test_secrets_stay_on_the_worker(fleet: tuple[Path, str, Records, Path]) -> None:
    folder, url, records, log = fleet
    done = _submit(folder, url, _workflow(records.base), ["alpha", "beta"])
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    # The worker typed its own secret: the app received it.
    assert sorted(records.names()) == [f"alpha:{SECRET}", f"beta:{SECRET}"], records.names()
    # On the broker: the reference, never the value (not in any command, nor in any decoded message body).
    traffic = log.read_text(errors="replace")
    bodies = _bodies(log)
    assert any("{secret:token}" in body and '"alpha"' in body for body in bodies), bodies[:2]
    assert SECRET not in traffic and all(SECRET not in body for body in bodies)


def test_rows_signed_with_another_key_are_refused(fleet: tuple[Path, str, Records, Path]) -> None:
    folder, url, records, _ = fleet
    before = records.names()
    done = _submit(folder, url, _workflow(records.base), ["gamma"], DESKHAND_FLEET_KEY="not-the-fleet-key")
    assert done.returncode == 1, done.stderr
    failed = json.loads(done.stdout)["failed_rows"]
    assert len(failed) == 1 and "signature does not match" in failed[0]["reason"], failed
    assert failed[0]["machine"] and failed[0]["machine"].split(",")[0] in failed[0]["reason"], failed
    assert records.names() == before  # nothing ran


def test_a_worker_without_the_app_fails_the_row_naming_itself(fleet: tuple[Path, str, Records, Path]) -> None:
    folder, url, records, _ = fleet
    before = records.names()
    done = _submit(folder, url, _workflow(records.base, apps="chromium, frobnicator"), ["delta"])
    assert done.returncode == 1, done.stderr
    result = json.loads(done.stdout)
    [failed] = result["failed_rows"]
    assert "'frobnicator'" in failed["reason"] and failed["machine"].split(" (")[0] in failed["reason"], failed
    assert records.names() == before
    # Not lost: the row is in the store as failed, with the reason, and the same command sends it again.
    with sqlite3.connect(folder / "home" / "runs.db") as conn:
        status, reason = conn.execute(
            "SELECT status, reason FROM batch_rows WHERE batch_id = ?", (result["batch_id"],)
        ).fetchone()
    assert status == "failed" and "frobnicator" in reason
    again = _submit(folder, url, _workflow(records.base, apps="chromium, frobnicator"), ["delta"])
    assert json.loads(again.stdout)["batch_id"] == result["batch_id"] and "frobnicator" in again.stdout


def test_the_lock_travels_so_a_model_step_replays_with_no_model(
    fleet: tuple[Path, str, Records, Path], model: FakeAnthropic
) -> None:
    folder, url, records, _ = fleet
    text = f"""---
name: locked-records
inputs:
  name: {{type: string, required: true}}
apps: [chromium]
sites: ["{records.base}"]
preapproved: [Click "Save record"]
---
1. Open {records.base}/new in the browser
2. Wait until "New record" appears within 20 seconds
3. Put the name {{name}} in the record's name box
4. Click "Save record"
5. Wait until "Record saved" appears within 20 seconds
"""
    workflow = parse_workflow(text, "wf.md")
    assert workflow.steps[2].action is None  # step 3 is not in the step language: only a model resolves it
    # wf.lock as a run on the submitter's machine would have left it for step 3, resolved there by a model (the
    # language steps need no lock: they resolve the same with or without one).
    step = workflow.steps[2]
    # (A replayed element must still be the one the lock saw: same app, role and name.)
    typed = LockedAction("type_text", 'label="Name"', "{name}", {"role": "textbox", "name": "Name", "app": "Chromium"})
    by_model = LockedStep(3, step.sentence, workflow.step_hash(step), (typed,), "model")
    (folder / "wf.lock").write_text(dump_lock(Lock(1, "locked-records", (by_model,))), encoding="utf-8")
    try:
        done = _submit(folder, url, text, ["zeta"], **_model_env(model))
    finally:
        (folder / "wf.lock").unlink()
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    [run] = json.loads(done.stdout)["runs"]
    assert "zeta" in records.names() and run["model_calls"] == 0, (records.names(), run)
    assert model.requests == []  # no model was asked, on either machine
