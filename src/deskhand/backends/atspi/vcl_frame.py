"""Where LibreOffice's own drawn widgets really are: its GTK3 plugin reports them off by its menu bar at times.

LibreOffice (7.4, VCL's GTK3 plugin) draws a document window's toolbars, sheet, sidebar and status bar
itself, inside a GTK panel below the window's native menu bar. Their accessible "root pane" fills that panel,
but for a while after the window opens it and everything under it report screen places measured from the
window's corner: 25 px too high (measured: panel at y=75, root pane at y=50, both 1165×675); later (after
some configure event, no accessibility event) the same nodes report their true places. An X click at a
toolbar button's centre read early hit the toolbar row above it ('Add Decimal Place' opened 'Headers and
Footers'), and places read at different times disagreed.

So every read of places under such a root pane asks the root pane and its panel in the same trip, and moves
what it read by how far the root pane lies off its panel at that moment: stored places are the screen's,
whatever LibreOffice said when. A root pane on its panel (a later LibreOffice, or after the fix-up) moves
nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import CallSpec
from deskhand.tree.node import Bounds

_DEPTH = 256


class Placed(Protocol):
    """What of a raw node the fix-up needs (model.RawNode has it)."""

    path: str
    parent: str
    role_number: int
    bounds: Bounds | None


class FrameFix:
    """The root panes above nodes whose places one read asks for: asked in the same read, then the places
    moved. ``note`` the nodes, send ``calls()`` after the read's own, ``apply`` their answers last."""

    def __init__(self, nodes: Mapping[str, Placed]) -> None:
        self._nodes = nodes
        self._pane_above: dict[str, str | None] = {}
        self._noted: dict[str, str] = {}  # node path → its root pane's path
        self._panes: list[str] = []

    def note(self, node: Placed) -> None:
        pane = self._pane_of(node)
        if pane is None:
            return
        self._noted[node.path] = pane
        if pane not in self._panes:
            self._panes.append(pane)

    def calls(self) -> list[CallSpec]:
        calls: list[CallSpec] = []
        for pane in self._panes:
            calls.append(_extents_call(pane))
            calls.append(_extents_call(self._nodes[pane].parent))
        return calls

    def apply(self, results: Sequence[list[Any] | BaseException]) -> None:
        """Move the noted nodes' places (as the read stored them) by their root pane's offset now."""
        offsets: dict[str, tuple[int, int]] = {}
        for n, pane in enumerate(self._panes):
            pane_box, panel_box = results[2 * n], results[2 * n + 1]
            if isinstance(pane_box, list) and isinstance(panel_box, list):
                offsets[pane] = _offset(Bounds(*pane_box[0]), Bounds(*panel_box[0]))
        for path, pane in self._noted.items():
            node = self._nodes.get(path)
            offset = offsets.get(pane, (0, 0))
            if node is not None and node.bounds is not None and offset != (0, 0):
                box = node.bounds
                node.bounds = Bounds(box.x + offset[0], box.y + offset[1], box.width, box.height)

    def _pane_of(self, node: Placed) -> str | None:
        """The nearest misplaceable root pane at or above ``node`` (a root pane straight inside a panel)."""
        seen: list[str] = []
        current: Placed | None = node
        found: str | None = None
        for _ in range(_DEPTH):
            if current is None or not current.parent:
                break
            if current.path in self._pane_above:
                found = self._pane_above[current.path]
                break
            seen.append(current.path)
            parent = self._nodes.get(current.parent)
            if current.role_number == c.ROLE_ROOT_PANE and parent is not None and parent.role_number == c.ROLE_PANEL:
                found = current.path
                break
            current = parent
        for path in seen:
            self._pane_above[path] = found
        return found


def _extents_call(path: str) -> CallSpec:
    return (path, c.I_COMPONENT, "GetExtents", "u", [c.COORD_SCREEN])


def _offset(pane: Bounds, panel: Bounds) -> tuple[int, int]:
    """How far the root pane is reported off the panel it fills (none when it does not fill it)."""
    if (pane.width, pane.height) != (panel.width, panel.height):
        return (0, 0)
    return (panel.x - pane.x, panel.y - pane.y)
