"""The Backend seam: perception and input, whatever the platform.

A backend lists applications, snapshots an application as a tree of neutral :class:`Node`s, acts on an
element by its ``ref``, types, presses keys and takes screenshots. Everything above this seam
(locators, runner, agent, MCP) speaks only this protocol; foreign errors are translated below it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from deskhand.tree.node import Bounds, Node

MouseButton = Literal["left", "middle", "right"]
ScrollDirection = Literal["up", "down", "left", "right"]


@dataclass(frozen=True, slots=True)
class WindowInfo:
    ref: str
    title: str
    role: str
    bounds: Bounds | None
    active: bool


@dataclass(frozen=True, slots=True)
class AppInfo:
    ref: str
    name: str
    pid: int
    toolkit: str
    windows: tuple[WindowInfo, ...]


@runtime_checkable
class Backend(Protocol):
    """What every backend does. Contract tests in ``tests/contract`` hold each implementation to it."""

    name: str

    def applications(self) -> list[AppInfo]:
        """Applications on the bus with their top-level windows, in registry order."""
        ...

    def snapshot(self, app_ref: str) -> Node:
        """The whole tree of one application, current as of the call."""
        ...

    def refresh(self, ref: str) -> Node:
        """One element read afresh (no children); raises NodeGone when it no longer exists."""
        ...

    def invalidate(self, app_ref: str | None = None) -> None:
        """Forget cached trees (of one app, or all) so the next snapshot reads afresh.

        Waits call it now and then as a safety net: a toolkit that forgets an event must not leave a wait
        looking at a stale tree until its deadline.
        """
        ...

    def version(self) -> int:
        """A counter that moves whenever the backend learns that some tree changed."""
        ...

    def wait_for_change(self, timeout: float) -> bool:
        """Block until something changes on screen (an accessibility event) or ``timeout`` passes."""
        ...

    def click(self, ref: str, *, button: MouseButton = "left", count: int = 1) -> None: ...

    def focus(self, ref: str) -> None: ...

    def set_text(self, ref: str, text: str) -> None:
        """Replace the element's text with ``text``."""
        ...

    def type_text(self, text: str) -> None:
        """Type into whatever has the keyboard focus."""
        ...

    def press(self, keys: str) -> None:
        """A key or a chord such as ``Ctrl+S``, ``Enter``, ``Alt+F4``."""
        ...

    def select_option(self, ref: str, option: str) -> None:
        """Pick ``option`` (by its visible text) in a combo box or list."""
        ...

    def set_checked(self, ref: str, on: bool) -> None: ...

    def scroll(self, ref: str, direction: ScrollDirection, amount: int = 3) -> None: ...

    def scroll_into_view(self, ref: str) -> None: ...

    def activate_window(self, ref: str) -> None:
        """Raise a window and give it the keyboard focus."""
        ...

    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        """PNG bytes of the screen, or of ``bounds`` on it."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class AppsInScope(Protocol):
    """A backend that keeps some running apps out of reach (the guard: apps outside the workflow's ``apps``).

    A search that names no app looks only in apps in scope, so another app the person has open is no place
    to look rather than a refused read; a step that names an app out of scope is still refused when it reads
    it. Optional: locators use it when offered.
    """

    def in_scope(self, app: AppInfo) -> bool: ...


@runtime_checkable
class MatchingSnapshots(Protocol):
    """A backend that can answer "which elements could be named ``needle``" without reading whole pages.

    ``snapshot_matching`` returns the app's tree, in which every element whose name or text could hold
    ``needle`` is present with its ancestors (other parts may be left out); a selector by name or text
    finds exactly what it would find in :meth:`Backend.snapshot`. With ``by_label`` the needle is a label's
    words, and the tree also holds every element such a label names, so a selector by label finds exactly
    what it would find in the whole tree. Optional: locators use it when offered.
    """

    def snapshot_matching(self, app_ref: str, needle: str, *, by_label: bool = False) -> Node: ...


@runtime_checkable
class EventKept(Protocol):
    """A backend whose snapshots are kept current by events (AT-SPI): an element's state as the snapshot holds
    it is its current state, so acting on a known element needs no re-read first. Optional: the guard judges
    such an element on the snapshot, and re-reads (``refresh``) only where ``kept_app`` says None."""

    def kept_app(self, ref: str) -> str | None:
        """The ref of the app whose event-kept snapshot holds ``ref``; None when none does (read it afresh)."""
        ...


@runtime_checkable
class KeptVersions(Protocol):
    """An event-kept backend (EventKept) that can say whether what it keeps of an element's app may have
    changed. Optional: the guard keeps its judgement of acting on an element while the version stays the same
    (policy/judged.py)."""

    def kept_version(self, ref: str) -> Hashable | None:
        """A value equal between two calls only if nothing in the event-kept tree holding ``ref`` changed in
        between, other than text deskhand wrote into a field and read back; None when no kept tree holds it
        current now."""
        ...


@runtime_checkable
class TextNow(Protocol):
    """A backend that can say cheaply what text a field holds right now (typing checks each run went in).
    Optional: else ``refresh``."""

    def text_now(self, ref: str) -> str | None:
        """The field's whole text as the app holds it, or None when this cannot be asked cheaply here."""
        ...


@runtime_checkable
class TextReadBack(Protocol):
    """A backend that writes a field's text and reads back what the app holds in one go. Optional: fills use it
    when offered, else ``set_text`` then ``refresh``."""

    def set_text_and_read(self, ref: str, text: str) -> Node:
        """``set_text``, then the element as the app holds it right after (text and states read again)."""
        ...


@runtime_checkable
class PageFileInputs(Protocol):
    """A backend that answers a web page's file chooser in the page (CDP: Chromium's own dialog is not on
    AT-SPI). Optional: without it a page's file input opens the browser's dialog like any app's."""

    def waiting_file_input(self) -> str | None:
        """The file input whose chooser a page opened and is waiting on (its element's ref), or None."""
        ...

    def choose_files(self, ref: str, paths: list[str]) -> tuple[str, ...]:
        """Give the waiting file input ``ref`` these files; the names the input holds after (read back)."""
        ...


@runtime_checkable
class PointCheck(Protocol):
    """A backend that can ask the app whether an element holds a point on screen (AT-SPI ``Contains``).
    Optional: views whose rows are found on screen are used only where it says they are shown."""

    def contains_point(self, ref: str, x: int, y: int) -> bool: ...


_OFFERED: dict[tuple[type, type], bool] = {}


def offers(backend: object, seam: type) -> bool:
    """``isinstance(backend, seam)`` for the optional seams above, remembered per class: a runtime protocol
    check costs 15-20 µs in Python 3.11, and a fill asked it three times. A class that passes attributes
    through (``__getattr__``) offers what it wraps, so it is asked every time."""
    kind = type(backend)
    if hasattr(kind, "__getattr__"):
        return isinstance(backend, seam)
    key = (kind, seam)
    found = _OFFERED.get(key)
    if found is None:
        found = _OFFERED[key] = isinstance(backend, seam)
    return found
