from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from deskhand.runs.store import RunStore


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("DESKHAND_HOME", str(home))
    return home


@pytest.fixture
def store(store_where: Path | str, tmp_path: Path) -> Iterator[RunStore]:
    """A run store on SQLite and on PostgreSQL (the artifacts beside it in ``tmp_path/runs`` on both)."""
    with RunStore(store_where, artifacts_root=tmp_path / "runs") as opened:
        yield opened


@pytest.fixture
def tiny_png() -> bytes:
    """A real 2x2 PNG: enough to check that screenshots travel intact."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()
