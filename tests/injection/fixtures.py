"""Fixtures shared by the policy integration tests and the injection suite (import them by name).

The run session is composed the way ``deskhand run`` composes it, with a model configured through the
environment (``DESKHAND_MODEL``…) pointing at a fake Anthropic server: its free-form solver is the real one,
whose recorder also counts spend against the run's budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.injection.hostile import ReactingAnthropic, ReactingOpenAI, running
from tests.injection.site import Site, allowed_and_partner

from deskhand.app.session import RunSession, open_run_session

SESSION_MODEL = "anthropic:claude-sonnet-4-6"


@dataclass(frozen=True)
class Providers:
    anthropic: ReactingAnthropic
    openai: ReactingOpenAI

    @property
    def request_bodies(self) -> list[bytes]:
        return [r.raw_body for r in [*self.anthropic.requests, *self.openai.requests]]


@pytest.fixture(scope="module")
def providers() -> Iterator[Providers]:
    with running(ReactingAnthropic()) as anthropic, running(ReactingOpenAI()) as openai:
        yield Providers(anthropic, openai)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, providers: Providers) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("deskhand-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESKHAND_HOME", str(path))
        patch.setenv("DESKHAND_SECRET_CRM_PASSWORD", "canary-7f3a9e1d")
        patch.setenv("DESKHAND_SECRET_BANK_PIN", "pin-canary-5521")  # a secret no workflow here declares
        patch.setenv("DESKHAND_MODEL", SESSION_MODEL)
        patch.delenv("DESKHAND_MODEL_STREAM", raising=False)
        patch.setenv("ANTHROPIC_API_KEY", "test-key")
        patch.setenv("ANTHROPIC_BASE_URL", providers.anthropic.base_url)
        patch.setenv("OPENAI_API_KEY", "test-key")
        patch.setenv("OPENAI_BASE_URL", providers.openai.base_url)
        yield path


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[Site, Site]]:
    with allowed_and_partner() as pair:
        yield pair


@pytest.fixture(scope="module")
def session(home: Path) -> Iterator[RunSession]:
    with open_run_session("virtual", timeout=5.0, approve="deny") as running_session:
        yield running_session
