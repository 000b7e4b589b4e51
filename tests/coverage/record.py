"""Where the coverage cells of one session are kept, and the committed page they are compared with."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.coverage.matrix import COLUMNS, ROWS, CellResult, all_cells

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "coverage.md"
BUILT = ROOT / "build" / "coverage.md"
WRITE = os.environ.get("DESKHAND_WRITE_COVERAGE") == "1"
_RESULTS = pytest.StashKey[dict[tuple[str, str], CellResult]]()
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def committed_cells() -> dict[tuple[str, str], str]:
    """The cells of the committed page, as their text."""
    if not COMMITTED.exists():
        return {}
    cells: dict[tuple[str, str], str] = {}
    for line in COMMITTED.read_text().splitlines():
        parts = [part.strip() for part in _CELL_SPLIT.split(line)[1:-1]]
        if len(parts) == len(COLUMNS) + 1 and parts[0] in ROWS:
            for column, text in zip(COLUMNS, parts[1:], strict=True):
                cells[(column, parts[0])] = text
    return cells


def results_of(config: pytest.Config) -> dict[tuple[str, str], CellResult]:
    return config.stash.setdefault(_RESULTS, {})


def missing_cells(config: pytest.Config) -> list[tuple[str, str]]:
    return sorted(all_cells() - set(results_of(config)))
