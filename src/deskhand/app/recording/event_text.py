"""A field's value carried forward by its text events' own text, for when the field can no longer be read.

A save dialog's name field may be hidden or gone when the recorder gets to the last letters' events (they reach
it after the app already closed the dialog), so reading the tree then shows nothing. Each text event says what
it inserted or deleted and where: applied to the value last read, it gives the value the app had. A change the
last read already showed (that read was live, so it may be ahead of the events) is not applied twice.
"""

from __future__ import annotations

from deskhand.backends.atspi.event import AtspiEvent


def with_change(value: str, event: AtspiEvent) -> str:
    """``value`` after the text event ``event`` (``insert``/``delete`` at offset ``event.number``)."""
    text, at = event.text, max(event.number, 0)
    if not text or event.member != "TextChanged":
        return value
    shown = value[at : at + len(text)] == text
    if event.detail.startswith("insert"):
        # Typed at the end, an insertion not yet in ``value`` lands at its end; one inside it that it shows is in.
        return (
            value if shown and at < len(value) else value[: min(at, len(value))] + text + value[min(at, len(value)) :]
        )
    if event.detail.startswith("delete") and shown:
        return value[:at] + value[at + len(text) :]
    return value
