"""A session bus with no service files: nothing can start an AT-SPI bus on it (for tests of what deskhand
says when a session has none)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from deskhand.sandbox.session_bus import SessionBus

BARE_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@contextmanager
def bare_session_bus_in(folder: Path) -> Iterator[str]:
    """A bare session bus listening in ``folder``: its address, the bus ended after."""
    config = folder / "bus.conf"
    config.write_text(BARE_BUS_CONFIG.format(folder=folder))
    bus = SessionBus(env={"PATH": "/usr/bin:/bin"}, log_path=folder / "bus.log", config_file=config)
    try:
        yield bus.wait_ready(time.monotonic() + 5.0)
    finally:
        bus.process.terminate()
        bus.process.wait(timeout=5.0)
