"""A runner over a FakeBackend form, recording into a real RunStore, with a notifier whose sends are kept."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.unit.fake_nodes import SHOWN, n

from deskhand.backends.fake import FakeBackend
from deskhand.errors import AppNotFound
from deskhand.notices.notifier import Notifier
from deskhand.notices.settings import NoticeSettings
from deskhand.runs.outbox import Outbox
from deskhand.runs.store import RunStore
from deskhand.tree.node import Node


def form() -> Node:
    return n(
        "win",
        "window",
        "Sign up",
        n("name", "textbox", "Name", value="", states=SHOWN | {"editable"}),
        n("submit", "button", "Submit"),
        states=SHOWN | {"active"},
    )


class Launcher:
    """Opens apps; ``missing`` times it says the app is not up yet (AppNotFound)."""

    def __init__(self, missing: int = 0) -> None:
        self.missing = missing
        self.opened = 0

    def open_app(self, name: str) -> str:
        self.opened += 1
        if self.missing > 0:
            self.missing -= 1
            raise AppNotFound(name, [])
        return name

    def open_url(self, url: str, browser: str = "") -> str:
        return "browser"


@dataclass
class Sent:
    """A stand-in sender: records what would go out; ``down`` makes it fail like an unreachable notifier."""

    down: bool = False
    notices: list[tuple[tuple[str, ...], str, str, Path | None]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)

    def __call__(self, urls: Sequence[str], title: str, body: str, attachment: Path | None) -> str | None:
        self.notices.append((tuple(urls), title, body, attachment))
        self.done.set()
        return "connection refused" if self.down else None


def notifier(store: RunStore, sent: Sent, *, window_s: float = 3600.0) -> Notifier:
    settings = NoticeSettings(
        always_urls=("json://127.0.0.1:9/",), console_url="http://console:8400", window_s=window_s
    )
    return Notifier(Outbox(store.path), store.get_run, settings, lambda text: text.replace("hunter2", "{secret}"), sent)


def backend() -> FakeBackend:
    return FakeBackend({"form": form()})


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
