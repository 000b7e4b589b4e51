"""A blocking line to one app's private D-Bus socket, used from the caller's own thread.

A call through the backend's asyncio loop costs two thread switches (the caller hands its coroutine to the
loop thread, then waits for the answer); on a busy two-core machine each switch waits for the scheduler, and
a known-element fill spent more time there than in the app (pyatspi, synchronous, pays neither). A fill's
few calls go out here instead, from the caller's thread: written, then read back on this one socket, so
the read-back is answered after the write (an app answers one connection's calls in order). Events stay on
the loop's bus connection; this socket carries only the calls sent on it and their replies.

dbus-fast does the protocol: its authenticator (AuthExternal), the call templates it marshals (wire.py) and
its compiled Unmarshaller, fed what this line reads from the socket. Every batch has a deadline.

The socket stays non-blocking and the waits are this line's own polls: a socket with a timeout polls before
each send, and setting the timeout per batch was one more call; and the socket is read only once the poll
says it holds something (a read that found nothing cost ~30 µs when the caches were cold: one came before a
fill's first answer, and another between its two answers whenever they arrived apart). Together ~40 µs of a
1.3 ms known-element fill on a two-core machine.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Sequence
from typing import Any

from dbus_fast import MessageType
from dbus_fast._private.address import parse_address
from dbus_fast._private.unmarshaller import Unmarshaller
from dbus_fast.auth import AuthExternal

from deskhand.backends.atspi.bus import CALL_TIMEOUT_S, CallSpec, reply_outcome
from deskhand.backends.atspi.wire import CallHeader, CallTemplate, body_of
from deskhand.errors import BackendError, NodeGone

CONNECT_TIMEOUT_S = 1.0
_KEPT_BODIES = 64
_RECEIVE_BYTES = 65536
_KEPT_HEADERS = 256  # calls to one element: a fill's write and read-back, a few a field
_REPLIES = (MessageType.METHOD_RETURN, MessageType.ERROR)


class DirectLine:
    """One app's private socket, blocking; ``call_many`` from any thread (one batch at a time)."""

    def __init__(self, address: str, destination: str) -> None:
        self.destination = destination
        self._sock = _connect(address)
        self._sock.setblocking(False)
        self._received = _Received()
        self._reader = Unmarshaller(stream=self._received, negotiate_unix_fd=False)  # type: ignore[arg-type]
        self._poll = select.poll()
        self._poll.register(self._sock, select.POLLIN)
        self._poll_out = select.poll()
        self._poll_out.register(self._sock, select.POLLOUT)
        self._serial = 0
        self._lock = threading.Lock()
        self._templates: dict[tuple[str, str, str], CallTemplate] = {}
        self._headers: dict[tuple[str, str, str, str], tuple[CallTemplate, CallHeader]] = {}
        self._bodies: dict[tuple[str, tuple[Any, ...]], bytes] = {}
        self.open = True

    def call_many(
        self, calls: Sequence[CallSpec], *, timeout: float = CALL_TIMEOUT_S
    ) -> list[list[Any] | BaseException]:
        """The calls sent at once, each answer's body (or its error) in order. A line that fails or times
        out (no answer for ``timeout``) is closed: its calls fail (NodeGone, BackendError) and the caller opens
        another next time."""
        with self._lock:
            if not self.open:
                return [NodeGone(f"The connection to {self.destination} closed.") for _ in calls]
            waiting: dict[int, int] = {}
            chunks = []
            for index, (path, interface, member, signature, body) in enumerate(calls):
                self._serial += 1
                waiting[self._serial] = index
                template, header = self._header(path, interface, member, signature)
                chunks.append(template.encode_to(self._serial, header, self._body(signature, body)))
            results: list[list[Any] | BaseException | None] = [None] * len(calls)
            try:
                deadline = time.monotonic() + timeout
                self._send(b"".join(chunks), deadline)
                # The unmarshaller reads only what this line received (_Received) and keeps a part message
                # until the rest arrives; the wait for more is the poll's, which has the deadline.
                while waiting:
                    message = self._reader.unmarshall()
                    if message is None:
                        self._wait_readable(deadline)
                        self._receive()
                        continue
                    if message.message_type not in _REPLIES:
                        continue  # a signal: events are read on the bus connection
                    index = waiting.pop(message.reply_serial, -1)
                    if index >= 0:
                        path, _, member = calls[index][:3]
                        results[index] = reply_outcome(self.destination, path, member, message, None)
                        # The deadline is for an app that stopped answering, not for a long batch: a busy
                        # machine's app answering 4,000 calls steadily must not lose the last ones (as the
                        # bus connection's call_many, bus.py).
                        deadline = time.monotonic() + timeout
            except TimeoutError:
                self.close()
                late = BackendError(
                    f"{self.destination} did not answer within {timeout:.1f} s.",
                    hint="The app may be busy or frozen by a modal dialog.",
                )
                return [late if result is None else result for result in results]
            except (EOFError, OSError) as error:
                self.close()
                gone = NodeGone(f"The connection to {self.destination} closed: {error}.")
                return [gone if result is None else result for result in results]
            return [NodeGone(f"{self.destination} sent no answer.") if r is None else r for r in results]

    def _send(self, data: bytes, deadline: float) -> None:
        """All of ``data``; a full socket buffer (a batch of thousands of calls) is waited on until ``deadline``."""
        view = memoryview(data)
        while view:
            try:
                view = view[self._sock.send(view) :]
            except BlockingIOError:
                pass
            if view:
                self._wait(self._poll_out, deadline)

    def _wait_readable(self, deadline: float) -> None:
        self._wait(self._poll, deadline)

    def _receive(self) -> None:
        """What the readable socket holds, for the unmarshaller; a socket readable and empty was closed."""
        try:
            data = self._sock.recv(_RECEIVE_BYTES)
        except BlockingIOError:
            return  # nothing after all: the poll waits again
        if not data:
            raise EOFError("the app closed it")
        self._received.feed(data)

    @staticmethod
    def _wait(poll: select.poll, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not poll.poll(remaining * 1000):
            raise TimeoutError

    def _header(self, path: str, interface: str, member: str, signature: str) -> tuple[CallTemplate, CallHeader]:
        """The call's header, made once per member and element (its body and serial go in per call)."""
        key = (path, interface, member, signature)
        found = self._headers.get(key)
        if found is None:
            template = self._templates.get(key[1:])
            if template is None:
                template = self._templates[key[1:]] = CallTemplate(self.destination, interface, member, signature, [])
            if len(self._headers) >= _KEPT_HEADERS:
                self._headers.clear()
            found = self._headers[key] = (template, template.to_path(path))
        return found

    def _body(self, signature: str, body: list[Any]) -> bytes:
        """The body's bytes: numbers only (GetText's range) are kept, text (what a fill writes) is not."""
        if not signature or "s" in signature or not all(type(part) is int for part in body):
            return body_of(signature, body)
        key = (signature, tuple(body))
        found = self._bodies.get(key)
        if found is None:
            if len(self._bodies) > _KEPT_BODIES:
                self._bodies.clear()
            found = self._bodies[key] = body_of(signature, body)
        return found

    def close(self) -> None:
        self.open = False
        self._sock.close()


class _Received:
    """The bytes this line received and the unmarshaller has not taken, as its stream: ``read`` hands over
    all of them (as the unmarshaller's own greedy socket read does), or None when there are none, so it never
    tries the socket itself. A read that found nothing cost ~30 µs when the caches were cold, and one came
    between a fill's two answers whenever they arrived apart (most fills)."""

    __slots__ = ("_data",)

    def __init__(self) -> None:
        self._data: bytes | None = None

    def feed(self, data: bytes) -> None:
        self._data = data if self._data is None else self._data + data

    def read(self, wanted: int) -> bytes | None:
        data, self._data = self._data, None
        return data


class DirectLines:
    """A DirectLine per app, opened on first use from the caller's thread at the private address the loop
    learned for it (``know``); None for an app that offers no such socket or refuses a second link."""

    def __init__(self) -> None:
        self._addresses: dict[str, str] = {}
        self._lines: dict[str, DirectLine] = {}
        self._refused: set[str] = set()
        self._lock = threading.Lock()

    def know(self, bus_name: str, address: str) -> None:
        self._addresses[bus_name] = address

    def get(self, bus_name: str) -> DirectLine | None:
        line = self._lines.get(bus_name)  # the open line without the lock (a dict read is atomic)
        if line is not None and line.open:
            return line
        with self._lock:
            line = self._lines.get(bus_name)
            if line is not None and line.open:
                return line
            address = self._addresses.get(bus_name, "")
            if not address or address in self._refused:
                return None
            try:
                line = self._lines[bus_name] = DirectLine(address, bus_name)
            except Exception:  # any failure only means: the loop's channel is used
                self._refused.add(address)
                return None
            return line

    def close(self) -> None:
        with self._lock:
            for line in self._lines.values():
                line.close()
            self._lines.clear()


def _connect(address: str) -> socket.socket:
    """A connected, authenticated, blocking socket to a unix ``address`` (no bus daemon, so no Hello)."""
    transport, options = parse_address(address)[0]
    if transport != "unix":
        raise ValueError(f"not a unix socket address: {address}")
    target: str | bytes = options["path"] if "path" in options else b"\0" + options["abstract"].encode()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT_S)
        sock.connect(target)
        auth = AuthExternal()
        sock.sendall(b"\0" + auth._authentication_start(negotiate_unix_fd=False).encode() + b"\r\n")
        answer = b""
        while not answer.endswith(b"\r\n"):
            more = sock.recv(256)
            if not more:
                raise EOFError("closed during authentication")
            answer += more
        sock.sendall(auth._receive_line(answer.decode().strip()).encode() + b"\r\n")
    except BaseException:
        sock.close()
        raise
    return sock
