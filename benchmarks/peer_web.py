"""The web rows of benchmarks/peers.py: deskhand's page reader and locators against Playwright for Python on
the same Chromium tab (Playwright attached over CDP), plus Playwright's own launched Chromium for reference."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from deskhand.backends.browser.endpoint import await_served_endpoint
from deskhand.backends.browser.flags import READER_FLAGS
from deskhand.backends.composite import CompositeBackend
from deskhand.locate import Desktop
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.sandbox import VirtualDesktop
from peer_rows import Row, interleaved
from snapshot import load_page_server

CHROMIUM = "/usr/bin/chromium"
# Playwright's own launch: headless Debian Chromium with the flags a closed network needs.
PLAYWRIGHT_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@contextmanager
def guarded_browser(virtual: VirtualDesktop, site: Any) -> Iterator[tuple[Desktop, CompositeBackend, str, str]]:
    """deskhand's Chromium on the test form, read through the composite backend behind the guard."""
    app = virtual.launch_chromium(site.url("form.html"), remote_debugging_port=0, extra_args=READER_FLAGS)
    endpoint = await_served_endpoint(app.pid, 30.0)
    assert endpoint is not None, "Chromium did not open its debugging port"
    composite = CompositeBackend(virtual.a11y_address, display=virtual.display)
    guard = Guard(policy=Policy(apps=(app.name,), sites=(site.base,)))
    desk = Desktop(GuardedBackend(composite, guard), timeout=15.0)
    try:
        desk.app(app.name).get_by_role("button", name="Submit").wait_for()
        yield desk, composite, app.name, endpoint
    finally:
        composite.close()
        virtual.stop_app(app)


def web_rows(virtual: VirtualDesktop, rounds: int) -> list[Row]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [Row("web: whole-page read", 0.0, "playwright", None, note="playwright is not installed")]
    rows: list[Row] = []
    with load_page_server().serve_pages() as site, guarded_browser(virtual, site) as (desk, composite, name, endpoint):
        browser = desk.app(name)
        app_ref = desk.find_app(name)
        assert app_ref is not None
        with sync_playwright() as playwright:
            attached = playwright.chromium.connect_over_cdp(endpoint)
            page = next(p for ctx in attached.contexts for p in ctx.pages if p.url.endswith("form.html"))
            nodes = {"ours": 0, "theirs": 0}

            def read_ours(_: int) -> None:
                composite.invalidate_pages()
                root = desk.backend.snapshot(app_ref.ref)
                nodes["ours"] = _page_nodes(root)

            def read_theirs(_: int) -> None:
                nodes["theirs"] = len(page.locator("body").aria_snapshot().splitlines())

            ours, theirs = interleaved(rounds, read_ours, read_theirs)
            rows.append(
                Row(
                    "web: whole-page read (form + 500-row table)",
                    ours,
                    "playwright aria_snapshot (same tab)",
                    theirs,
                    nodes["ours"],
                    nodes["theirs"],
                    note="both tools' page scripts already installed; peer nodes = lines of its YAML",
                )
            )

            def locate_ours(_: int) -> None:
                browser.get_by_role("button", name="Submit").wait_for()

            def locate_theirs(_: int) -> None:
                page.get_by_role("button", name="Submit").element_handle().dispose()

            ours, theirs = interleaved(rounds, locate_ours, locate_theirs, before=composite.invalidate_pages)
            rows.append(
                Row(
                    "web: find a button, page not read",
                    ours,
                    "playwright get_by_role (same tab)",
                    theirs,
                    note="deskhand forgot its read of the page; both page scripts installed",
                )
            )

            def reload() -> None:
                """A new document: neither tool has read it or has its script in it."""
                page.reload(wait_until="load")

            ours, theirs = interleaved(rounds, locate_ours, locate_theirs, before=reload)
            rows.append(
                Row(
                    "web: find a button on a new document",
                    ours,
                    "playwright get_by_role (same tab)",
                    theirs,
                    note="after a reload (not timed): both install their page scripts within the timing",
                )
            )

            field = browser.get_by_label("First name")
            theirs_field = page.get_by_label("First name")
            # The last reload may have been the peer's: the new document reaches deskhand's tree when it does.
            field.wait_for()

            def fill_ours(run: int) -> None:
                field.fill(f"Ada {run}")

            def fill_theirs(run: int) -> None:
                theirs_field.fill(f"Bea {run}")
                if theirs_field.input_value() != f"Bea {run}":
                    raise AssertionError("playwright's fill did not take")

            ours, theirs = interleaved(rounds, fill_ours, fill_theirs)
            rows.append(
                Row("web: fill a known field + read-back", ours, "playwright fill + input_value (same tab)", theirs)
            )
            attached.close()

            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=PLAYWRIGHT_ARGS)
            own = launched.new_page()
            own.goto(site.url("form.html"))
            ours_ms = next(r.deskhand_ms for r in rows if r.measure.startswith("web: whole-page read"))
            _, theirs = interleaved(rounds, lambda _: None, lambda _: own.locator("body").aria_snapshot())
            rows.append(
                Row(
                    "web: whole-page read (peer in its own browser)",
                    ours_ms,
                    "playwright aria_snapshot (headless, launched)",
                    theirs,
                    note="not like for like: the peer's Chromium is headless and has no other load",
                )
            )
            launched.close()
    return rows


def _page_nodes(root: Any) -> int:
    """Nodes under the web document(s) of a browser snapshot (the browser's own UI is not counted)."""
    count = 0
    for node in root.walk():
        if node.ref.startswith("cdp:"):
            count += 1
    return count
