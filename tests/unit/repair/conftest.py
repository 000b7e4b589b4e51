"""A runner over a FakeBackend whose form changes between versions, recording into a real RunStore."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from repair_apps import WORKFLOW, signup
from repair_bench import Bench, Launcher

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    backend = FakeBackend({"form": signup(1)})
    store = RunStore(tmp_path / "runs.db")
    runner = Runner(Desktop(backend, timeout=0.5), Launcher(), store, timeout=3.0, capture=False)
    path = tmp_path / "signup.md"
    path.write_text(WORKFLOW, encoding="utf-8")
    try:
        yield Bench(backend, runner, store, path)
    finally:
        store.close()
