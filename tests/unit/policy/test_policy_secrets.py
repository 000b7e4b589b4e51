"""Secrets through a real keyring backend (a file, chosen by keyring's own variable), and the redactor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from deskhand.errors import SecretMissing
from deskhand.policy.secrets import Redactor, SecretStore
from deskhand.surfaces.cli import secret as command


def test_set_get_list_and_remove(file_keyring: Path) -> None:
    store = SecretStore(env={})
    store.set("crm_password", "pa55-canary")
    store.set("api_key", "k-123")
    assert store.get("crm_password") == "pa55-canary"
    assert store.names() == ["api_key", "crm_password"]
    store.delete("api_key")
    assert store.names() == ["crm_password"]
    with pytest.raises(SecretMissing, match="'api_key' is not set") as raised:
        store.get("api_key")
    assert "deskhand secret set api_key" in raised.value.hint
    assert "pa55-canary" not in store.names()


def test_the_environment_comes_first(file_keyring: Path) -> None:
    store = SecretStore(env={"DESKHAND_SECRET_CRM_PASSWORD": "from-env"})
    store.set("crm_password", "from-keyring")
    assert store.get("crm_password") == "from-env"


def test_bad_names_and_missing_entries(file_keyring: Path) -> None:
    with pytest.raises(SecretMissing, match="not a secret name"):
        SecretStore(env={}).get("no spaces")
    with pytest.raises(SecretMissing, match="no secret 'ghost'"):
        SecretStore(env={}).delete("ghost")


def test_the_redactor_scrubs_longest_values_first() -> None:
    redactor = Redactor()
    redactor.add("pin", "1234")
    redactor.add("long", "123456")
    assert redactor("a 123456 b 1234") == "a {secret:long} b {secret:pin}"
    assert redactor.redact_bytes(b"x1234") == b"x{secret:pin}"


def test_the_cli_sets_lists_and_removes(file_keyring: Path) -> None:
    app = cli_with(command.register)
    runner = CliRunner()
    done = runner.invoke(app, ["secret", "set", "crm_password", "--stdin"], input="v4lue-canary\n")
    assert done.exit_code == 0, done.output
    listed = runner.invoke(app, ["secret", "list"])
    assert listed.output.strip() == "crm_password"
    assert "v4lue-canary" not in listed.output
    assert SecretStore(env={}).get("crm_password") == "v4lue-canary"
    assert runner.invoke(app, ["secret", "rm", "crm_password"]).exit_code == 0
    assert SecretStore(env={}).names() == []


def cli_with(register: Callable[[typer.Typer], None]) -> typer.Typer:
    """A deskhand-like app with just this command group (main.py registers it in the real CLI)."""
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    return app
