"""Handing one notice to apprise, with a short timeout on every network call it makes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

SEND_TIMEOUT_S = 4.0


def deliver(
    urls: Sequence[str], title: str, body: str, attachment: Path | None, timeout: float = SEND_TIMEOUT_S
) -> str | None:
    """Send to every URL; None when all took it, else why not (apprise logs the detail)."""
    import apprise

    sender = apprise.Apprise()
    for url in urls:
        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        if plugin is None:
            return f"apprise does not understand {url.partition('://')[0]}:// URL"
        # A notifier that is down must not hold the sending thread for apprise's default 15 s per try.
        plugin.socket_connect_timeout = timeout
        plugin.socket_read_timeout = timeout
        sender.add(plugin)
    attach = str(attachment) if attachment is not None and attachment.exists() else None
    try:
        ok = sender.notify(body=body, title=title, attach=attach)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None if ok else "apprise could not deliver it to every target (the notifier did not accept it)"
