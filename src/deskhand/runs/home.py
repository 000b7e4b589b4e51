"""Where deskhand keeps its data: the run database, run artifacts and the audit log.

A fleet shares two of them: ``DESKHAND_DB`` (a ``postgresql://`` address) and ``DESKHAND_ARTIFACTS`` (a
directory every worker and the console reach, e.g. an NFS mount).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

HOME_VARIABLE = "DESKHAND_HOME"
DB_VARIABLE = "DESKHAND_DB"
ARTIFACTS_VARIABLE = "DESKHAND_ARTIFACTS"


def deskhand_home() -> Path:
    """``$DESKHAND_HOME``, else the XDG data dir (``~/.local/share/deskhand``); created on first use."""
    configured = os.environ.get(HOME_VARIABLE, "").strip()
    home = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("deskhand", False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def default_database_path() -> Path:
    return deskhand_home() / "runs.db"


def default_store() -> Path | str:
    """``$DESKHAND_DB`` (a ``postgresql://`` address, or a SQLite file), else ``<home>/runs.db``."""
    configured = os.environ.get(DB_VARIABLE, "").strip()
    if not configured:
        return default_database_path()
    if configured.startswith(("postgresql://", "postgres://")):
        return configured
    return Path(configured).expanduser()


def default_artifacts_root(database_dir: Path | None) -> Path:
    """``$DESKHAND_ARTIFACTS``, else ``runs/`` beside the SQLite file (``<home>/runs/`` with PostgreSQL)."""
    configured = os.environ.get(ARTIFACTS_VARIABLE, "").strip()
    if configured:
        return Path(configured).expanduser()
    return (database_dir or deskhand_home()) / "runs"


def default_audit_path() -> Path:
    return deskhand_home() / "audit.jsonl"
