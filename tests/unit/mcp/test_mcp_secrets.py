"""Secrets by name: filled in at the last moment, shown by name everywhere else."""

from __future__ import annotations

import pytest

from deskhand.errors import SecretMissing
from deskhand.surfaces.mcp.secrets import SecretBook


def lookup(name: str) -> str:
    if name == "missing":
        raise SecretMissing(f"The secret {name!r} is not set.")
    return {"pin": "1234", "token": "abc-12345678"}[name]


def test_placeholders_are_filled_and_values_redacted_back() -> None:
    book = SecretBook(lookup)
    assert book.redact("1234") == "1234"  # unknown until used
    assert book.fill_in("pin {secret:pin}, token {secret:token}") == "pin 1234, token abc-12345678"
    assert book.redact('textbox "PIN" = "1234" and abc-12345678') == (
        'textbox "PIN" = "{secret:pin}" and {secret:token}'
    )


def test_a_missing_secret_is_a_clear_error() -> None:
    with pytest.raises(SecretMissing):
        SecretBook(lookup).fill_in("{secret:missing}")
