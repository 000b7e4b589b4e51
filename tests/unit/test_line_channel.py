"""The table seam's coroutines driven on a direct line from the caller's thread (atspi/line_channel.py),
against a small D-Bus peer playing a sheet: a size, a cell's text, a mark — and errors as the loop's
channel raises them."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbus_fast import Message, Variant
from tests.unit.test_direct_line import serve

from deskhand.backends.atspi import table as cells
from deskhand.backends.atspi.direct_line import DirectLine
from deskhand.backends.atspi.line_channel import LineChannel, drive
from deskhand.errors import ActionFailed, NodeGone

TABLE = "/org/a11y/atspi/accessible/table"
MARKED: list[int] = []
KEPT = (2, 1)  # the cursor cell: the one object the sheet keeps, as Calc does
MADE = [0]


def sheet(call: Message) -> list[Message]:
    """A sheet of 5 rows x 3 columns whose cells hold 'r<row>c<column>'; SelectChild remembers the index."""
    member, body = call.member, call.body
    if member == "Get":
        size = {"NRows": 5, "NColumns": 3, "NSelectedChildren": len(MARKED)}[body[1]]
        return [Message.new_method_return(call, "v", [Variant("i", size)])]
    if member == "IsChildSelected":
        return [Message.new_method_return(call, "b", [body[0] in MARKED])]
    if member == "GetAccessibleAt":
        row, column = body
        if row >= 5 or column >= 3:
            return [Message.new_method_return(call, "(so)", [[":1.5", "/org/a11y/atspi/null"]])]
        MADE[0] += 1
        made = "" if (row, column) == KEPT else f"/n{MADE[0]}"
        return [Message.new_method_return(call, "(so)", [[":1.5", f"/cell{made}/{row}/{column}"]])]
    if member == "GetText":
        _, row, column = call.path.rsplit("/", 2)
        return [Message.new_method_return(call, "s", [f"r{row}c{column}"])]
    if member == "GetIndexAt":
        return [Message.new_method_return(call, "i", [body[0] * 3 + body[1]])]
    if member == "ClearSelection":
        MARKED.clear()
        return [Message.new_method_return(call, "b", [True])]
    if member == "SelectChild":
        MARKED.append(body[0])
        return [Message.new_method_return(call, "b", [True])]
    return [Message.new_error(call, "org.freedesktop.DBus.Error.UnknownObject", "no such object")]


@pytest.fixture
def line(tmp_path: Path) -> Iterator[LineChannel]:
    where = str(tmp_path / "sheet.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(where)
    listener.listen(1)
    threading.Thread(target=serve, args=(listener, sheet), daemon=True).start()
    direct = DirectLine(f"unix:path={where}", ":1.5")
    yield LineChannel(direct)
    direct.close()
    listener.close()


def test_size_text_and_mark_are_answered_from_the_callers_thread(line: LineChannel) -> None:
    assert drive(cells.table_size(line, TABLE)) == (5, 3)
    assert drive(cells.table_texts(line, TABLE, range(1, 3), range(0, 2))) == [["r1c0", "r1c1"], ["r2c0", "r2c1"]]
    assert drive(cells.text_and_index(line, TABLE, (4, 2))) == ("r4c2", 14)
    MARKED.append(3)
    drive(cells.mark_alone(line, TABLE, (4, 2), 14))
    assert MARKED == [14]
    assert drive(cells.marked_alone(line, TABLE, 14))
    MARKED.append(13)  # a key still on its way marked one more
    assert not drive(cells.marked_alone(line, TABLE, 14))
    MARKED[:] = [13]  # or moved the mark
    assert not drive(cells.marked_alone(line, TABLE, 14))
    drive(cells.unmark(line, TABLE))
    assert MARKED == []


def test_the_one_cell_object_the_table_keeps_is_told_from_those_it_makes_anew(line: LineChannel) -> None:
    assert drive(cells.kept_cells(line, TABLE, [(r, c) for r in range(5) for c in range(3)])) == [KEPT]
    assert drive(cells.kept_cells(line, TABLE, [(0, 0), (4, 2)])) == []


def test_errors_are_raised_as_on_the_loops_channel(line: LineChannel) -> None:
    with pytest.raises(ActionFailed, match="no cell at row 6, column 1"):
        drive(cells.table_texts(line, TABLE, range(5, 6), range(0, 1)))
    with pytest.raises(NodeGone):
        drive(line.call("/nothing", "org.a11y.atspi.Accessible", "GetRole"))


def test_a_coroutine_that_waits_for_the_loop_is_refused() -> None:
    async def waits() -> None:
        await asyncio.sleep(0)

    with pytest.raises(RuntimeError, match="waited for the event loop"):
        drive(waits())
