"""One accessibility event as the backend hands it to a listener (the recorder)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AtspiEvent:
    """One accessibility event as it arrived: the element's ref, the app's bus name, the member
    (``TextChanged``, ``StateChanged``, ``Activate``...), its detail (``focused``) and number (1 = on)."""

    ref: str
    bus_name: str
    member: str
    detail: str
    number: int
