"""The checks a fleet makes before a row runs: the policy's signature, the versions, the apps, the broker."""

from __future__ import annotations

import socket
from dataclasses import replace

import pytest

from deskhand.app.fleet.broker import broker_address, check_broker
from deskhand.app.fleet.message import RowMessage
from deskhand.app.fleet.row_service import check_apps, check_version
from deskhand.app.fleet.signing import check_signature, fleet_key, sign
from deskhand.errors import FleetError, PolicyUnsigned
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
