"""AT-SPI element references: ``bus name|object path``, the ``ref`` of every Node this backend builds."""

from __future__ import annotations

from deskhand.errors import NodeGone


def split_ref(ref: str) -> tuple[str, str]:
    bus_name, sep, path = ref.partition("|")
    if not sep or not path.startswith("/"):
        raise NodeGone(f"{ref!r} is not an AT-SPI element reference.", hint="Take a fresh snapshot.")
    return bus_name, path
