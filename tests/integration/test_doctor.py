"""`deskhand doctor` on real buses: all good on a virtual desktop, precise about what is missing elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from tests.integration.bare_bus import bare_session_bus_in
from typer.testing import CliRunner

from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.doctor import Check, all_ok, run_checks
from deskhand.surfaces.cli import doctor as doctor_cli

pytestmark = pytest.mark.desktop


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


@pytest.fixture
def bare_session_bus(tmp_path: Path) -> Iterator[str]:
    with bare_session_bus_in(tmp_path) as address:
        yield address


def test_all_checks_pass_on_a_virtual_desktop(desktop: VirtualDesktop) -> None:
    checks = run_checks(desktop.env)
    assert all_ok(checks), [check for check in checks if not check.ok]
    assert {"display", "session_bus", "a11y_bus_address", "registry", "a11y_enabled"} <= set(by_name(checks))


def test_a_session_bus_without_at_spi_is_reported_with_its_fix(bare_session_bus: str) -> None:
    checks = by_name(run_checks({"DBUS_SESSION_BUS_ADDRESS": bare_session_bus}))
    assert checks["session_bus"].ok
    assert not checks["a11y_bus_address"].ok
    assert "at-spi-bus-launcher" in checks["a11y_bus_address"].fix
    assert not checks["registry"].ok
    assert not checks["display"].ok
    assert "deskhand desktop up" in checks["display"].fix


def test_toolkit_settings_that_hide_apps_are_flagged() -> None:
    checks = by_name(run_checks({"NO_AT_BRIDGE": "1", "GTK_A11Y": "none", "GTK_MODULES": "gail:no-such-module"}))
    assert "unset NO_AT_BRIDGE" in checks["no_at_bridge"].fix
    assert not checks["qt_accessibility"].ok
    assert "QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1" in checks["qt_accessibility"].fix
    assert not checks["gtk_a11y"].ok
    assert "no-such-module" in checks["gtk_modules"].detail


def test_the_qt_variable_is_a_warning_where_is_enabled_is_already_true(desktop: VirtualDesktop) -> None:
    env = {k: v for k, v in desktop.env.items() if k != "QT_LINUX_ACCESSIBILITY_ALWAYS_ON"}
    checks = run_checks(env)
    qt = by_name(checks)["qt_accessibility"]
    assert by_name(checks)["a11y_enabled"].ok
    assert qt.ok and qt.warning and "IsEnabled is true" in qt.detail, qt
    assert all_ok(checks)


def test_the_qt_variable_fails_where_nothing_turns_accessibility_on() -> None:
    qt = by_name(run_checks({}))["qt_accessibility"]
    assert not qt.ok and not qt.warning


def _app() -> typer.Typer:
    app = typer.Typer()
    doctor_cli.register(app)

    @app.command("noop", hidden=True)
    def noop() -> None:  # a second command keeps `doctor` a subcommand rather than the whole app
        """Nothing."""

    return app


def test_cli_json_and_exit_codes(desktop: VirtualDesktop, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    for key, value in desktop.env.items():
        monkeypatch.setenv(key, value)
    good = runner.invoke(_app(), ["doctor", "--json"])
    assert good.exit_code == 0, good.output
    data = json.loads(good.stdout)
    assert data["ok"] is True
    assert all(set(check) == {"name", "ok", "warning", "fix"} for check in data["checks"])

    monkeypatch.setenv("NO_AT_BRIDGE", "1")
    bad = runner.invoke(_app(), ["doctor", "--json"])
    assert bad.exit_code == 1
    failed = [check for check in json.loads(bad.stdout)["checks"] if not check["ok"]]
    assert [check["name"] for check in failed] == ["no_at_bridge"]

    text = runner.invoke(_app(), ["doctor"])
    assert text.exit_code == 1
    assert "FAIL no_at_bridge" in text.stdout and "fix: Run `unset NO_AT_BRIDGE`" in text.stdout
