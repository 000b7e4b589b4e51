"""A PostgreSQL run store that cannot be reached: one clear error naming host:port and the fix, never a hang
(a server that accepts and never answers ends at the connect timeout)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from deskhand.database import CONNECT_TIMEOUT_S
from deskhand.errors import StoreUnavailable
from deskhand.runs.store import RunStore


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the probe closes


@pytest.fixture
def silent_server() -> Iterator[int]:
    """Accepts connections (the kernel's backlog) and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


def test_a_refused_connection_names_the_server_and_the_fix(closed_port: int) -> None:
    with pytest.raises(StoreUnavailable) as raised:
        RunStore(f"postgresql://deskhand:s3cret@127.0.0.1:{closed_port}/fleet")
    error = raised.value
    assert f"127.0.0.1:{closed_port}/fleet" in error.message
    assert "DESKHAND_DB" in error.hint and "s3cret" not in str(error)


def test_a_server_that_never_answers_ends_at_the_connect_timeout(silent_server: int) -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{silent_server}"):
        RunStore(f"postgresql://deskhand@127.0.0.1:{silent_server}/fleet")
    assert time.monotonic() - started < CONNECT_TIMEOUT_S * 4  # bounded, not a hang


def test_the_cli_says_it_in_one_message(closed_port: int) -> None:
    env = {**os.environ, "DESKHAND_DB": f"postgresql://deskhand@127.0.0.1:{closed_port}/fleet"}
    done = subprocess.run(
        [sys.executable, "-m", "deskhand", "runs", "list"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert f"127.0.0.1:{closed_port}/fleet" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
