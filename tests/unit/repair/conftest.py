"""A runner over a FakeBackend whose form changes between versions, recording into a real RunStore."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from repair_apps import WORKFLOW, signup

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner, RunOutcome
from deskhand.runs.store import RunStore
from deskhand.workflows.parse import load_workflow


class _Launcher:
    def open_app(self, name: str) -> str:
        return name

    def open_url(self, url: str, browser: str = "") -> str:
        return "browser"


@dataclass
class Bench:
    backend: FakeBackend
    runner: Runner
    store: RunStore
    path: Path

    def version(self, number: int, **options: bool) -> None:
        self.backend.set_app("form", signup(number, **options))

    def run(self, *, repair: bool = False) -> RunOutcome:
        return self.runner.run(load_workflow(self.path, allow_free_form=False), {}, repair=repair)


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    backend = FakeBackend({"form": signup(1)})
    store = RunStore(tmp_path / "runs.db")
    runner = Runner(Desktop(backend, timeout=0.5), _Launcher(), store, timeout=3.0, capture=False)
    path = tmp_path / "signup.md"
    path.write_text(WORKFLOW, encoding="utf-8")
    try:
        yield Bench(backend, runner, store, path)
    finally:
        store.close()
