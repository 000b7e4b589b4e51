"""`deskhand serve` as a real process over a seeded home, and Playwright driving Debian's /usr/bin/chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from console_harness import CHROMIUM, TOKEN, Served, console_env, free_port, log_in
from console_seed import seed
from playwright.sync_api import Browser, Page, sync_playwright
from tests.fixtures.console_process import start_console


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("home")
    seeded = seed(home)
    port = free_port()
    process = start_console(home, console_env(home, DESKHAND_SERVE_TOKEN=TOKEN), port)
    try:
        yield Served(f"http://127.0.0.1:{port}", TOKEN, seeded, process)
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[Page]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    log_in(tab, served)
    try:
        yield tab
    finally:
        context.close()
