"""The policy of one MCP session, from `deskhand mcp` flags and an optional policy file.

The rules are :class:`deskhand.policy.rules.Policy`, the same as workflows': default deny outside the listed
apps, sites and secrets. This module only gathers the lists (flags may be repeated or comma-separated).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from deskhand.errors import WorkflowError
from deskhand.policy.rules import Policy


def _split(values: Iterable[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def load_policy_file(path: Path) -> dict[str, object]:
    """A policy file is YAML with the front matter's policy keys: ``apps:``, ``sites:``, ``secrets:``…"""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise WorkflowError(f"No policy file at {path}.", file=str(path), hint="Check the --policy path.") from None
    except yaml.YAMLError as error:
        raise WorkflowError(f"The policy file {path} is not YAML: {error}.", file=str(path)) from error
    if not isinstance(data, dict):
        raise WorkflowError(
            f"The policy file {path} is not a mapping.", file=str(path), hint="apps: [mousepad]\nsites: [example.org]"
        )
    return {str(key): value for key, value in data.items()}


def session_policy(
    apps: Iterable[str] = (), sites: Iterable[str] = (), secrets: Iterable[str] = (), file: Path | None = None
) -> Policy:
    """The flags' lists joined with the file's (checked by ``Policy.from_mapping``: unknown keys are errors)."""
    data: dict[str, object] = load_policy_file(file) if file is not None else {}
    where = str(file) if file is not None else "the command line"
    for key, given in (("apps", apps), ("sites", sites), ("secrets", secrets)):
        from_file = data.get(key)
        if from_file is not None and not isinstance(from_file, list):
            raise WorkflowError(f"{key}: in {where} must be a list.", file=where, hint=f"{key}: [a, b]")
        data[key] = list(dict.fromkeys([*(from_file or []), *_split(given)]))
    return Policy.from_mapping(data, where=where)


def describe_policy(policy: Policy) -> str:
    def listed(values: tuple[str, ...]) -> str:
        return ", ".join(values) or "none"

    return f"apps: {listed(policy.apps)}; sites: {listed(policy.sites)}; secrets: {listed(policy.secrets)}"
