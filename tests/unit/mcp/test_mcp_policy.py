"""The session policy: deskhand.policy's rules, gathered from flags and a policy file; default deny."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.errors import WorkflowError
from deskhand.policy.rules import NO_STEP, Policy, Target
from deskhand.surfaces.mcp.policy import describe_policy, session_policy


def test_nothing_is_allowed_by_default() -> None:
    policy = session_policy()
    assert policy == Policy()
    assert not policy.allows_app("mousepad") and not policy.allows_secret("pin")
    assert not policy.allows_site("https://example.org")
    assert describe_policy(policy) == "apps: none; sites: none; secrets: none"


def test_flags_and_file_are_joined(tmp_path: Path) -> None:
    file = tmp_path / "policy.yaml"
    file.write_text("apps: [gnome-calculator]\nsites: [https://example.org]\npreapproved: [2]\n")
    policy = session_policy(["mousepad, zenity", "zenity"], [], ["pin"], file)
    assert policy.apps == ("gnome-calculator", "mousepad", "zenity")
    assert policy.allows_app("Mousepad") and policy.allows_app("calculator")  # the workflows' aliases
    assert not policy.allows_app("gedit")
    assert policy.allows_site("https://example.org/form") and not policy.allows_site("https://evil.org")
    assert policy.allows_secret("pin") and len(policy.preapproved) == 1


def test_the_rules_are_the_workflows_rules() -> None:
    policy = session_policy(["mousepad"])
    assert policy.classify("click", Target(app="mousepad", role="button", name="Send"), NO_STEP).verdict == "ask"
    assert policy.classify("click", Target(app="mousepad", role="button", name="Save"), NO_STEP).verdict == "allow"
    assert policy.classify("click", Target(app="gedit", role="button", name="OK"), NO_STEP).verdict == "deny"


@pytest.mark.parametrize("text", ["apps: mousepad\n", "rules: []\n", "- a\n", "apps: [1, 2]\n", "apps: [a\n"])
def test_a_bad_policy_file_names_itself(tmp_path: Path, text: str) -> None:
    file = tmp_path / "policy.yaml"
    file.write_text(text)
    with pytest.raises(WorkflowError) as bad:
        session_policy([], [], [], file)
    assert str(file) in bad.value.message or bad.value.file == str(file)


def test_a_missing_policy_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(WorkflowError) as missing:
        session_policy(file=tmp_path / "nope.yaml")
    assert "No policy file" in missing.value.message
