"""dbus-fast's writer over a socket whose buffer is full: with PatientSocket it waits and then delivers
everything; without, it closes the connection (the failure LibreOffice reads met under load)."""

from __future__ import annotations

import asyncio
import socket
from types import SimpleNamespace

from dbus_fast.aio.message_bus import _MessageWriter

from deskhand.backends.atspi.patient_socket import PatientSocket, make_writer_patient

CHUNK = bytearray(b"x" * 65536)
CHUNKS = 40  # far more than the kernel buffers of a socket pair hold


def _bus(sock: socket.socket, loop: asyncio.AbstractEventLoop) -> SimpleNamespace:
    closed: list[Exception] = []
    return SimpleNamespace(
        _negotiate_unix_fd=False,
        _sock=sock,
        _loop=loop,
        _fd=sock.fileno(),
        _user_disconnect=False,
        _finalize=closed.append,
        unique_name=":test",
        closed=closed,
    )


async def _send_all(patient: bool) -> tuple[int, list[Exception]]:
    loop = asyncio.get_running_loop()
    ours, theirs = socket.socketpair()
    ours.setblocking(False)
    theirs.setblocking(False)
    bus = _bus(ours, loop)
    bus._writer = _MessageWriter(bus)  # type: ignore[arg-type]
    if patient:
        make_writer_patient(bus)
    for _ in range(CHUNKS):
        bus._writer.messages.append((CHUNK, None, None))
    bus._writer.schedule_write()
    received = 0
    for _ in range(2000):  # read slowly, as a busy app does, until everything arrived or the bus closed
        await asyncio.sleep(0.001)
        try:
            received += len(theirs.recv(1 << 20))
        except BlockingIOError:
            pass
        if received >= CHUNKS * len(CHUNK) or bus.closed:
            break
    ours.close()
    theirs.close()
    return received, bus.closed


def test_a_full_buffer_makes_the_writer_wait_not_close() -> None:
    received, closed = asyncio.run(_send_all(patient=True))
    assert closed == []
    assert received == CHUNKS * len(CHUNK)


def test_without_it_dbus_fast_closes_the_connection() -> None:
    """The control: proves the first test meets a full buffer at all."""
    _, closed = asyncio.run(_send_all(patient=False))
    assert closed and isinstance(closed[0], BlockingIOError)


def test_everything_but_sending_is_the_sockets_own() -> None:
    a, b = socket.socketpair()
    wrapped = PatientSocket(a)
    assert wrapped.fileno() == a.fileno()
    a.close()
    b.close()
