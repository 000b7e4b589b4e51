"""The policy of one MCP session: which apps and sites it may touch, and which actions need a person's yes.

A thin adapter kept inside the MCP surface until ``deskhand.policy`` lands; it follows the same rules as
workflows: default deny outside the listed apps and sites, irreversible actions ask first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from deskhand.errors import PolicyDenied, WorkflowError

# Words on a control that mean "this cannot be taken back" (matched as whole words, any case).
IRREVERSIBLE_WORDS: tuple[str, ...] = (
    "submit",
    "send",
    "delete",
    "remove",
    "pay",
    "purchase",
    "buy",
    "order",
    "publish",
    "post",
    "transfer",
    "erase",
    "discard",
    "overwrite",
    "empty trash",
    "format",
)
_IRREVERSIBLE = re.compile(r"\b(" + "|".join(re.escape(w) for w in IRREVERSIBLE_WORDS) + r")\b", re.IGNORECASE)
_POLICY_HINT = "Start the server with --apps NAME (or --policy FILE listing apps:) to allow it."


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def is_irreversible_label(label: str) -> bool:
    """Whether a control called ``label`` does something that cannot be undone (Submit, Delete, Send…)."""
    return bool(_IRREVERSIBLE.search(label))


def _host_of(site: str) -> str:
    text = site.strip()
    if "//" not in text:
        text = "//" + text
    return (urlsplit(text).hostname or "").casefold()


@dataclass(frozen=True)
class SessionPolicy:
    """Allowed apps (names as the desktop shows them, or window titles) and sites (host names)."""

    apps: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()

    @classmethod
    def build(cls, apps: Iterable[str] = (), sites: Iterable[str] = (), file: Path | None = None) -> SessionPolicy:
        """From flags (comma-separated values are split) and an optional YAML file with ``apps:``/``sites:``."""
        app_list = [a.strip() for value in apps for a in value.split(",") if a.strip()]
        site_list = [s.strip() for value in sites for s in value.split(",") if s.strip()]
        if file is not None:
            from_file = load_policy_file(file)
            app_list += from_file.apps
            site_list += from_file.sites
        return cls(tuple(dict.fromkeys(app_list)), tuple(dict.fromkeys(site_list)))

    def allows_app(self, *names: str) -> bool:
        """True when any of ``names`` (an app's name, its window titles) is an allowed app."""
        wanted = {_norm(a) for a in self.apps}
        return any(_norm(name) in wanted for name in names if name)

    def require_app(self, app_name: str, *other_names: str, doing: str) -> None:
        if not self.allows_app(app_name, *other_names):
            allowed = ", ".join(repr(a) for a in self.apps) or "none"
            raise PolicyDenied(
                f"Refused to {doing}: {app_name!r} is not an allowed app of this session (allowed: {allowed}).",
                hint=_POLICY_HINT,
            )

    def allows_site(self, url: str) -> bool:
        host = _host_of(url)
        if not host:
            return False
        for site in self.sites:
            allowed = _host_of(site)
            if host == allowed or host.endswith("." + allowed):
                return True
        return False

    def require_site(self, url: str) -> None:
        if not self.allows_site(url):
            allowed = ", ".join(repr(s) for s in self.sites) or "none"
            raise PolicyDenied(
                f"Refused to open {url!r}: its site is not allowed in this session (allowed: {allowed}).",
                hint="Start the server with --sites HOST (or list sites: in the policy file).",
            )

    def describe(self) -> str:
        apps = ", ".join(self.apps) or "none"
        sites = ", ".join(self.sites) or "none"
        return f"apps: {apps}; sites: {sites}"


def load_policy_file(path: Path) -> SessionPolicy:
    """A policy file is YAML: ``apps: [mousepad, ...]`` and ``sites: [example.org, ...]``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise WorkflowError("No policy file here.", file=str(path), hint="Check the --policy path.") from None
    except yaml.YAMLError as error:
        raise WorkflowError(f"The policy file is not YAML: {error}.", file=str(path)) from error
    if not isinstance(data, dict):
        raise WorkflowError("A policy file is a mapping with apps: and sites:.", file=str(path))
    unknown = set(data) - {"apps", "sites"}
    if unknown:
        raise WorkflowError(
            f"Unknown keys {sorted(unknown)} in the policy file.", file=str(path), hint="Use apps: and sites: only."
        )
    apps, sites = data.get("apps") or [], data.get("sites") or []
    if (
        not all(isinstance(v, str) for v in [*apps, *sites])
        or not isinstance(apps, list)
        or not isinstance(sites, list)
    ):
        raise WorkflowError("apps: and sites: are lists of names.", file=str(path), hint="apps: [mousepad, zenity]")
    return SessionPolicy(tuple(apps), tuple(sites))
