"""Fixtures for the agent's unit tests: the fake CRM form and a notes app on a FakeBackend."""

from __future__ import annotations

import pytest
from agent_forms import form, n

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend({"crm": form(), "notes": n("nwin", "window", "Notes", n("body", "textbox", "Body", value=""))})


@pytest.fixture
def desktop(backend: FakeBackend) -> Desktop:
    return Desktop(backend, timeout=0.2)
