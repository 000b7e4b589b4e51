"""A socket whose send waits instead of failing when the other side has not read what was sent yet.

dbus-fast's writer sends on a non-blocking socket and takes every error as a lost connection. When an app
reads slowly (LibreOffice on a busy machine, with a batch of calls in flight) the kernel's buffer fills,
``send`` raises BlockingIOError, and the whole connection was closed mid-read. Here a send that would block
sends nothing: the writer then waits until the socket is writable, as it already does after a partial send.
"""

from __future__ import annotations

import socket
from typing import Any


class PatientSocket:
    """Wraps the socket dbus-fast's writer sends on; everything but sending is the socket's own."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def send(self, data: Any) -> int:
        try:
            return self._sock.send(data)
        except BlockingIOError:
            return 0

    def sendmsg(self, buffers: Any, ancdata: Any = ()) -> int:
        try:
            return self._sock.sendmsg(buffers, ancdata)
        except BlockingIOError:
            return 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def make_writer_patient(bus: Any) -> None:
    """Give ``bus``'s message writer (dbus-fast's ``_MessageWriter``) a PatientSocket to send on."""
    writer = getattr(bus, "_writer", None)
    if writer is not None and not isinstance(writer.sock, PatientSocket):
        writer.sock = PatientSocket(writer.sock)
