"""What an address typed into a browser's address bar opens (app/recording/address_bar.py)."""

from __future__ import annotations

from deskhand.app.recording.address_bar import as_url


def test_an_address_typed_without_a_scheme_is_opened_over_http() -> None:
    assert as_url("127.0.0.1:8000/form ") == "http://127.0.0.1:8000/form"


def test_an_address_with_its_scheme_is_kept() -> None:
    assert as_url("https://example.org/a") == "https://example.org/a"
    assert as_url("about:blank") == "about:blank"
