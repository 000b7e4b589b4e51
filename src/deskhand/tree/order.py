"""Reading order: how a person counts elements on screen ("the second checkbox").

Toolkits list children in their own order (GTK3 boxes can list them bottom-up), so counting follows the
screen: rows from top to bottom, and left to right within a row. Elements whose vertical middles fall
inside one another's extent share a row. Elements with no place on screen come after, in tree order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from deskhand.tree.node import Bounds, Node

T = TypeVar("T")


def reading_order(items: Sequence[T], node_of: Callable[[T], Node]) -> list[T]:
    """``items`` sorted as a person reads the screen; ties keep their given order."""
    placed = [(i, item, node_of(item).bounds) for i, item in enumerate(items)]
    shown = [(i, item, box) for i, item, box in placed if box is not None and not box.empty]
    unplaced = [item for _, item, box in placed if box is None or box.empty]
    shown.sort(key=lambda entry: (_box(entry).y, _box(entry).x, entry[0]))
    rows: list[list[tuple[int, T, Bounds | None]]] = []
    for entry in shown:
        box = _box(entry)
        middle = box.y + box.height // 2
        row = rows[-1] if rows else None
        if row is not None and any(_same_row(_box(other), box, middle) for other in row):
            row.append(entry)
        else:
            rows.append([entry])
    ordered = [item for row in rows for _, item, _ in sorted(row, key=lambda e: (_box(e).x, e[0]))]
    return ordered + unplaced


def _box(entry: tuple[int, object, Bounds | None]) -> Bounds:
    box = entry[2]
    assert box is not None
    return box


def _same_row(a: Bounds, b: Bounds, b_middle: int) -> bool:
    a_middle = a.y + a.height // 2
    return a.y <= b_middle <= a.y + a.height or b.y <= a_middle <= b.y + b.height
