"""Where deskhand keeps its data: the run database, run artifacts and the audit log."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_VARIABLE = "DESKHAND_HOME"


def deskhand_home() -> Path:
    """``$DESKHAND_HOME``, else the XDG data dir (``~/.local/share/deskhand``); created on first use."""
    configured = os.environ.get(HOME_VARIABLE, "").strip()
    home = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("deskhand", False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def default_database_path() -> Path:
    return deskhand_home() / "runs.db"


def default_audit_path() -> Path:
    return deskhand_home() / "audit.jsonl"
