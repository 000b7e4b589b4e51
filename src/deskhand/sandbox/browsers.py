"""The browsers deskhand starts: where their binaries are, their command lines and environments.

Chromium gets its accessibility flags on the command line; Firefox (Debian's firefox-esr) exposes its
pages on AT-SPI only with GNOME_ACCESSIBILITY=1 in its environment, and is quieted through a private
profile's prefs (sandbox/firefox.py).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from deskhand.errors import SandboxError
from deskhand.sandbox.chromium import chromium_argv
from deskhand.sandbox.firefox import firefox_argv, write_profile

BrowserKind = Literal["chromium", "firefox"]
BROWSER_KINDS: tuple[BrowserKind, ...] = ("chromium", "firefox")


@dataclass(frozen=True, slots=True)
class BrowserSpec:
    kind: BrowserKind
    label: str  # as people write it, and as the browser names itself on the accessibility bus
    binaries: tuple[str, ...]  # looked up on PATH, in this order
    package: str  # the Debian package that provides it


SPECS: Mapping[BrowserKind, BrowserSpec] = {
    "chromium": BrowserSpec("chromium", "Chromium", ("chromium", "chromium-browser"), "chromium"),
    "firefox": BrowserSpec("firefox", "Firefox", ("firefox-esr", "firefox"), "firefox-esr"),
}


def browser_kind(name: str) -> BrowserKind | None:
    """``chromium``/``firefox`` from what a workflow calls the browser; None for anything else."""
    folded = " ".join(name.split()).casefold()
    if folded in ("chromium", "chromium-browser", "chrome", "google chrome"):
        return "chromium"
    if folded in ("firefox", "firefox-esr", "mozilla firefox"):
        return "firefox"
    return None


def find_browser(kind: BrowserKind) -> str:
    """The browser's binary; a one-line SandboxError naming the package to install when it is missing."""
    spec = SPECS[kind]
    for name in spec.binaries:
        found = shutil.which(name)
        if found:
            return found
    raise SandboxError(
        f"{spec.label} is not installed (looked for {', '.join(spec.binaries)} on PATH).",
        hint=f"Install it: sudo apt-get install {spec.package}",
    )


def fresh_profile_command(
    kind: BrowserKind,
    url: str,
    *,
    profiles: Path,
    window_size: tuple[int, int],
    remote_debugging_port: int | None,
    extra_args: Sequence[str],
    pac_script: str | None,
) -> list[str]:
    """:func:`browser_command` in a throw-away profile made under ``profiles`` (a desktop of deskhand's own:
    the browser is sized to its screen)."""
    return browser_command(
        kind,
        url,
        profile_dir=Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=profiles)),
        remote_debugging_port=remote_debugging_port,
        window_size=window_size,
        extra_args=extra_args,
        pac_script=pac_script,
    )


def browser_command(
    kind: BrowserKind,
    url: str,
    *,
    profile_dir: Path,
    remote_debugging_port: int | None,
    window_size: tuple[int, int] | None = None,
    extra_args: Sequence[str] = (),
    pac_script: str | None = None,
) -> list[str]:
    """The command line that starts ``kind`` on ``url`` in ``profile_dir`` (a profile of deskhand's own).
    ``pac_script`` (Firefox) decides which requests may leave the browser."""
    binary = find_browser(kind)
    if kind == "firefox":
        write_profile(profile_dir, pac_script)
        return firefox_argv(
            url,
            binary=binary,
            profile_dir=profile_dir,
            remote_debugging_port=remote_debugging_port,
            window_size=window_size,
            extra_args=extra_args,
        )
    return chromium_argv(
        url,
        binary=binary,
        profile_dir=profile_dir,
        window_size=window_size,
        remote_debugging_port=remote_debugging_port,
        extra_args=extra_args,
    )


def browser_env(kind: BrowserKind, env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with what ``kind`` needs to put its pages on the accessibility bus."""
    out = dict(env)
    if kind == "firefox":
        # Gecko registers on AT-SPI only when told an assistive technology is in use.
        out["GNOME_ACCESSIBILITY"] = "1"
        out.pop("MOZ_DISABLE_ACCESSIBILITY", None)
    return out
