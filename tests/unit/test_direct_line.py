"""DirectLine against a small D-Bus peer on a unix socket: it authenticates, answers calls in order (a
signal in between is skipped), maps errors, and never waits past its deadline."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dbus_fast import Message
from dbus_fast._private.unmarshaller import Unmarshaller

from deskhand.backends.atspi.direct_line import DirectLine, DirectLines
from deskhand.errors import BackendError, NodeGone

Answer = Callable[[Message], list[Message | bytes | float]]
PATH = "/org/a11y/atspi/accessible/7"


def echo_text(call: Message) -> list[Message | bytes | float]:
    """GetText answers the path; Gone fails as a vanished object; Mute never answers; Slow answers late; a signal
    first."""
    if call.member == "Mute":
        return []
    if call.member == "Slow":
        time.sleep(0.08)  # a busy app: each answer comes, late
    signal = Message.new_signal("/x", "org.a11y.atspi.Event.Object", "TextChanged", "s", ["noise"])
    if call.member == "Split":  # an answer that arrives in two pieces, the second a moment later
        whole = bytes(Message.new_method_return(call, "s", [f"Split {call.path}"])._marshall(False))
        return [whole[:10], 0.05, whole[10:]]
    if call.member == "Echo":  # what the app was asked: the element and the body
        return [Message.new_method_return(call, "s", [f"{call.path} {list(call.body)}"])]
    if call.member == "Gone":
        return [signal, Message.new_error(call, "org.freedesktop.DBus.Error.UnknownObject", "no such object")]
    return [signal, Message.new_method_return(call, "s", [f"{call.member} {call.path}"])]


def serve(listener: socket.socket, answer: Answer) -> None:
    conn, _ = listener.accept()
    with conn:
        data = b""
        while b"\r\n" not in data:
            data += conn.recv(256)
        assert data.startswith(b"\0AUTH EXTERNAL ")
        conn.sendall(b"OK 1234deadbeef\r\n")
        data = b""
        while not data.endswith(b"BEGIN\r\n"):
            data += conn.recv(1)  # a byte at a time: the first call may follow BEGIN in the same packet
        conn.setblocking(True)
        reader = Unmarshaller(sock=conn, negotiate_unix_fd=False)
        try:
            while True:
                call = reader.unmarshall()
                if call is None:
                    continue
                for reply in answer(call):
                    if isinstance(reply, float):
                        time.sleep(reply)
                    else:
                        conn.sendall(reply if isinstance(reply, bytes) else bytes(reply._marshall(False)))
        except (EOFError, OSError):
            return


@pytest.fixture
def peer(tmp_path: Path) -> Iterator[str]:
    where = str(tmp_path / "peer.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(where)
    listener.listen(1)
    thread = threading.Thread(target=serve, args=(listener, echo_text), daemon=True)
    thread.start()
    yield f"unix:path={where}"
    listener.close()


def test_calls_are_answered_in_order_and_signals_skipped(peer: str) -> None:
    line = DirectLine(peer, ":1.5")
    answers = line.call_many(
        [
            (PATH, "org.a11y.atspi.Text", "GetText", "ii", [0, -1]),
            ("/org/a11y/atspi/accessible/8", "org.a11y.atspi.Text", "GetState", "", []),
        ]
    )
    assert answers == [[f"GetText {PATH}"], ["GetState /org/a11y/atspi/accessible/8"]]
    line.close()


def test_headers_kept_per_element_carry_each_call_to_its_own_element_with_its_own_body(peer: str) -> None:
    """The header a line keeps per (element, member) is spliced with each call's serial and body: a second
    round of the same members on other elements and bodies reaches those elements with those bodies."""
    line = DirectLine(peer, ":1.5")
    other = "/org/a11y/atspi/accessible/81"
    for text, end in (("Ada", -1), ("Bea", 3), ("Ada", -1)):
        calls = [
            (PATH, "org.a11y.atspi.Text", "Echo", "s", [text]),
            (other, "org.a11y.atspi.Text", "Echo", "s", [text + "!"]),
            (PATH, "org.a11y.atspi.Text", "Echo", "ii", [0, end]),
            (other, "org.a11y.atspi.Text", "Echo", "ii", [1, end]),
        ]
        assert line.call_many(calls) == [
            [f"{PATH} ['{text}']"],
            [f"{other} ['{text}!']"],
            [f"{PATH} [0, {end}]"],
            [f"{other} [1, {end}]"],
        ]
    line.close()


def test_an_answer_in_pieces_is_read_whole_and_the_next_after_it(peer: str) -> None:
    line = DirectLine(peer, ":1.5")
    answers = line.call_many(
        [
            (PATH, "org.a11y.atspi.Text", "Split", "", []),
            (PATH, "org.a11y.atspi.Text", "GetText", "ii", [0, -1]),
            ("/org/a11y/atspi/accessible/9", "org.a11y.atspi.Text", "Split", "", []),
        ]
    )
    assert answers == [[f"Split {PATH}"], [f"GetText {PATH}"], ["Split /org/a11y/atspi/accessible/9"]]
    assert line.call_many([(PATH, "org.a11y.atspi.Text", "GetText", "ii", [0, -1])]) == [[f"GetText {PATH}"]]
    line.close()


def test_a_vanished_object_is_node_gone(peer: str) -> None:
    line = DirectLine(peer, ":1.5")
    (answer,) = line.call_many([(PATH, "org.a11y.atspi.Accessible", "Gone", "", [])])
    assert isinstance(answer, NodeGone)
    assert line.call_many([(PATH, "org.a11y.atspi.Text", "GetText", "ii", [0, -1])]) == [[f"GetText {PATH}"]]


def test_an_app_that_does_not_answer_fails_the_batch_at_its_deadline(peer: str) -> None:
    line = DirectLine(peer, ":1.5")
    (answer,) = line.call_many([(PATH, "org.a11y.atspi.Accessible", "Mute", "", [])], timeout=0.2)
    assert isinstance(answer, BackendError) and "did not answer within 0.2 s" in answer.message
    assert not line.open  # a line out of step is not used again
    (again,) = line.call_many([(PATH, "org.a11y.atspi.Text", "GetText", "ii", [0, -1])])
    assert isinstance(again, NodeGone)


def test_lines_open_on_first_use_and_not_for_an_app_without_an_address(peer: str, tmp_path: Path) -> None:
    lines = DirectLines()
    lines.know(":1.5", peer)
    lines.know(":1.6", "")
    lines.know(":1.7", f"unix:path={tmp_path / 'nobody.sock'}")
    line = lines.get(":1.5")
    assert line is not None and lines.get(":1.5") is line
    assert lines.get(":1.6") is None
    assert lines.get(":1.7") is None  # refused: the loop's channel is used instead
    lines.close()
    assert not line.open


def test_a_batch_answered_steadily_is_not_cut_by_the_deadline(peer: str) -> None:
    """The deadline is for an app that stopped answering: five answers 0.08 s apart (0.4 s in all) all come
    within a 0.2 s deadline, which each answer renews."""
    line = DirectLine(peer, ":1.5")
    answers = line.call_many([(PATH, "org.a11y.atspi.Text", "Slow", "", [])] * 5, timeout=0.2)
    assert answers == [[f"Slow {PATH}"]] * 5
    assert line.open


def answer_when_all_came(calls: int) -> Answer:
    """A peer that reads a whole batch before answering any of it: the sender must get it all out first."""
    held: list[Message] = []

    def answer(call: Message) -> list[Message]:
        held.append(call)
        if len(held) < calls:
            return []
        return [Message.new_method_return(each, "s", [each.path]) for each in held]

    return answer


def test_a_batch_larger_than_the_socket_buffer_goes_out_whole(tmp_path: Path) -> None:
    """The socket is non-blocking: a send that fills its buffer waits until the app has read some (3,000 calls
    with long paths, ~1 MB, several times a unix socket's buffer)."""
    where = str(tmp_path / "peer.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(where)
    listener.listen(1)
    calls = 3000
    threading.Thread(target=serve, args=(listener, answer_when_all_came(calls)), daemon=True).start()
    line = DirectLine(f"unix:path={where}", ":1.5")
    paths = [f"{PATH}/{n}/{'x' * 300}" for n in range(calls)]
    answers = line.call_many([(path, "org.a11y.atspi.Text", "GetText", "ii", [0, -1]) for path in paths], timeout=5)
    assert answers == [[path] for path in paths]
    line.close()
    listener.close()
