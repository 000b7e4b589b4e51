"""A workflow run over MCP may use only sites the session's policy allows whole. The old check asked whether the
session allowed the workflow's site *text* as an address: "example.test" (any web scheme) passed inside
"https://example.test", and so did plain http to it."""

from __future__ import annotations

import pytest

from deskhand.policy.rules import Policy


@pytest.mark.parametrize(
    ("session", "site", "inside"),
    [
        ("https://example.test", "example.test", False),  # widened to http
        ("https://example.test", "https://example.test", True),
        ("https://example.test", "https://mail.example.test", False),
        ("https://example.test", "*.example.test", False),
        ("*.example.test", "https://mail.example.test", True),
        ("*.example.test", "*.mail.example.test", True),
        ("example.test", "https://example.test:8443", True),
        ("127.0.0.1:8765", "127.0.0.1", False),  # every port, where the session allows one
        ("127.0.0.1", "http://127.0.0.1:8765", True),
        ("file:///home/me/pages", "file:///home/me/pages/sub", True),
        ("file:///home/me/pages", "file:///home/me", False),
    ],
)
def test_a_workflows_site_must_lie_inside_the_sessions(session: str, site: str, inside: bool) -> None:
    assert Policy(sites=(session,)).covers_site(site) is inside
