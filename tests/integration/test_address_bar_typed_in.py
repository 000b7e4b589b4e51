"""Chromium's address bar filled while the browser is slow: the fill returns only once the bar took every key in,
and an Open goes to the address asked.

Chromium's inputs have no EditableText: the bar is typed into (XTest), and Chromium reads the keys at its own pace
while it answers AT-SPI. The bar completes what is typed from the addresses typed before (measured: after "h"
it shows ".../new", the rest selected as a suggestion; after "http://127.0.0." it shows "http://127.0.0.0"). A
fill that returned on the text alone let Enter be judged on a half-typed address (CI: step 1 refused as a
navigation to http://127.0.0.0, off the workflow's sites). The browser is slowed here as a loaded machine slows
it, on demand: its process is stopped for most of every 35 ms while its keys arrive (SIGSTOP/SIGCONT).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from tests.integration.loopback_site import loopback_site

from deskhand.app.launcher import DesktopLauncher
from deskhand.app.session import open_run_session
from deskhand.backends.atspi.typed_in import shown
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

BAR = "Address and search bar"


@contextmanager
def slowed(pid: int, *, run_s: float = 0.005, stop_s: float = 0.03) -> Iterator[None]:
    """The process runs ``run_s`` of every ``run_s + stop_s`` until the block ends."""
    done = threading.Event()

    def cycle() -> None:
        while not done.is_set():
            os.kill(pid, signal.SIGSTOP)
            time.sleep(stop_s)
            os.kill(pid, signal.SIGCONT)
            time.sleep(run_s)

    thread = threading.Thread(target=cycle, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        os.kill(pid, signal.SIGCONT)


def test_a_fill_of_the_address_bar_returns_once_every_key_is_in(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path / "home"))
    with loopback_site() as site, open_run_session("virtual") as session:
        base = site.url
        desk = session.session.desktop
        launcher = DesktopLauncher(desk, session.session.starter)
        for path in ("new", "records", "new", "new"):  # typed before: the bar completes "h" to .../new
            name = launcher.open_url(f"{base}/{path}")
        browser = desk.find_app(name)
        assert browser is not None
        bar = desk.app(name).get_by_role("textbox", name=BAR).first
        atspi = getattr(desk.backend.inner, "atspi")  # noqa: B009 - the composite's AT-SPI half
        read = partial(shown, partial(atspi.strategies._call, bar.resolve().ref), -1)
        for url in [f"{base}/new", f"{base}/records"] * 3:
            with slowed(browser.pid):
                bar.fill(url)
                held = read()  # at once, the browser still slowed: what Enter would act on now
            assert held == (url, False), f"the fill returned while the bar showed {held[0]!r} (selected: {held[1]})"


def test_open_on_a_slowed_browser_goes_to_the_address_asked(tmp_path: Path, monkeypatch: Any) -> None:
    """Through the guarded runner, as `deskhand run` does; the evidence is what the site was asked for."""
    monkeypatch.setenv("DESKHAND_HOME", str(tmp_path / "home"))
    with loopback_site() as site, open_run_session("virtual") as session:
        base, asked = site.url, site.asked
        paths = ["new", "new", "records", "new", "new", "records", "new"]
        steps = [f"{n}. Open {base}/{path} in the browser" for n, path in enumerate(paths, start=1)]
        workflow_path = tmp_path / "opens.md"
        front = f'---\nname: opens\napps: [chromium]\nsites: ["{base}"]\n---\n\n'
        workflow_path.write_text(front + "\n".join(steps) + "\n", encoding="utf-8")
        workflow = load_workflow(workflow_path)
        runner = session.runner_for(workflow)
        first = runner.run(load_workflow(_one_step(tmp_path, front, base)), {}, use_lock=False)
        assert first.status == "succeeded", first.error
        pid = next(app.pid for app in session.session.desktop.apps() if app.name.casefold() == "chromium")
        asked.clear()
        with slowed(pid, run_s=0.01):
            outcome = runner.run(workflow, {}, use_lock=False)
        assert outcome.status == "succeeded", outcome.error
        assert [path for path in asked if path != "/favicon.ico"] == [f"/{path}" for path in paths]


def _one_step(folder: Path, front: str, base: str) -> Path:
    path = folder / "start.md"
    path.write_text(front + f"1. Open {base}/start in the browser\n", encoding="utf-8")
    return path
