"""Where notices go and how they read: the workflow's ``notify:``, else ``notify`` in config.toml, plus
``DESKHAND_NOTIFY`` (space-separated apprise URLs); the console's base URL (``DESKHAND_CONSOLE_URL``) and
the window in which repeats are grouped (``DESKHAND_NOTIFY_WINDOW`` seconds, or ``notify_window``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deskhand.errors import DeskhandError, InputError
from deskhand.models.config import config_path, read_config
from deskhand.workflows.model import Workflow
from deskhand.workflows.pager_keys import shown_url, url_problem

NOTIFY_VARIABLE = "DESKHAND_NOTIFY"
CONSOLE_VARIABLE = "DESKHAND_CONSOLE_URL"
WINDOW_VARIABLE = "DESKHAND_NOTIFY_WINDOW"
DEFAULT_CONSOLE_URL = "http://127.0.0.1:8400"
DEFAULT_WINDOW_S = 3600.0


@dataclass(frozen=True, slots=True)
class NoticeSettings:
    default_urls: tuple[str, ...] = ()  # config.toml's notify: used when a workflow names none
    always_urls: tuple[str, ...] = ()  # DESKHAND_NOTIFY: told about every workflow
    console_url: str = DEFAULT_CONSOLE_URL
    window_s: float = DEFAULT_WINDOW_S

    def urls_for(self, workflow: Workflow) -> tuple[str, ...]:
        chosen = workflow.notify or self.default_urls
        return tuple(dict.fromkeys((*chosen, *self.always_urls)))


def notice_settings(env: Mapping[str, str] = os.environ, config: Mapping[str, Any] | None = None) -> NoticeSettings:
    """The settings from the environment and config.toml; a URL apprise cannot use is an error naming where."""
    config = read_config(env) if config is None else config
    configured = config.get("notify", [])
    if isinstance(configured, str):
        configured = configured.split()
    if not isinstance(configured, list) or not all(isinstance(url, str) for url in configured):
        raise DeskhandError(
            "'notify' in config.toml must be a list of apprise URLs.",
            hint='Write notify = ["mailto://user:pass@example.com"].',
        )
    always = tuple(env.get(NOTIFY_VARIABLE, "").split())
    _check(tuple(configured), "'notify'", str(config_path(env)))
    _check(always, NOTIFY_VARIABLE, "")
    window = env.get(WINDOW_VARIABLE) or config.get("notify_window") or DEFAULT_WINDOW_S
    try:
        window_s = float(window)
    except (TypeError, ValueError):
        raise DeskhandError(
            f"{WINDOW_VARIABLE} must be a number of seconds, not {window!r}.", hint="For example 3600 (one hour)."
        ) from None
    console = env.get(CONSOLE_VARIABLE) or str(config.get("console_url") or DEFAULT_CONSOLE_URL)
    return NoticeSettings(tuple(configured), always, console, window_s)


def _check(urls: tuple[str, ...], where: str, file: str) -> None:
    """Bad input (exit code 2, nothing is run), naming the variable or the config file."""
    for url in urls:
        why = url_problem(url)
        if why is not None:
            raise InputError(
                f"{shown_url(url)!r} in {where} is not a notice URL: {why}.",
                file=file,
                hint="Write apprise URLs such as mailto://user:pass@example.com or json://host:port/path.",
            )
