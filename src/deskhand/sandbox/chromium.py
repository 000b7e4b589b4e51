"""The command line that makes Chromium quiet, isolated and accessible on a virtual desktop."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def chromium_argv(
    url: str,
    *,
    binary: str = CHROMIUM,
    profile_dir: Path,
    window_size: tuple[int, int] | None = None,
    remote_debugging_port: int | None = None,
    extra_args: Sequence[str] = (),
) -> list[str]:
    argv = [
        binary,
        "--force-renderer-accessibility",  # expose web content on AT-SPI, not only the browser frame
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-gpu",
        "--password-store=basic",  # never ask a keyring on the private session bus
        f"--user-data-dir={profile_dir}",
        "--ozone-platform=x11",
    ]
    if window_size is not None:  # a desktop of deskhand's own has no window manager to place it
        argv += [f"--window-size={window_size[0]},{window_size[1]}", "--window-position=0,0"]
    if os.geteuid() == 0:
        # Chromium refuses to start as root with its sandbox on; --test-type drops the warning bar that
        # would otherwise sit in every screenshot and in the page's accessibility tree.
        argv.extend(["--no-sandbox", "--test-type"])
    if remote_debugging_port is not None:
        argv.append(f"--remote-debugging-port={remote_debugging_port}")
    argv += [*extra_args, url]
    return argv
