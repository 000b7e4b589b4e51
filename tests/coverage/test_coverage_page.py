"""The committed docs/coverage.md is exactly what this run's cells produced (runs after every cell)."""

from __future__ import annotations

import pytest
from tests.coverage.matrix import render
from tests.coverage.record import COMMITTED, WRITE, missing_cells, results_of


def test_committed_page_is_what_the_run_found(pytestconfig: pytest.Config) -> None:
    missing = missing_cells(pytestconfig)
    assert not missing, (
        f"{len(missing)} coverage cells did not run in this session (first: {missing[:3]}); "
        "the page is checked only after a run of the whole tests/coverage folder"
    )
    page = render(results_of(pytestconfig))
    if WRITE:
        return  # the session's end writes it
    assert COMMITTED.read_text() == page, (
        "docs/coverage.md differs from this run (see build/coverage.md); regenerate it with "
        "DESKHAND_WRITE_COVERAGE=1 python -m pytest tests/coverage -p no:randomly"
    )
