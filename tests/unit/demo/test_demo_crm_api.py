"""The JSON API the demo checks its result with, and the CrmServer handle around it."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request

import pytest
from crm_client import CrmClient

from deskhand.demo.server import CrmServer
from deskhand.errors import SandboxError


def test_api_lists_records_oldest_first(client: CrmClient, ada: dict[str, str]) -> None:
    client.save(ada)
    client.save({"name": "Bo Li", "email": "bo@example.com", "plan": "Basic"})

    reply = client.get("/api/contacts")

    assert reply.status == 200
    assert reply.headers["Content-Type"] == "application/json"
    assert reply.json() == [
        {
            "id": 1,
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "company": "Analytical Engines Ltd",
            "phone": "+44 20 7946 0001",
            "plan": "Pro",
            "seats": 3,
            "newsletter": True,
            "notes": "Prefers email.",
        },
        {
            "id": 2,
            "name": "Bo Li",
            "email": "bo@example.com",
            "company": "",
            "phone": "",
            "plan": "Basic",
            "seats": None,
            "newsletter": False,
            "notes": "",
        },
    ]


def test_api_reset_forgets_everything_and_ids_start_again(
    crm: CrmServer, client: CrmClient, ada: dict[str, str]
) -> None:
    client.save(ada)

    reply = client.request("POST", "/api/reset")

    assert reply.json() == {"reset": True, "count": 0}
    assert client.get("/api/contacts").json() == []
    assert client.post_form("/contacts", ada).headers["Location"] == "/contacts/1?saved=1"


def test_api_reset_needs_post(client: CrmClient) -> None:
    reply = client.get("/api/reset")

    assert reply.status == 405
    assert reply.headers["Allow"] == "POST"


def test_server_records_and_reset_match_the_api(crm: CrmServer, client: CrmClient, ada: dict[str, str]) -> None:
    client.save(ada)

    assert [record.to_json() for record in crm.records()] == client.get("/api/contacts").json()
    crm.reset()
    assert client.get("/api/contacts").json() == []


def test_url_is_loopback_with_the_chosen_port(crm: CrmServer) -> None:
    assert crm.url == f"http://127.0.0.1:{crm.port}"
    assert crm.port > 0


def test_url_before_start_says_how_to_start(crm: CrmServer) -> None:
    with pytest.raises(SandboxError, match="not been started") as caught:
        _ = CrmServer().url
    assert "start()" in caught.value.hint


def test_a_busy_port_is_reported_with_a_hint() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SandboxError, match=f"127.0.0.1:{port}") as caught:
            CrmServer(port).start()
    assert "port 0" in caught.value.hint


def test_stop_frees_the_port_and_keeps_the_records(ada: dict[str, str]) -> None:
    with CrmServer() as crm:
        port = crm.port
        CrmClient(crm.url).save(ada)
    with CrmServer(port) as again:  # would raise if the first server still listened there
        assert again.port == port
    assert len(crm.records()) == 1


def test_runs_as_a_module_for_manual_use() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "deskhand.demo.server", "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Demo CRM at http://127.0.0.1:")
        url = line.split()[3]
        with urllib.request.urlopen(url + "api/contacts", timeout=5) as response:
            assert response.read() == b"[]"
    finally:
        process.terminate()
        process.wait(timeout=5)
