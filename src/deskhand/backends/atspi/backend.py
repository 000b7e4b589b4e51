"""The AT-SPI backend: Linux accessibility over D-Bus, with XTest where AT-SPI falls short."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from dbus_fast import Message, MessageType
from dbus_fast.aio import MessageBus

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.actions import ActionStrategies
from deskhand.backends.atspi.applist import AppList, describe_window
from deskhand.backends.atspi.bus import Channel, LoopThread, bounded_gather, connect_bus, connect_peer
from deskhand.backends.atspi.direct_line import DirectLine, DirectLines
from deskhand.backends.atspi.element import current_element, reread_element
from deskhand.backends.atspi.event import AtspiEvent
from deskhand.backends.atspi.grab import grab_png
from deskhand.backends.atspi.input_choice import open_input
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.backends.atspi.popups import popup_shift
from deskhand.backends.atspi.reader import AppTree, read_app_names
from deskhand.backends.atspi.refs import split_ref
from deskhand.backends.atspi.sway_input import sway_input_possible
from deskhand.backends.atspi.table_seam import TableSeam
from deskhand.backends.base import AppInfo, MouseButton, ScrollDirection, WindowInfo
from deskhand.errors import AppNotFound, BackendError, BackendUnavailable, NodeGone
from deskhand.tree.node import Bounds, Node

_EVENT_CLASSES = ("object:", "window:")


class AtspiBackend(TableSeam):
    """Perception and input for every app on one AT-SPI bus (one desktop)."""

    name = "atspi"

    def __init__(
        self,
        a11y_address: str,
        *,
        display: str | None = None,
        peer_to_peer: bool = True,
        web_elsewhere: Callable[[int], bool] | None = None,
        input_note: str = "",
        wayland_env: Mapping[str, str] | None = None,
    ) -> None:
        """``web_elsewhere(pid)`` says whether a Chromium's web documents are read by another backend:
        then their subtrees are left out of this one's snapshots (the composite splices them in).
        ``input_note`` says why a session without X has no keyboard/pointer input (a Wayland compositor's);
        ``wayland_env`` is that session's environment, whose compositor may give input (sway_input.py)."""
        self.a11y_address = a11y_address
        self.web_elsewhere = web_elsewhere
        self._app_versions: dict[str, int] = {}
        self._pids: dict[str, int] = {}
        self.display = display if display is not None else os.environ.get("DISPLAY", "")
        self.input_note = input_note
        self._sway = wayland_env if wayland_env is not None and sway_input_possible(wayland_env) else None
        # Without X (Wayland) toolkits report extents relative to each window, whatever is asked for.
        self.coordinates = "screen" if self.display else "window"
        self.peer_to_peer = peer_to_peer
        self._loop = LoopThread()
        self._trees: dict[str, AppTree] = {}
        self._channels: dict[str, Channel] = {}
        self._peers: list[MessageBus] = []
        self._direct = DirectLines()
        self._version = 0
        self._changed = threading.Condition()
        self._xinput: Any = None
        self._xselection: Any = None
        self._app_list = AppList()
        self._listeners: list[Callable[[AtspiEvent], None]] = []
        try:
            self._bus: MessageBus = self._loop.run(self._connect())
        except BaseException:
            self._loop.close()
            raise
        self.strategies = ActionStrategies(self)
        if self._sway is not None:
            # sway's virtual devices made now, so apps have bound a pointer and keyboard before the first key.
            with contextlib.suppress(BackendUnavailable):
                self._xinput = open_input(self.display, self._sway, self.input_note)

    # ---- connection and events ----------------------------------------------------------------
    async def _connect(self) -> MessageBus:
        bus = await connect_bus(self.a11y_address)
        bus.add_message_handler(self._on_message)
        for rule in (
            f"type='signal',interface='{c.I_EVENT_OBJECT}'",
            f"type='signal',interface='{c.I_EVENT_WINDOW}'",
        ):
            await bus.call(
                Message(
                    destination="org.freedesktop.DBus",
                    path="/org/freedesktop/DBus",
                    interface="org.freedesktop.DBus",
                    member="AddMatch",
                    signature="s",
                    body=[rule],
                )
            )
        registry = Channel(bus, c.REGISTRY)
        # Apps send events (and fill their bulk cache) only once some client has registered for them.
        for event in _EVENT_CLASSES:
            with contextlib.suppress(BackendError):
                await registry.call(c.REGISTRY_PATH, c.REGISTRY, "RegisterEvent", "sass", [event, [], ""])
        return bus

    def _on_message(self, message: Message) -> bool:
        if message.message_type is not MessageType.SIGNAL or not message.interface:
            return False
        if not message.interface.startswith("org.a11y.atspi.Event."):
            return False
        sender = message.sender or ""
        self._app_versions[sender] = self._app_versions.get(sender, 0) + 1
        member = message.member or ""
        detail = message.body[0] if message.body else ""
        path = message.path or ""
        self._app_list.note(sender, message.interface, member, path, str(detail))
        tree = self._trees.get(sender)
        if tree is not None:
            if member == "ChildrenChanged":
                tree.mark(path, children=True)
            elif member == "TextChanged" and tree.echoes.take(path, message.body):
                pass  # deskhand's own write, read back already (echoes.py)
            elif member in ("StateChanged", "PropertyChange", "TextChanged", "BoundsChanged", "Focus"):
                tree.mark(path)
                if member == "StateChanged" and detail in ("showing", "visible"):
                    tree.mark_subtree_extras(path)
                    if len(message.body) > 1 and not message.body[1]:
                        tree.unadopt(path)
                    elif tree.toolkit.lower() == "qt":  # the toolkit that leaves its popups unlisted
                        tree.note_shown(path)
                elif member == "StateChanged" and detail == "defunct":
                    tree.mark_defunct(path)
                    tree.unadopt(path)
            elif message.interface == c.I_EVENT_WINDOW:
                tree.mark(c.ROOT_PATH, children=True)
                tree.mark(path)
        self._loop.run_later()  # after the marks: a write's echo taken here leaves its keep nothing to wait on
        with self._changed:
            self._version += 1
            self._changed.notify_all()
        if self._listeners:
            value = message.body[1] if len(message.body) > 1 else 0
            # What a text change inserted or deleted, a property's new value (a combo's name: its item shown).
            carries = member in ("TextChanged", "PropertyChange") and len(message.body) > 3
            data = getattr(message.body[3], "value", "") if carries else ""
            number = value if isinstance(value, int) else 0
            event = AtspiEvent(
                f"{sender}|{path}", sender, member, str(detail), number, data if isinstance(data, str) else ""
            )
            for listener in tuple(self._listeners):
                listener(event)
        return False

    def listen(self, listener: Callable[[AtspiEvent], None]) -> Callable[[], None]:
        """Call ``listener`` (on the loop thread; it must only hand the event on) after each event has
        marked the trees; returns the function that stops it. The recorder watches a person this way."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def version(self) -> int:
        return self._version

    def app_version(self, bus_name: str) -> int:
        """A counter of the events one application has sent."""
        return self._app_versions.get(bus_name, 0)

    def wait_for_change(self, timeout: float) -> bool:
        with self._changed:
            start = self._version
            return self._changed.wait_for(lambda: self._version != start, timeout=max(timeout, 0.0))

    def run(self, coro: Any, timeout: float = 30.0) -> Any:
        return self._loop.run(coro, timeout)

    def on_loop(self, callback: Callable[[], None]) -> None:
        """``callback`` on the loop thread once it has handled its next event, or before its next read
        (LoopThread.later); ``wake_loop`` runs it now, when no event is on its way."""
        self._loop.later(callback)

    def wake_loop(self) -> None:
        self._loop.call_soon(self._loop.run_later)

    def direct_line(self, bus_name: str) -> DirectLine | None:
        """The app's private socket for calls from the caller's thread (direct_line.py), if it has one."""
        return self._direct.get(bus_name) if self.peer_to_peer else None

    # ---- applications ---------------------------------------------------------------------------
    def applications(self) -> list[AppInfo]:
        kept = self._app_list.get()
        if kept is not None:
            return kept
        started = self._app_list.now()
        apps = list(self.run(self._applications()))
        self._app_list.keep(apps, started)
        return apps

    async def _applications(self) -> list[AppInfo]:
        registry = Channel(self._bus, c.REGISTRY)
        (children,) = await registry.call(c.ROOT_PATH, c.I_ACCESSIBLE, "GetChildren")
        results = await bounded_gather([self._describe_app(bus_name) for bus_name, _ in children])
        return [r for r in results if isinstance(r, AppInfo)]

    async def _describe_app(self, bus_name: str) -> AppInfo:
        channel = await self._channel(bus_name)
        names = await read_app_names(channel)
        name, toolkit = names.name, names.toolkit
        # Both in flight together, and both awaited whatever happens (an app quitting mid-read left the
        # pid call un-awaited before).
        children, pid_reply = await bounded_gather(
            [
                channel.call(c.ROOT_PATH, c.I_ACCESSIBLE, "GetChildren"),
                Channel(self._bus, "org.freedesktop.DBus").call(
                    "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetConnectionUnixProcessID", "s", [bus_name]
                ),
            ]
        )
        if isinstance(children, BaseException):
            raise children
        (windows,) = children
        infos = await bounded_gather([describe_window(channel, bus_name, path) for _, path in windows])
        pid = int(pid_reply[0]) if isinstance(pid_reply, list) else 0
        return AppInfo(
            ref=f"{bus_name}|{c.ROOT_PATH}",
            name=name,
            pid=pid,
            toolkit=toolkit,
            windows=tuple(w for w in infos if isinstance(w, WindowInfo)),
        )

    async def _channel(self, bus_name: str) -> Channel:
        channel = self._channels.get(bus_name)
        if channel is not None and channel.bus.connected:
            return channel
        # None yet, or its private socket closed (the app quit, or dropped the link): ask again, else use
        # the bus; links that closed are let go.
        self._peers = [peer for peer in self._peers if peer.connected]
        channel = Channel(self._bus, bus_name)
        if self.peer_to_peer:
            try:
                (address,) = await channel.call(c.ROOT_PATH, c.I_APPLICATION, "GetApplicationBusAddress", timeout=1.0)
            except BackendError:
                address = ""
            peer = await connect_peer(str(address))
            self._direct.know(bus_name, str(address) if peer is not None else "")
            if peer is not None:
                self._peers.append(peer)
                channel = Channel(peer, bus_name)
        self._channels[bus_name] = channel
        return channel

    def find_app(self, name: str) -> AppInfo:
        """The app whose name (or a window title) matches ``name``, case-insensitively."""
        apps = self.applications()
        wanted = name.strip().lower()
        for match in (
            lambda a: a.name.lower() == wanted,
            lambda a: any(w.title.lower() == wanted for w in a.windows),
            lambda a: wanted in a.name.lower(),
            lambda a: any(wanted in w.title.lower() for w in a.windows),
        ):
            found = [a for a in apps if match(a)]
            if found:
                return found[0]
        raise AppNotFound(name, [a.name for a in apps])

    # ---- snapshots --------------------------------------------------------------------------------
    def snapshot(self, app_ref: str) -> Node:
        bus_name = app_ref.split("|", 1)[0]
        tree = self._trees.get(bus_name)
        # Nothing marked since the last build: the event-kept tree is current, no trip to the loop needed.
        kept = tree.kept_root() if tree is not None else None
        if kept is not None:
            return kept
        return self.run(self._snapshot(bus_name))  # type: ignore[no-any-return]

    def kept_app(self, ref: str) -> str | None:
        """The app whose event-kept tree holds ``ref`` (see backends.base.EventKept); None if none does."""
        bus_name, path = split_ref(ref)
        tree = self._trees.get(bus_name)
        return f"{bus_name}|{c.ROOT_PATH}" if tree is not None and path in tree.nodes else None

    def kept_version(self, ref: str) -> tuple[TreeState, int] | None:
        """base.KeptVersions: the tree holding ``ref`` and its count of changes, while it is current."""
        bus_name, path = split_ref(ref)
        tree = self._trees.get(bus_name)
        if tree is None or path not in tree.nodes or tree.kept_root() is None:
            return None
        return tree, tree.changes

    async def _snapshot(self, bus_name: str) -> Node:
        tree = self._trees.get(bus_name)
        if tree is None:
            channel = await self._channel(bus_name)
            names = await read_app_names(channel)
            is_chromium = names.toolkit.lower() == "chromium"
            web_elsewhere = (
                self.web_elsewhere is not None and is_chromium and self.web_elsewhere(await self._pid_of(bus_name))
            )
            prune = _is_web_document if web_elsewhere else None
            tree = AppTree(
                bus_name,
                channel,
                names.name,
                names.toolkit,
                prune=prune,
                trust_empty=names.gtk3,
                # VCL leaves accessibles it has freed in the bridge's cache, and GetItems takes a reference on
                # each: LibreOffice aborted in atk-bridge's GetItems (g_object_ref in g_hash_table_foreach) when
                # a dialog opened (1 in ~10 Ctrl+1s under load). Its tree is read by walking instead.
                use_cache=not names.vcl,
                showing_only=names.gtk3,
                # GTK 4's entries answer GetText(0, -1) with "" (measured on 4.8): ask up to the largest end.
                text_end=c.TEXT_END_MAX if names.gtk4 else -1,
            )
            if names.gtk4 and self.display:
                tree.popup_surface = partial(popup_shift, self)
            self._trees[bus_name] = tree
        try:
            await tree.sync()
        except NodeGone:
            self._trees.pop(bus_name, None)
            raise NodeGone(f"The application {tree.app_name!r} closed.", hint="Start it again.") from None
        return tree.build()

    async def _pid_of(self, bus_name: str) -> int:
        call = Channel(self._bus, "org.freedesktop.DBus").call(
            "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetConnectionUnixProcessID", "s", [bus_name]
        )
        (result,) = await bounded_gather([call])
        return int(result[0]) if isinstance(result, list) else 0

    def pid_of(self, app_ref: str) -> int:
        """The process id of the app behind ``app_ref`` (0 when the bus does not say)."""
        bus_name = app_ref.split("|", 1)[0]
        pid = self._pids.get(bus_name)
        if pid is None:
            pid = self._pids[bus_name] = int(self.run(self._pid_of(bus_name)))
        return pid

    def forget_app(self, app_ref: str) -> None:
        """Drop what is known of one app; the next snapshot starts over (and asks web_elsewhere again)."""
        self._trees.pop(app_ref.split("|", 1)[0], None)

    def invalidate(self, app_ref: str | None = None) -> None:
        """Forget what is known so the next snapshot re-reads from scratch."""
        self._app_list.drop()
        for bus_name, tree in self._trees.items():
            if app_ref is None or app_ref.startswith(bus_name):
                tree.full_reload = True

    def refresh(self, ref: str) -> Node:
        bus_name, path = split_ref(ref)
        return self.run(self._refresh(bus_name, path))  # type: ignore[no-any-return]

    async def _refresh(self, bus_name: str, path: str) -> Node:
        tree = self._trees.get(bus_name)
        if tree is None:
            await self._snapshot(bus_name)
            tree = self._trees[bus_name]
        return await reread_element(tree, path)

    def current(self, ref: str) -> Node:
        """The element as it is now, for acting on it: its states and place on screen read again in one
        round trip (a window may have moved without an event); the rest as events keep it."""
        bus_name, path = split_ref(ref)
        return self.run(self._current(bus_name, path))  # type: ignore[no-any-return]

    async def _current(self, bus_name: str, path: str) -> Node:
        tree = self._trees.get(bus_name)
        if tree is None:
            return await self._refresh(bus_name, path)
        return await current_element(tree, path)

    # ---- input --------------------------------------------------------------------------------------
    @property
    def has_input(self) -> bool:
        """Keys and a pointer can be given: X, or a sway session (its virtual keyboard and pointer)."""
        return bool(self.display) or self._sway is not None

    @property
    def xinput(self) -> Any:
        if self._xinput is None:
            self._xinput = open_input(self.display, self._sway, self.input_note)
        return self._xinput

    def click(self, ref: str, *, button: MouseButton = "left", count: int = 1) -> None:
        self.strategies.click(ref, button=button, count=count)

    def focus(self, ref: str) -> None:
        self.strategies.focus(ref)

    def set_text(self, ref: str, text: str) -> None:
        self.strategies.set_text(ref, text)

    def set_text_and_read(self, ref: str, text: str) -> Node:
        return self.strategies.set_text_and_read(ref, text)

    def text_now(self, ref: str) -> str | None:
        return self.strategies.text_now(ref)

    def contains_point(self, ref: str, x: int, y: int) -> bool:
        """base.PointCheck: ``Component.Contains`` in screen pixels. GTK 4 keeps the extents of a widget on a
        stack page no longer shown and answers False here for it (True for the shown one)."""
        bus_name, path = split_ref(ref)

        async def ask() -> list[Any]:
            channel = await self._channel(bus_name)
            return await channel.call(path, c.I_COMPONENT, "Contains", "iiu", [x, y, c.COORD_SCREEN])

        (inside,) = self.run(ask())
        return bool(inside)

    def type_text(self, text: str) -> None:
        self.xinput.type_text(text)

    def press(self, keys: str) -> None:
        self.xinput.press(keys)

    def select_option(self, ref: str, option: str) -> None:
        self.strategies.select_option(ref, option)

    def set_checked(self, ref: str, on: bool) -> None:
        self.strategies.set_checked(ref, on)

    def scroll(self, ref: str, direction: ScrollDirection, amount: int = 3) -> None:
        node = self.refresh(ref)
        if node.bounds is None:
            raise BackendError(f"Cannot scroll {node.role} {node.name!r}: it has no position on screen.")
        x, y = node.bounds.center
        self.xinput.scroll(x, y, direction, amount)

    def scroll_into_view(self, ref: str) -> None:
        self.strategies.scroll_into_view(ref)

    def activate_window(self, ref: str) -> None:
        self.strategies.activate_window(ref)

    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        return grab_png(self.display, bounds)

    def wait_idle(self, quiet_s: float = 0.03, timeout: float = 1.0) -> None:
        """Wait until no accessibility event has arrived for ``quiet_s`` (or ``timeout`` passes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.wait_for_change(min(quiet_s, deadline - time.monotonic())):
                return

    def close(self) -> None:
        async def _close() -> None:
            for peer in self._peers:
                with contextlib.suppress(Exception):
                    peer.disconnect()
            with contextlib.suppress(Exception):
                self._bus.disconnect()

        self._direct.close()
        with contextlib.suppress(Exception):
            self._loop.run(_close(), timeout=2.0)
        self._loop.close()
        if self._xinput is not None:
            self._xinput.close()
        if self._xselection is not None:
            self._xselection.close()


def _is_web_document(node: RawNode) -> bool:
    return node.role_number == c.ROLE_DOCUMENT_WEB
