from __future__ import annotations

from collections.abc import Iterator

import pytest
from crm_client import CrmClient

from deskhand.demo.server import CrmServer


@pytest.fixture(scope="session")
def _serving_crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        yield server


@pytest.fixture
def crm(_serving_crm: CrmServer) -> CrmServer:
    """One server for all tests (starting and stopping each time is the slow part), empty for each test."""
    _serving_crm.reset()
    return _serving_crm


@pytest.fixture
def client(crm: CrmServer) -> CrmClient:
    return CrmClient(crm.url)


@pytest.fixture
def ada() -> dict[str, str]:
    return {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "company": "Analytical Engines Ltd",
        "phone": "+44 20 7946 0001",
        "plan": "Pro",
        "seats": "3",
        "newsletter": "yes",
        "notes": "Prefers email.",
    }
