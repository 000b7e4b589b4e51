"""D-Bus plumbing for AT-SPI: a private asyncio loop in a thread, calls with deadlines, peer-to-peer links.

deskhand's core is synchronous (one desktop has one pointer and one focus), but dbus-fast is asyncio and its
speed comes from pipelining many calls at once. So the backend owns one event loop in a daemon thread and
runs whole batches of calls (a snapshot is thousands of calls) as one coroutine submitted from the caller's
thread. Every call has a deadline: a frozen app (a GTK3 modal opened from inside an AT-SPI action) must
never hang deskhand. D-Bus errors are translated into deskhand errors here, at the seam.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any, TypeVar

from dbus_fast import Message, MessageType
from dbus_fast.aio import MessageBus
from dbus_fast.errors import DBusError

from deskhand.backends.atspi.patient_socket import make_writer_patient
from deskhand.backends.atspi.wire import CallTemplate, RawMessages
from deskhand.errors import BackendError, BackendUnavailable, NodeGone

T = TypeVar("T")

CALL_TIMEOUT_S = 3.0
# dbus-fast raised BlockingIOError with thousands of calls in flight; 64 keeps the pipe full and safe.
MAX_IN_FLIGHT = 64

_GONE_ERRORS = frozenset(
    {
        "org.freedesktop.DBus.Error.UnknownObject",
        "org.freedesktop.DBus.Error.UnknownMethod",
        "org.freedesktop.DBus.Error.ServiceUnknown",
        "org.freedesktop.DBus.Error.NoReply",
        "org.freedesktop.DBus.Error.Disconnected",
        "org.freedesktop.DBus.Error.NameHasNoOwner",
        "org.freedesktop.DBus.Error.UnknownInterface",
    }
)


class LoopThread:
    """An asyncio event loop running in a daemon thread; callers block on coroutines they submit."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._later: deque[Callable[[], None]] = deque()
        self._thread = threading.Thread(target=self._run, name="deskhand-dbus", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        if threading.current_thread() is self._thread:
            raise RuntimeError("LoopThread.run called from its own loop (would deadlock)")
        future = asyncio.run_coroutine_threadsafe(self._after_later(coro), self.loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise BackendError(
                f"An accessibility request took longer than {timeout:.0f} s.",
                hint="The app may be frozen (a modal dialog opened by an action?). Try `deskhand apps`.",
            ) from None

    def call_soon(self, callback: Callable[[], None]) -> None:
        self.loop.call_soon_threadsafe(callback)

    def later(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the loop thread before the next coroutine submitted (or whenever the owner
        calls ``run_later`` there), without waking the loop now: waking it made the caller wait for the
        thread switch it set out to avoid (write_back.py)."""
        self._later.append(callback)

    def run_later(self) -> None:
        """On the loop thread: the callbacks ``later`` queued, in order."""
        while self._later:
            self._later.popleft()()

    async def _after_later(self, coro: Coroutine[Any, Any, T]) -> T:
        self.run_later()
        return await coro

    def close(self) -> None:
        if not self.loop.is_running():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=2.0)
        with contextlib.suppress(Exception):
            self.loop.close()


class QuietBus(MessageBus):
    """dbus-fast's MessageBus, minus one false alarm: each send's own future is dropped by ``_call``, so a
    send that meets a closed socket logged "Future exception was never retrieved". The loss is reported
    where it matters, to every waiting reply callback (dbus-fast's ``_finalize``), so that future's
    exception is taken here."""

    def send(self, msg: Message) -> asyncio.Future[None]:  # type: ignore[override]  # aio returns the future
        future = super().send(msg)
        future.add_done_callback(_taken)
        return future


def _taken(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


class PeerBus(QuietBus):
    """A direct socket to one app (``GetApplicationBusAddress``): no bus daemon, so no ``Hello``.

    dbus-fast always greets a bus daemon on connect; an app's private server does not answer that, so this
    connects and authenticates the same way and skips the greeting. Calls over it are 1.6–2.5× faster
    than through the a11y bus daemon.
    """

    async def connect_peer(self) -> PeerBus:
        from dbus_fast.aio.message_reader import build_message_reader

        transport, options = self._bus_address[0]
        sock, stream, address = self._create_socket_for_transport(transport, options)
        sock.setblocking(False)
        try:
            await self._loop.sock_connect(sock, address)
            self._sock, self._stream, self._fd = sock, stream, sock.fileno()
            self._writer = _writer_for(self)
            await self._authenticate()
        except BaseException:
            stream.close()
            sock.close()
            self._sock = self._stream = self._fd = self._writer = None
            raise
        self._loop.add_reader(
            self._fd,
            build_message_reader(self._sock, self._process_message, self._finalize, self._negotiate_unix_fd),
        )
        self.unique_name = ":peer"
        make_writer_patient(self)
        return self


def _writer_for(bus: MessageBus) -> Any:
    from dbus_fast.aio.message_bus import _MessageWriter

    return _MessageWriter(bus)


class Channel:
    """Where calls to one app go: its peer-to-peer socket when it offers one, else the a11y bus."""

    def __init__(self, bus: MessageBus, destination: str) -> None:
        self.bus = bus
        self.destination = destination

    async def call(
        self,
        path: str,
        interface: str,
        member: str,
        signature: str = "",
        body: list[Any] | None = None,
        timeout: float = CALL_TIMEOUT_S,
    ) -> list[Any]:
        if not self.bus.connected:
            # Never send on a closed connection: dbus-fast would write to a closed socket ("Bad file
            # descriptor") and wait for a reply no one will call back.
            raise NodeGone(f"The connection to {self.destination} closed.")
        message = Message(
            destination=self.destination,
            path=path,
            interface=interface,
            member=member,
            signature=signature,
            body=body or [],
        )
        try:
            reply = await asyncio.wait_for(self.bus.call(message), timeout)
        except TimeoutError:
            raise BackendError(
                f"{self.destination} did not answer {member} within {timeout:.1f} s.",
                hint="The app may be busy or frozen by a modal dialog.",
            ) from None
        except (EOFError, ConnectionError, OSError) as error:
            raise NodeGone(f"The connection to {self.destination} closed: {error}.") from None
        if reply is None:
            raise NodeGone(f"{self.destination} closed before answering {member}.")
        if reply.message_type is MessageType.ERROR:
            name = reply.error_name or ""
            text = reply.body[0] if reply.body else name
            if name in _GONE_ERRORS:
                raise NodeGone(f"{path} on {self.destination} is gone ({text}).")
            raise DBusCallError(name, str(text))
        return list(reply.body)

    async def call_many(
        self, calls: Sequence[CallSpec], *, timeout: float = CALL_TIMEOUT_S
    ) -> list[list[Any] | BaseException]:
        """Many calls pipelined, each answer's body (or its error) in order. ``WINDOW`` stay in flight;
        calls are marshalled from templates (wire.py) and the calls freed by one burst of replies go out
        in one write. Replies are taken in dbus-fast's reply callback, without a task, future or
        wait_for per call (those cost ~3x the call itself on a 4,800-node page). A batch that gets no
        reply for ``timeout`` ends: the calls still open fail with BackendError (a frozen app must not
        hang the caller)."""
        results: list[list[Any] | BaseException | None] = [None] * len(calls)
        if not calls:
            return []
        loop = asyncio.get_running_loop()
        done = loop.create_future()
        bus = self.bus
        templates: dict[tuple[Any, ...], CallTemplate] = {}
        # The next call to send, the calls in flight, whether a send is already scheduled.
        state = [0, 0, 0]
        last_reply = [loop.time()]

        def template(interface: str, member: str, signature: str, body: list[Any]) -> CallTemplate:
            try:
                key: tuple[Any, ...] = (interface, member, signature, *body)
                found = templates.get(key)
            except TypeError:  # a body that is no tuple of plain values: its own template
                return CallTemplate(self.destination, interface, member, signature, body)
            if found is None:
                found = templates[key] = CallTemplate(self.destination, interface, member, signature, body)
            return found

        def send_more() -> None:
            # Runs after the reply callbacks, never inside one: when the connection closes, dbus-fast
            # calls every waiting callback while iterating over them, and registering a call from
            # inside one changed that dict mid-iteration (RuntimeError inside dbus-fast).
            state[2] = 0
            chunks: list[bytes] = []
            handlers = bus._method_return_handlers
            while state[1] < WINDOW and state[0] < len(calls):
                index = state[0]
                state[0] = index + 1
                if not bus.connected:
                    results[index] = NodeGone(f"The connection to {self.destination} closed.")
                    continue
                path, interface, member, signature, body = calls[index]
                serial = bus.next_serial()
                handlers[serial] = partial(on_reply, index)
                chunks.append(template(interface, member, signature, body).encode(serial, path))
                state[1] += 1
            writer = bus._writer
            if chunks and writer is not None:
                # A failed send makes dbus-fast close the connection and fail every waiting call (NodeGone).
                writer.schedule_write(RawMessages(b"".join(chunks)))  # type: ignore[arg-type]
            if state[1] == 0 and state[0] >= len(calls) and not done.done():
                done.set_result(None)

        def on_reply(index: int, reply: Message | None, error: Exception | None) -> None:
            if done.done():
                return
            state[1] -= 1
            last_reply[0] = loop.time()
            results[index] = reply_outcome(self.destination, calls[index][0], calls[index][2], reply, error)
            if not state[2]:
                state[2] = 1
                loop.call_soon(send_more)

        def watchdog() -> None:
            if done.done():
                return
            if loop.time() - last_reply[0] >= timeout:
                done.set_result(None)
                return
            loop.call_later(timeout / 4, watchdog)

        send_more()
        loop.call_later(timeout / 4, watchdog)
        await done
        late = BackendError(
            f"{self.destination} did not answer within {timeout:.1f} s.",
            hint="The app may be busy or frozen by a modal dialog.",
        )
        return [late if result is None else result for result in results]


def reply_outcome(
    destination: str, path: str, member: str, reply: Message | None, error: Exception | None
) -> list[Any] | BaseException:
    """A call's answer as its body, or the deskhand error it means (NodeGone for a vanished element)."""
    if error is not None:
        if isinstance(error, EOFError | ConnectionError | OSError):
            return NodeGone(f"The connection to {destination} closed: {error}.")
        return error
    if reply is None:
        return NodeGone(f"{destination} closed before answering {member}.")
    if reply.message_type is MessageType.ERROR:
        name = reply.error_name or ""
        text = reply.body[0] if reply.body else name
        if name in _GONE_ERRORS:
            return NodeGone(f"{path} on {destination} is gone ({text}).")
        return DBusCallError(name, str(text))
    return list(reply.body)


# (path, interface, member, signature, body) of one call in a ``Channel.call_many`` batch.
CallSpec = tuple[str, str, str, str, list[Any]]
# Calls in flight at once in call_many: enough to keep the app busy while replies are read.
WINDOW = 128


class DBusCallError(BackendError):
    """A D-Bus error other than 'gone'; carries the D-Bus error name for strategies that expect it."""

    def __init__(self, error_name: str, text: str) -> None:
        super().__init__(f"The app refused the request: {text} ({error_name}).")
        self.error_name = error_name


async def connect_bus(address: str) -> MessageBus:
    try:
        bus = await asyncio.wait_for(QuietBus(bus_address=address).connect(), CALL_TIMEOUT_S)
    except (OSError, TimeoutError, DBusError, ValueError) as error:
        raise BackendUnavailable(
            f"Cannot connect to the accessibility bus at {address}: {error}.",
            hint='Start a desktop with `eval "$(deskhand desktop up)"` or run `deskhand doctor`.',
        ) from None
    make_writer_patient(bus)
    return bus


async def connect_peer(address: str) -> PeerBus | None:
    """The app's private socket, or None when it offers none or refuses us (then the bus is used)."""
    if not address:
        return None
    try:
        peer = await asyncio.wait_for(PeerBus(bus_address=address).connect_peer(), 1.0)
    except Exception:  # any failure here only means: use the bus instead
        return None
    # An app that quits closes its socket; that is expected, not an error to report.
    peer._disconnect_future.add_done_callback(lambda f: f.cancelled() or f.exception())
    return peer


async def bounded_gather(calls: Sequence[Awaitable[T]], limit: int = MAX_IN_FLIGHT) -> list[T | BaseException]:
    """Run awaitables concurrently with at most ``limit`` in flight; exceptions are returned, not raised."""
    semaphore = asyncio.Semaphore(limit)

    async def guarded(awaitable: Awaitable[T]) -> T:
        async with semaphore:
            return await awaitable

    return list(await asyncio.gather(*(guarded(c) for c in calls), return_exceptions=True))
