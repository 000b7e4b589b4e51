"""The coverage matrix's plumbing: cells are recorded as they run and compared with the committed page.

Each cell test records its result and fails if it differs from the same cell in the committed
``docs/coverage.md`` (so a widget that stops working, or starts working, fails CI by name). The last test of
the folder (moved last at collection) compares the whole page once every cell has run in this session. At
the end of a session the page is written to ``build/coverage.md`` (what this run found, even partly) and,
with ``DESKHAND_WRITE_COVERAGE=1`` and every cell run, to ``docs/coverage.md``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.coverage.matrix import CellResult, all_cells, render
from tests.coverage.record import BUILT, COMMITTED, WRITE, committed_cells, results_of


@pytest.fixture(scope="session")
def record_cell(pytestconfig: pytest.Config) -> Callable[[CellResult], None]:
    committed = committed_cells()

    def record(result: CellResult) -> None:
        results_of(pytestconfig)[(result.column, result.row)] = result
        before = committed.get((result.column, result.row))
        if not WRITE and before != result.text:
            pytest.fail(
                f"coverage cell {result.column} / {result.row} changed: docs/coverage.md says {before!r}, "
                f"this run found {result.text!r}. If that is the truth now, regenerate the page with "
                "DESKHAND_WRITE_COVERAGE=1 python -m pytest tests/coverage -p no:randomly",
                pytrace=False,
            )

    return record


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The whole-page check runs after every cell."""
    last = [item for item in items if item.name == "test_committed_page_is_what_the_run_found"]
    items[:] = [item for item in items if item not in last] + last


def pytest_sessionfinish(session: pytest.Session) -> None:
    results = results_of(session.config)
    if not results:
        return
    page = render(results)
    BUILT.parent.mkdir(exist_ok=True)
    BUILT.write_text(page)
    if WRITE and set(results) == all_cells():
        COMMITTED.write_text(page)
