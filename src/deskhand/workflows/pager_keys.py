"""The front matter's keys for running unattended: ``notify:`` (apprise URLs) and ``retries:``."""

from __future__ import annotations

import re
from collections.abc import Callable

from deskhand.errors import WorkflowError
from deskhand.workflows.model import Retries

Fail = Callable[[str, str, str], WorkflowError]

RETRY_KEYS = ("attempts", "backoff")
MAX_ATTEMPTS = 10
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$")
_SCALE = {"ms": 0.001, "s": 1.0, "m": 60.0, None: 1.0}
_RETRIES_HINT = "Write it as retries: {attempts: 3, backoff: 2s} (attempts in all, the first wait before a retry)."


def url_problem(url: str) -> str | None:
    """Why apprise cannot send to ``url`` (None when it can). apprise is imported only here, when asked."""
    import apprise

    if "://" not in url:
        return "it has no scheme such as mailto:// or json://"
    if apprise.Apprise.instantiate(url, suppress_exceptions=True) is None:
        scheme = url.partition("://")[0]
        return f"apprise does not understand it (unknown scheme {scheme!r}, or a part is missing)"
    return None


def read_retries(value: object, fail: Fail) -> Retries:
    if value is None:
        return Retries()
    if isinstance(value, int) and not isinstance(value, bool):
        value = {"attempts": value}
    if not isinstance(value, dict):
        raise fail("retries", "'retries' must be a mapping.", _RETRIES_HINT)
    for key in value:
        if str(key) not in RETRY_KEYS:
            raise fail(f"retries.{key}", f"Unknown key {str(key)!r} in retries.", _RETRIES_HINT)
    attempts = value.get("attempts", 1)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or not 1 <= attempts <= MAX_ATTEMPTS:
        raise fail(
            "retries.attempts",
            f"'attempts' must be a whole number from 1 to {MAX_ATTEMPTS}, not {attempts!r}.",
            _RETRIES_HINT,
        )
    return Retries(attempts, _duration(value.get("backoff", 0), fail))


def _duration(value: object, fail: Fail) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        why = f"'backoff' must be a duration such as 2s or 500ms, not {value!r}."
        raise fail("retries.backoff", why, _RETRIES_HINT)
    return float(match.group(1)) * _SCALE[match.group(2)]


def shown_url(url: str) -> str:
    """``url`` fit for an error message: a password in it is masked."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)
