"""The checks a fleet makes before a row runs: the policy's signature, the versions, the apps, the broker; and the
lock file that travels with a row (signed with it) seeding the worker's copy of the workflow."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import pytest

from deskhand import __version__
from deskhand.app.fleet.broker import broker_address, check_broker
from deskhand.app.fleet.message import RowMessage
from deskhand.app.fleet.row_service import RowService, check_apps, check_version
from deskhand.app.fleet.signing import check_signature, fleet_key, sign
from deskhand.errors import FleetError, PolicyUnsigned
from deskhand.workflows.lock import lock_path, read_lock
from deskhand.workflows.parse import parse_workflow

TEXT = """---
name: orders
apps: [gnome-calculator]
sites: ["https://crm.example.test"]
secrets: [crm_password]
---
1. Type "{secret:crm_password}" into "Password"
"""


def test_a_signed_workflow_passes_and_any_change_or_other_key_is_refused() -> None:
    workflow = parse_workflow(TEXT, "orders.md")
    signature = sign(workflow, TEXT, b"k1")
    check_signature(workflow, TEXT, signature, b"k1", machine="w1")
    with pytest.raises(PolicyUnsigned, match="worker's fleet key") as refused:
        check_signature(workflow, TEXT, signature, b"k2", machine="w1")
    assert "Worker w1" in refused.value.message and "DESKHAND_FLEET_KEY" in refused.value.hint
    wider = TEXT.replace('sites: ["https://crm.example.test"]', 'sites: ["https://evil.example.test"]')
    with pytest.raises(PolicyUnsigned):
        check_signature(parse_workflow(wider, "orders.md"), wider, signature, b"k1", machine="w1")
    with pytest.raises(PolicyUnsigned):  # same policy, another step
        other = TEXT.replace("Password", "Login")
        check_signature(parse_workflow(other, "orders.md"), other, signature, b"k1", machine="w1")
    # The policy itself is signed, not only the text: a worker that parsed a wider policy would not match.
    assert sign(replace(workflow, sites=("https://evil.example.test",)), TEXT, b"k1") != signature
    with pytest.raises(PolicyUnsigned, match="not signed"):
        check_signature(workflow, TEXT, "", b"k1", machine="w1")


def test_no_fleet_key_is_an_error_naming_where_to_set_it(tmp_path: object) -> None:
    with pytest.raises(PolicyUnsigned, match="DESKHAND_FLEET_KEY") as missing:
        fleet_key({"DESKHAND_HOME": str(tmp_path)})
    assert "fleet_key" in missing.value.hint
    assert fleet_key({"DESKHAND_HOME": str(tmp_path), "DESKHAND_FLEET_KEY": "abc"}) == b"abc"


def _message(version: str) -> RowMessage:
    return RowMessage("b-1", 0, 1, {}, TEXT, "orders", "sig", version, "submitter-host")


def test_another_deskhand_version_is_refused_naming_both() -> None:
    check_version(_message("0.1.0"), machine="w1, desktop 1", mine="0.1.0")
    with pytest.raises(FleetError) as refused:
        check_version(_message("0.2.0"), machine="w1, desktop 1", mine="0.1.0")
    assert "deskhand 0.1.0" in refused.value.message and "deskhand 0.2.0" in refused.value.message
    assert "w1, desktop 1" in refused.value.message and "submitter-host" in refused.value.message


def test_an_app_this_machine_lacks_is_named_with_the_machine() -> None:
    workflow = parse_workflow(TEXT.replace("gnome-calculator", "frobnicator"), "orders.md")
    with pytest.raises(FleetError, match="frobnicator") as lacking:
        check_apps(workflow, machine="w1, desktop 1")
    assert "w1, desktop 1" in lacking.value.message and "Install the app on w1" in lacking.value.hint


def test_an_unreachable_broker_names_host_port_and_the_fix() -> None:
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FleetError) as unreachable:
        check_broker(f"redis://127.0.0.1:{port}/0", machine="submitter-host")
    assert f"127.0.0.1:{port}" in unreachable.value.message and "submitter-host" in unreachable.value.message
    assert "redis-server" in unreachable.value.hint and "--broker" in unreachable.value.hint
    with pytest.raises(FleetError, match="not a Redis broker URL"):
        broker_address("amqp://rabbit:5672//")


LOCK = """version: 1
workflow: orders
steps:
- n: 1
  sentence: Type "{secret:crm_password}" into "Password"
  sentence_hash: 0123456789abcdef
  source: model
  actions:
  - kind: type_text
    selector: label="Password"
    value: '{secret:crm_password}'
    fingerprint: {}
"""


def _service(folder: Path) -> RowService:
    # _admit needs only the key, the names and the folder: no desktop, store or broker.
    return RowService(cast(Any, None), cast(Any, None), b"k1", "w1, desktop 1", "w1:7:1", folder, lambda line: None)


def test_the_lock_sent_with_a_row_is_signed_and_seeds_the_workers_copy(tmp_path: Path) -> None:
    workflow = parse_workflow(TEXT, "orders.md")
    signed = sign(workflow, TEXT, b"k1", LOCK)
    assert signed != sign(workflow, TEXT, b"k1")  # the lock is part of what is signed
    message = RowMessage("b-1", 0, 1, {}, TEXT, "orders", signed, __version__, "submitter-host", lock_text=LOCK)
    service = _service(tmp_path)
    kept = service._admit(RowMessage.from_json(message.to_json(), machine="w1"))
    lock = read_lock(lock_path(kept.path))
    assert (
        lock is not None and lock.steps[0].source == "model" and lock.steps[0].actions[0].selector == 'label="Password"'
    )
    # What the runs there learn is kept: a later row of the same text and lock does not put the sent lock back.
    lock_path(kept.path).write_text(LOCK.replace('label="Password"', 'label="Pass word"'), encoding="utf-8")
    again = service._admit(message)
    assert again.path == kept.path and 'label="Pass word"' in lock_path(kept.path).read_text(encoding="utf-8")
    # A lock changed on the way (another element to type the secret into) is refused; nothing of it is written.
    tampered = replace(message, lock_text=LOCK.replace('label="Password"', 'label="Search"'))
    with pytest.raises(PolicyUnsigned, match="its lock changed"):
        service._admit(tampered)
    assert not any('label="Search"' in path.read_text(encoding="utf-8") for path in tmp_path.rglob("*.lock"))
    # A row sent with no lock runs from a folder of its own, with no lock until its runs write one.
    bare = replace(message, lock_text="", signature=sign(workflow, TEXT, b"k1"))
    assert not lock_path(service._admit(bare).path).exists()
