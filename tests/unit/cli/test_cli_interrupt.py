"""Ctrl-C inside a command: the command line says it stopped and exits 130 (Typer alone exits in silence)."""

from __future__ import annotations

import pytest
import typer

from deskhand.surfaces.cli import main as cli_main


def _app_whose_command(raises: BaseException) -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def wait() -> None:
        raise raises

    @app.command()
    def other() -> None:
        pass

    return app


def test_ctrl_c_in_a_command_prints_stopped_and_exits_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_main, "_register_commands", lambda: None)
    monkeypatch.setattr(cli_main, "app", _app_whose_command(KeyboardInterrupt()))
    with pytest.raises(SystemExit) as leaving:
        cli_main.main(["wait"])
    assert leaving.value.code == 130
    assert capsys.readouterr().err.strip().endswith("stopped.")


def test_a_command_that_exits_130_itself_is_not_called_stopped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli_main, "_register_commands", lambda: None)
    monkeypatch.setattr(cli_main, "app", _app_whose_command(typer.Exit(130)))
    with pytest.raises(SystemExit) as leaving:
        cli_main.main(["wait"])
    assert leaving.value.code == 130
    assert "stopped." not in capsys.readouterr().err
