"""Per-run artifact folders (``<root>/<run_id>/step-01.png``, ``step-01.txt``), written atomically."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from deskhand.errors import DeskhandError

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def run_folder(root: Path, run_id: str) -> Path:
    """The artifact folder of one run; refuses ids that could escape ``root``."""
    if not _RUN_ID.match(run_id):
        raise DeskhandError(
            f"{run_id!r} is not a run id.",
            hint="Run ids look like r-20261125-123456-ab12; list them with `deskhand runs list`.",
        )
    return root / run_id


def screenshot_path(root: Path, run_id: str, step: int) -> Path:
    return run_folder(root, run_id) / f"step-{step:02d}.png"


def snapshot_path(root: Path, run_id: str, step: int) -> Path:
    return run_folder(root, run_id) / f"step-{step:02d}.txt"


def report_path(root: Path, run_id: str) -> Path:
    return run_folder(root, run_id) / "report.html"


def write_atomically(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside ``path`` then rename, so readers never see a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
