"""The baseline: walk an app's tree one call at a time, as pyatspi-based tools (dogtail, Accerciser) do.

Per node, in sequence, each call waiting for the one before: GetChildren, Name, Role, State, Description,
Interfaces, and GetExtents where the node is a Component. Same connection as the backend's (peer-to-peer
where the app offers it), so the comparison measures the strategy, not the transport.
"""

from __future__ import annotations

import time

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.backends.atspi.bus import Channel
from deskhand.errors import BackendError

# Stop at what the backend would never enumerate either (LibreOffice's 2^31 - 1 cells).
MAX_NODES = 50_000


async def _walk(channel: Channel) -> int:
    count = 0
    stack = [c.ROOT_PATH]
    while stack and count < MAX_NODES:
        path = stack.pop()
        count += 1
        try:
            (children,) = await channel.call(path, c.I_ACCESSIBLE, "GetChildren")
            await channel.call(path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Name"])
            await channel.call(path, c.I_ACCESSIBLE, "GetRole")
            await channel.call(path, c.I_ACCESSIBLE, "GetState")
            await channel.call(path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Description"])
            (interfaces,) = await channel.call(path, c.I_ACCESSIBLE, "GetInterfaces")
            if c.I_COMPONENT in interfaces:
                await channel.call(path, c.I_COMPONENT, "GetExtents", "u", [c.COORD_SCREEN])
        except BackendError:
            continue  # gone mid-walk, as happens to naive walkers too
        stack.extend(child for _, child in reversed(children) if child != c.NULL_PATH)
    return count


def naive_walk(backend: AtspiBackend, app_ref: str) -> tuple[int, float]:
    """(nodes visited, milliseconds) for one sequential walk of the app behind ``app_ref``."""
    bus_name = app_ref.split("|", 1)[0]
    channel = backend.run(backend._channel(bus_name))
    start = time.perf_counter()
    nodes = backend.run(_walk(channel), timeout=600)
    return nodes, (time.perf_counter() - start) * 1000
