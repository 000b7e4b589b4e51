"""Waiting for what a test app prints to its log."""

from __future__ import annotations

import time
from pathlib import Path


def wait_for_output(log: Path, wanted: str, timeout: float = 10.0) -> str:
    """The log's text once it holds ``wanted``, or as it is when ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if wanted in text:
            return text
        time.sleep(0.05)
    return log.read_text(errors="replace")
