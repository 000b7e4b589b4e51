"""One accessibility event as the backend hands it to a listener (the recorder)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AtspiEvent:
    """One accessibility event as it arrived: the element's ref, the app's bus name, the member
    (``TextChanged``, ``StateChanged``, ``Activate``...), its detail (``focused``, ``insert``) and number (1 = on;
    a text change's offset); ``text`` is what a text change inserted or deleted, or a property's new value when
    it is text (a name), as the app sent it: the element may be gone by the time it is read."""

    ref: str
    bus_name: str
    member: str
    detail: str
    number: int
    text: str = ""
