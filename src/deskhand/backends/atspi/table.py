"""Cells through AT-SPI's Table interface: ``GetAccessibleAt`` per cell, never the table's children.

Measured on LibreOffice Calc 7.4: a cell costs ~1 ms alone; in bulk the app itself is the limit (each
``GetAccessibleAt`` makes a new cell object), so a rectangle is read as two waves of pipelined calls (the
channel's ``call_many``, with no task or future per call: 1.3–1.6x quicker than one awaited call each) — all
cells' objects, then all their texts.
"""

from __future__ import annotations

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import Channel, bounded_gather
from deskhand.backends.atspi.line_channel import LineChannel
from deskhand.errors import ActionFailed, BackendError

# The loop's channel, or the app's direct line from the caller's thread (line_channel.py).
Calls = Channel | LineChannel


async def table_size(channel: Calls, path: str) -> tuple[int, int]:
    rows, columns = await channel.call_many(
        [(path, c.I_PROPERTIES, "Get", "ss", [c.I_TABLE, name]) for name in ("NRows", "NColumns")]
    )
    if not isinstance(rows, list) or not isinstance(columns, list):
        raise ActionFailed("The element is not a table whose cells can be reached.", hint="Name the sheet itself.")
    return int(rows[0].value), int(columns[0].value)


async def cell_paths(channel: Calls, path: str, cells: list[tuple[int, int]]) -> list[str]:
    replies = await channel.call_many(
        [(path, c.I_TABLE, "GetAccessibleAt", "ii", [row, column]) for row, column in cells]
    )
    paths: list[str] = []
    for (row, column), reply in zip(cells, replies, strict=True):
        if isinstance(reply, BaseException) or reply[0][1] == c.NULL_PATH:
            raise ActionFailed(f"The table has no cell at row {row + 1}, column {column + 1}.")
        paths.append(str(reply[0][1]))
    return paths


async def table_texts(channel: Calls, path: str, rows: range, columns: range) -> list[list[str]]:
    cells = [(row, column) for row in rows for column in columns]
    paths = await cell_paths(channel, path, cells)
    replies = await channel.call_many([(cell, c.I_TEXT, "GetText", "ii", [0, -1]) for cell in paths])
    texts = [str(reply[0]) if isinstance(reply, list) else "" for reply in replies]
    failed = [r for r in replies if isinstance(r, BackendError)]
    if failed and len(failed) == len(replies):
        raise failed[0]
    width = len(columns)
    return [texts[i : i + width] for i in range(0, len(texts), width)]


async def kept_cells(channel: Calls, path: str, cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The cells whose object the table keeps: asked for twice (one batch), it hands out the same object.
    LibreOffice Calc keeps its cursor cell's; any other cell is made anew each time it is asked for."""
    paths = await cell_paths(channel, path, cells + cells)
    return [cell for cell, first, second in zip(cells, paths, paths[len(cells) :], strict=False) if first == second]


async def focus_cell(channel: Calls, path: str, row: int, column: int) -> None:
    (cell,) = await cell_paths(channel, path, [(row, column)])
    (grabbed,) = await channel.call(cell, c.I_COMPONENT, "GrabFocus")
    if not grabbed:
        raise ActionFailed(f"The table refused to move to row {row + 1}, column {column + 1}.")


async def text_and_index(channel: Calls, path: str, cell: tuple[int, int]) -> tuple[str, int]:
    """One cell's text and its index among the table's children (-1 where the app cannot say: Calc's 32-bit
    index overflows past row 131,071); the index is asked with the cell, so a mark needs no call of its own."""
    row, column = cell
    found, index = await channel.call_many(
        [
            (path, c.I_TABLE, "GetAccessibleAt", "ii", [row, column]),
            (path, c.I_TABLE, "GetIndexAt", "ii", [row, column]),
        ]
    )
    if isinstance(found, BaseException) or found[0][1] == c.NULL_PATH:
        raise ActionFailed(f"The table has no cell at row {row + 1}, column {column + 1}.")
    (text,) = await channel.call(str(found[0][1]), c.I_TEXT, "GetText", "ii", [0, -1])
    return str(text), -1 if isinstance(index, BaseException) else int(index[0])


async def mark_alone(channel: Calls, path: str, cell: tuple[int, int], index: int) -> None:
    """Unmark every cell, then mark the cell at ``index`` alone (the Selection interface: the sheet's cursor
    stays put); one batch, which the app answers in order."""
    cleared, marked = await channel.call_many(
        [(path, c.I_SELECTION, "ClearSelection", "", []), (path, c.I_SELECTION, "SelectChild", "i", [index])]
    )
    if isinstance(cleared, BaseException) or isinstance(marked, BaseException) or not marked[0]:
        raise ActionFailed(f"The table refused to mark the cell at row {cell[0] + 1}, column {cell[1] + 1}.")


async def marked_alone(channel: Calls, path: str, index: int) -> bool:
    """Whether the cell at ``index`` is the one cell marked (asked after the app's answer came: the text it
    offers is made from what is marked when it is asked for)."""
    count, marked = await channel.call_many(
        [
            (path, c.I_PROPERTIES, "Get", "ss", [c.I_SELECTION, "NSelectedChildren"]),
            (path, c.I_SELECTION, "IsChildSelected", "i", [index]),
        ]
    )
    if isinstance(count, BaseException) or isinstance(marked, BaseException):
        return False
    return int(count[0].value) == 1 and bool(marked[0])


async def unmark(channel: Calls, path: str) -> None:
    await channel.call(path, c.I_SELECTION, "ClearSelection")


async def select_tab(channel: Channel, path: str) -> None:
    parent, index = await bounded_gather(
        [
            channel.call(path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Parent"]),
            channel.call(path, c.I_ACCESSIBLE, "GetIndexInParent"),
        ]
    )
    if not isinstance(parent, list) or not isinstance(index, list):
        raise ActionFailed("The tab is gone.", hint="Take a fresh snapshot.")
    (selected,) = await channel.call(str(parent[0].value[1]), c.I_SELECTION, "SelectChild", "i", [int(index[0])])
    if not selected:
        raise ActionFailed("The tab list refused to bring the tab to the front.")
