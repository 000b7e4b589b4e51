"""The bench of the repair tests: a runner over a FakeBackend whose form changes between versions, recording
into a real RunStore."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from repair_apps import signup

from deskhand.backends.fake import FakeBackend
from deskhand.runner.run import Runner, RunOutcome
from deskhand.runs.store import RunStore
from deskhand.workflows.parse import load_workflow


class Launcher:
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
