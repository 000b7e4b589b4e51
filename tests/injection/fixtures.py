"""Fixtures shared by the policy integration tests and the injection suite (import them by name)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.injection.site import Site, allowed_and_partner

from deskhand.app.session import RunSession, open_run_session


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("deskhand-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DESKHAND_HOME", str(path))
        patch.setenv("DESKHAND_SECRET_CRM_PASSWORD", "canary-7f3a9e1d")
        yield path


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[Site, Site]]:
    with allowed_and_partner() as pair:
        yield pair


@pytest.fixture(scope="module")
def session(home: Path) -> Iterator[RunSession]:
    with open_run_session("virtual", timeout=5.0, approve="deny") as running:
        yield running
