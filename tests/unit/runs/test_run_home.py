from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.runs.home import deskhand_home


def test_home_comes_from_the_environment_and_is_created(home: Path) -> None:
    assert not home.exists()
    assert deskhand_home() == home
    assert home.is_dir()


def test_home_defaults_to_the_xdg_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESKHAND_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert deskhand_home() == tmp_path / "xdg" / "deskhand"
    assert (tmp_path / "xdg" / "deskhand").is_dir()
