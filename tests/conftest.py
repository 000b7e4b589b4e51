"""Suite-wide settings: no test is rerun unless it says why.

A rerun hides a failure that shows half the time, so there are no blanket reruns. A test known to race on
timing (never one that guards) may carry ``@pytest.mark.races_on_timing(reason="…")`` and gets one more try;
the marker is refused at collection on anything that guards (injection, policy, approval, secret or canary,
stop, MCP approval) and so is a bare ``flaky`` marker anywhere, and so are suite-wide reruns
(``--reruns``, ``--force-reruns``, a ``reruns`` ini value). Every run ends with a line counting the reruns, so
CI shows them.

``store_where`` runs a test once on each run store: a SQLite file, and a fresh database of a PostgreSQL
server the session starts from Debian's `postgresql` (tests/fixtures/postgres_server.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.fixtures.postgres_server import PostgresServer, start_postgres

RACE_MARKER = "races_on_timing"
# A test whose file or name says it guards is never rerun: a guard bug that shows half the time must fail.
# MCP tests are all counted: any of them may be asked to approve (elicitation or the approval queue).
_GUARDS = ("injection", "policy", "approv", "confirm", "secret", "canary", "stop", "killswitch", "guard", "mcp")
# pytest-rerunfailures' suite-wide settings: each would rerun every test, the guarding ones included.
_GLOBAL_RERUNS = (("reruns", "--reruns"), ("force_reruns", "--force-reruns"))


def guards(item: pytest.Item) -> bool:
    where = " ".join(Path(str(item.fspath)).parts[-3:]) + " " + item.name
    return any(word in where.casefold() for word in _GUARDS)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{RACE_MARKER}(reason): known to race on timing; one rerun, never on a test that guards"
    )
    for option, flag in _GLOBAL_RERUNS:
        if config.getoption(option, default=None):
            raise pytest.UsageError(f"{flag} reruns every test, the guarding ones too; mark a racing test instead")
    try:
        ini = config.getini("reruns")
    except ValueError:  # pytest-rerunfailures is not loaded: nothing can rerun
        ini = None
    if ini not in (None, "", "0", 0):
        raise pytest.UsageError("a 'reruns' ini value reruns every test, the guarding ones too")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("flaky") is not None:
            raise pytest.UsageError(f"{item.nodeid}: no bare flaky marker; use {RACE_MARKER}(reason=…)")
        race = item.get_closest_marker(RACE_MARKER)
        if race is None:
            continue
        reason = race.kwargs.get("reason") or (race.args[0] if race.args else "")
        if not str(reason).strip():
            raise pytest.UsageError(f"{item.nodeid}: {RACE_MARKER} needs a reason naming the race")
        if guards(item):
            raise pytest.UsageError(f"{item.nodeid}: a test that guards is never rerun; fix the race instead")
        item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=1))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reruns = terminalreporter.stats.get("rerun", [])
    names = sorted({report.nodeid for report in reruns})
    terminalreporter.write_line(f"reruns: {len(reruns)}" + (f" ({', '.join(names)})" if names else ""))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_where(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a run store lives: a SQLite file, or a fresh PostgreSQL database (``postgresql://…``)."""
    if request.param == "sqlite":
        return tmp_path / "runs.db"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.new_database()
