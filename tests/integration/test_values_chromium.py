"""Values that commit, Chromium: each input kind edited by a step, judged by the form's POST body.

The page (tests/fixtures/web/values.html) posts to a loopback server that keeps every body; what the
page would submit is the evidence, not what the step typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.fixtures.web.server import serve_pages
from tests.integration.chromium_desktop import chromium_on_desktop
from tests.integration.steps_helper import run_steps, step_runner

from deskhand.errors import ActionFailed
from deskhand.runner.steps import StepRunner

pytestmark = pytest.mark.desktop


@pytest.fixture(scope="module")
def browser() -> Iterator[tuple[Any, StepRunner]]:
    with serve_pages() as site, chromium_on_desktop(site.url("values.html"), timeout=10.0) as (virtual, _, desk, app):
        yield site, step_runner(desk, virtual, app=app.name)


@pytest.fixture
def page(browser: tuple[Any, StepRunner]) -> tuple[Any, StepRunner]:
    site, runner = browser
    # Away and back: a wait for "Submit" must not be answered by the page the last test left.
    run_steps(runner, f"Open {site.url('thanks.html')}", 'Wait until "Submit" disappears')
    run_steps(runner, f"Open {site.url('values.html')}", 'Wait until "Submit" appears')
    return site, runner


@pytest.mark.parametrize(
    ("sentence", "key", "value"),
    [
        ('Type "Ada Lovelace" into "Name"', "name", "Ada Lovelace"),
        ('Type "s3cret!" into "Secret"', "secret", "s3cret!"),
        ('Type "line one\nline two" into "Notes"', "notes", "line one\r\nline two"),
        ('Type "42" into "Seats"', "seats", "42"),
        ('Set "Volume" to 37', "volume", "37"),
        ('Choose "Enterprise" from "Plan"', "plan", "Enterprise"),
        ('Type "grace@example.org" into "To"', "to", "grace@example.org"),
        ('Type "2025-03-09" into "Start date"', "start", "2025-03-09"),
        ('Type "17:45" into "Start time"', "at", "17:45"),
        ('Check "Subscribe"', "subscribe", "on"),
        ('Click "Large"', "size", "Large"),
    ],
    ids=[
        "entry",
        "password",
        "multiline",
        "number",
        "range",
        "select",
        "combo-entry",
        "date",
        "time",
        "check",
        "radio",
    ],
)
def test_each_input_kind_is_posted(page: tuple[Any, StepRunner], sentence: str, key: str, value: str) -> None:
    site, runner = page
    run_steps(runner, sentence, 'Click "Submit"')
    assert site.wait_for_post(10)[key] == [value]


def test_a_number_over_the_max_is_refused_with_the_pages_reason(page: tuple[Any, StepRunner]) -> None:
    _, runner = page
    with pytest.raises(ActionFailed) as failure:
        run_steps(runner, 'Type "500" into "Seats"')
    assert "500" in failure.value.message and "100" in failure.value.message


def test_a_clamped_range_says_what_the_page_holds(page: tuple[Any, StepRunner]) -> None:
    _, runner = page
    with pytest.raises(ActionFailed) as failure:
        run_steps(runner, 'Set "Volume" to 500')
    assert "holds '100'" in failure.value.message
