"""The session policy: default deny, apps by name or window title, sites by host, and the policy file."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.errors import PolicyDenied, WorkflowError
from deskhand.surfaces.mcp.policy import SessionPolicy, is_irreversible_label


def test_nothing_is_allowed_by_default() -> None:
    policy = SessionPolicy.build()
    assert not policy.allows_app("mousepad")
    assert not policy.allows_site("https://example.org")
    with pytest.raises(PolicyDenied) as refused:
        policy.require_app("mousepad", doing="click")
    assert "allowed: none" in refused.value.message and "--apps" in refused.value.hint


def test_apps_from_flags_and_file_match_names_or_window_titles(tmp_path: Path) -> None:
    file = tmp_path / "policy.yaml"
    file.write_text("apps: [gnome-calculator]\nsites: [example.org]\n")
    policy = SessionPolicy.build(["mousepad, zenity", "zenity"], [], file)
    assert policy.apps == ("mousepad", "zenity", "gnome-calculator")
    assert policy.allows_app("Mousepad")
    assert policy.allows_app("python3", "Zenity")  # a window title counts too
    assert not policy.allows_app("gedit")
    assert policy.allows_site("https://www.example.org/form") and not policy.allows_site("https://evil.org")
    assert not policy.allows_site("https://notexample.org")


@pytest.mark.parametrize("text", ["apps: mousepad\n", "rules: []\n", "- a\n", "apps: [1, 2]\n"])
def test_a_bad_policy_file_names_itself(tmp_path: Path, text: str) -> None:
    file = tmp_path / "policy.yaml"
    file.write_text(text)
    with pytest.raises(WorkflowError) as bad:
        SessionPolicy.build([], [], file)
    assert str(file) in bad.value.message


def test_irreversible_labels_are_whole_words() -> None:
    assert is_irreversible_label("Submit") and is_irreversible_label("Delete file")
    assert is_irreversible_label("Send now")
    assert not is_irreversible_label("Subscribe to newsletter")
    assert not is_irreversible_label("Sender") and not is_irreversible_label("Name")
