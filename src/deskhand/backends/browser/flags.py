"""What a Chromium needs on its command line for deskhand to read its pages over CDP."""

from __future__ import annotations

import socket

from deskhand.backends.browser.page import BLINK_FEATURE

# Blink computes roles and names for the page reader only with this feature on.
READER_FLAGS: tuple[str, ...] = (f"--enable-blink-features={BLINK_FEATURE}",)


def free_port() -> int:
    """A loopback TCP port nobody listens on now (Chromium binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def reads_pages(cmdline: list[str]) -> bool:
    """Whether a Chromium started with ``cmdline`` computes roles for scripts (the page reader needs it)."""
    return any(arg.startswith("--enable-blink-features=") and BLINK_FEATURE in arg for arg in cmdline)
