"""The reaper: ends a desktop's processes when its owner dies, even by SIGKILL.

Started by :class:`~deskhand.sandbox.desktop.VirtualDesktop` as
``python -m deskhand.sandbox.reaper --id ID --dir TEMP`` with its stdin the read end of a pipe whose only
write end the owner holds. When the owner exits, however it exits, the kernel closes that end and the read
returns EOF: then every process marked with the desktop's id is ended and its temp folder removed.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys

from deskhand.sandbox.processes import end_processes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deskhand.sandbox.reaper")
    parser.add_argument("--id", required=True, help="the desktop's DESKHAND_DESKTOP_ID")
    parser.add_argument("--dir", required=True, help="the desktop's temp folder, removed at the end")
    options = parser.parse_args(argv)
    # A Ctrl-C or hang-up meant for the owner's terminal must not end the reaper before its work.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    while sys.stdin.buffer.read(4096):
        pass  # the owner never writes; anything read is ignored until EOF
    end_processes(options.id, grace=1.0)
    shutil.rmtree(options.dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
