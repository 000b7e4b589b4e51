"""A small synchronous D-Bus client for the handful of calls the sandbox makes.

dbus-fast is asyncio-only; the sandbox API is synchronous. Each :class:`BusClient` runs its own event loop
in a private worker thread, so it works the same whether or not the caller already runs an event loop.
Foreign D-Bus errors become :class:`~deskhand.errors.SandboxError` here.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from types import TracebackType
from typing import Any, TypeVar

from dbus_fast import Message, MessageFlag, MessageType, Variant
from dbus_fast.aio import MessageBus

from deskhand.errors import SandboxError

_T = TypeVar("_T")

DBUS_NAME = "org.freedesktop.DBus"
DBUS_PATH = "/org/freedesktop/DBus"
PROPERTIES = "org.freedesktop.DBus.Properties"

A11Y_BUS_NAME = "org.a11y.Bus"
A11Y_BUS_PATH = "/org/a11y/bus"
A11Y_STATUS = "org.a11y.Status"

REGISTRY_NAME = "org.a11y.atspi.Registry"
ROOT_PATH = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"


class BusClient:
    """One connection to one bus; call :meth:`close` (or use ``with``) when done."""

    def __init__(self, address: str, *, timeout: float = 5.0) -> None:
        self.address = address
        self.timeout = timeout
        self._loop = asyncio.new_event_loop()
        self._loop.set_exception_handler(_quiet_when_bus_went_away)
        self._thread = threading.Thread(target=self._loop.run_forever, name="deskhand-dbus", daemon=True)
        self._thread.start()
        try:
            self._bus = self._run(_connect(address), timeout)
        except Exception as error:
            self._stop_loop()
            raise SandboxError(
                f"Could not connect to the D-Bus bus at {address!r}: {_describe(error)}.",
                hint="Check that the bus is running (deskhand doctor) and the address is current.",
            ) from error

    def __enter__(self) -> BusClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if not self._loop.is_running():
            return
        bus = self._bus

        async def disconnect() -> None:
            bus.disconnect()

        try:
            self._run(disconnect(), 1.0)
        except Exception:
            pass  # the bus may already be gone (its daemon was stopped first)
        self._stop_loop()

    def call(
        self,
        destination: str,
        path: str,
        interface: str,
        member: str,
        signature: str = "",
        body: Sequence[Any] = (),
        *,
        auto_start: bool = True,
        timeout: float | None = None,
    ) -> list[Any]:
        """Call a method and return the reply's body; a D-Bus error reply raises SandboxError."""
        message = Message(
            destination=destination,
            path=path,
            interface=interface,
            member=member,
            signature=signature,
            body=list(body),
            flags=MessageFlag.NONE if auto_start else MessageFlag.NO_AUTOSTART,
        )
        what = f"{interface}.{member} on {destination}{path}"
        try:
            reply = self._run(self._bus.call(message), timeout or self.timeout)
        except TimeoutError as error:
            raise SandboxError(f"{what} did not answer within {timeout or self.timeout:.1f} s.") from error
        except Exception as error:
            raise SandboxError(f"{what} failed: {_describe(error)}.") from error
        if reply is None:
            raise SandboxError(f"{what} got no reply.")
        if reply.message_type == MessageType.ERROR:
            detail = reply.body[0] if reply.body else ""
            raise SandboxError(f"{what} failed: {reply.error_name}: {detail}".rstrip(": ") + ".")
        return list(reply.body)

    def get_property(self, destination: str, path: str, interface: str, name: str) -> Any:
        (variant,) = self.call(destination, path, PROPERTIES, "Get", "ss", [interface, name])
        return variant.value if isinstance(variant, Variant) else variant

    def set_property(self, destination: str, path: str, interface: str, name: str, signature: str, value: Any) -> None:
        self.call(destination, path, PROPERTIES, "Set", "ssv", [interface, name, Variant(signature, value)])

    def name_has_owner(self, name: str) -> bool:
        return bool(self.call(DBUS_NAME, DBUS_PATH, DBUS_NAME, "NameHasOwner", "s", [name])[0])

    def connection_pid(self, bus_name: str) -> int:
        return int(self.call(DBUS_NAME, DBUS_PATH, DBUS_NAME, "GetConnectionUnixProcessID", "s", [bus_name])[0])

    def wait_for_name(self, name: str, timeout: float, *, give_up: Callable[[], str | None]) -> None:
        """Wait for ``name`` to get an owner, woken by NameOwnerChanged rather than by polling the bus.

        ``give_up`` is asked a few times a second (e.g. "did the owner-to-be exit?"); a text it returns ends
        the wait with a SandboxError carrying that text.
        """
        self._run(self._wait_for_name(name, timeout, give_up), timeout + 1.0)

    async def _wait_for_name(self, name: str, timeout: float, give_up: Callable[[], str | None]) -> None:
        owned = self._loop.create_future()

        def on_message(message: Message) -> None:
            named = message.member == "NameOwnerChanged" and message.body[0] == name
            if named and message.body[2] and not owned.done():
                owned.set_result(None)

        rule = f"type='signal',sender='{DBUS_NAME}',interface='{DBUS_NAME}',member='NameOwnerChanged',arg0='{name}'"
        self._bus.add_message_handler(on_message)
        try:
            await self._bus.call(_dbus_message("AddMatch", "s", [rule]))
            has_owner = await self._bus.call(_dbus_message("NameHasOwner", "s", [name]))
            if has_owner is not None and has_owner.body and has_owner.body[0]:
                return
            deadline = time.monotonic() + timeout
            while not owned.done():
                reason = give_up()
                if reason:
                    raise SandboxError(f"Waited for {name} on the session bus, but {reason}.")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SandboxError(f"Nothing took the name {name} on the session bus within {timeout:.1f} s.")
                await asyncio.wait({owned}, timeout=min(left, 0.05))
        finally:
            self._bus.remove_message_handler(on_message)

    def _run(self, coroutine: Coroutine[Any, Any, _T], timeout: float) -> _T:
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(coroutine, timeout), self._loop)
        return future.result()

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=2.0)
        if not self._thread.is_alive():
            self._loop.close()


def _quiet_when_bus_went_away(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # When a desktop is torn down its buses vanish under open connections: expected, not worth a traceback.
    if isinstance(context.get("exception"), EOFError | ConnectionError | BrokenPipeError):
        return
    loop.default_exception_handler(context)


async def _connect(address: str) -> MessageBus:
    # A MessageBus binds to the running loop when created, so it is created on the worker's loop.
    return await MessageBus(bus_address=address).connect()


def _dbus_message(member: str, signature: str, body: list[Any]) -> Message:
    return Message(
        destination=DBUS_NAME,
        path=DBUS_PATH,
        interface=DBUS_NAME,
        member=member,
        signature=signature,
        body=body,
    )


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


# --- the AT-SPI calls, on top of BusClient -------------------------------------------------------------


def get_a11y_address(session: BusClient, *, auto_start: bool = True) -> str:
    """The AT-SPI bus address, as ``org.a11y.Bus.GetAddress`` on the session bus tells it."""
    (address,) = session.call(A11Y_BUS_NAME, A11Y_BUS_PATH, A11Y_BUS_NAME, "GetAddress", auto_start=auto_start)
    return str(address)


def set_a11y_enabled(session: BusClient, enabled: bool = True) -> None:
    """Set ``org.a11y.Status.IsEnabled``: Qt (and others) only register on the a11y bus once it is true."""
    session.set_property(A11Y_BUS_NAME, A11Y_BUS_PATH, A11Y_STATUS, "IsEnabled", "b", enabled)


def is_a11y_enabled(session: BusClient) -> bool:
    return bool(session.get_property(A11Y_BUS_NAME, A11Y_BUS_PATH, A11Y_STATUS, "IsEnabled"))


def registry_children(a11y: BusClient, *, timeout: float | None = None) -> list[tuple[str, str]]:
    """The applications registered on the a11y bus, as (bus name, object path) pairs."""
    (children,) = a11y.call(REGISTRY_NAME, ROOT_PATH, ACCESSIBLE, "GetChildren", timeout=timeout)
    return [(str(bus_name), str(path)) for bus_name, path in children]


def accessible_name(a11y: BusClient, bus_name: str, path: str) -> str:
    return str(a11y.get_property(bus_name, path, ACCESSIBLE, "Name"))


def accessible_children(a11y: BusClient, bus_name: str, path: str) -> list[tuple[str, str]]:
    (children,) = a11y.call(bus_name, path, ACCESSIBLE, "GetChildren")
    return [(str(child_bus), str(child_path)) for child_bus, child_path in children]


def child_count(a11y: BusClient, bus_name: str, path: str) -> int:
    return int(a11y.get_property(bus_name, path, ACCESSIBLE, "ChildCount"))
