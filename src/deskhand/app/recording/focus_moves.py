"""The focus moves a person's Tabs still owe: a key acts on the element the app had focused when the app took it.

X RECORD hands the recorder each key as it was made; the app tells the focus move a Tab made only once it has
taken that Tab. Under load an app may be seconds behind the keys (measured: zenity stopped while Tab, Tab, Return
were typed: the Return was understood with the focus still in the field the Tabs left, and written `Press
Enter`; stalled after the first Tab, `Click "Cancel"`, while the app pressed OK). So a key is understood only once
every Tab typed before it has been answered by the app: a focus gained on another element (or a tab typed into
a text, where Tab is text), any app's, in the order the recorder understands them.
"""

from __future__ import annotations

from deskhand.app.recording.xpresses import Key
from deskhand.backends.atspi.event import AtspiEvent
from deskhand.tree.roles import State


class FocusMoves:
    """Counts the Tabs typed and the focus moves the apps told since; ``awaited`` is how many are still owed."""

    def __init__(self) -> None:
        self.awaited = 0
        self._focused = ""  # the element the last focus gained was on (GTK3 tells some gains twice)

    def key(self, key: Key) -> None:
        if key.name == "Tab" and not key.modifiers - {"shift"}:
            self.awaited += 1

    def event(self, event: AtspiEvent) -> None:
        gained = event.member == "StateChanged" and event.detail == State.FOCUSED and event.number
        if gained and event.ref != self._focused:
            self._focused = event.ref
            self.awaited = max(0, self.awaited - 1)
        elif event.member == "TextChanged" and event.detail.startswith("insert") and event.text == "\t":
            self.awaited = max(0, self.awaited - 1)

    def answered(self) -> bool:
        return self.awaited == 0

    def forget(self) -> None:
        """A press moves the focus itself; a key understood without every answer is told as such."""
        self.awaited = 0
