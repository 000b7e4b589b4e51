"""Suite-wide settings.

Tests that drive real apps on a virtual desktop run against real toolkits on a shared 2-core machine:
Chromium's date field can lose a keystroke typed while it moves between its parts, and a busy app can
miss a deadline. Such a test gets up to two more tries; a rerun is printed in the summary ("N rerun"), so
flakiness stays visible instead of hidden, and a test that fails three times fails the run.
DESKHAND_NO_RERUN=1 turns the reruns off, to see a flaky test's first failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_DESKTOP_FOLDERS = ("integration", "injection")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if os.environ.get("DESKHAND_NO_RERUN"):  # to see a flaky test's first failure
        return
    for item in items:
        parts = Path(str(item.fspath)).parts
        if any(folder in parts for folder in _DESKTOP_FOLDERS):
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
