"""Calls marshalled from a template are the bytes dbus-fast would send: its own unmarshaller reads them back
with every header field and the body intact, whatever the path's length does to the alignment."""

from __future__ import annotations

import socket

import pytest
from dbus_fast import MessageType
from dbus_fast._private.unmarshaller import Unmarshaller

from deskhand.backends.atspi.wire import CallTemplate


@pytest.mark.parametrize(
    ("member", "signature", "body"),
    [
        ("GetRole", "", []),
        ("GetAll", "s", ["org.a11y.atspi.Accessible"]),
        ("Get", "ss", ["org.a11y.atspi.Accessible", "Name"]),
        ("GetText", "ii", [0, -1]),
        ("GetExtents", "u", [0]),
    ],
)
@pytest.mark.parametrize("path", ["/org/a11y/atspi/accessible/root", "/a", "/org/a11y/atspi/accessible/1234567"])
def test_a_templated_call_reads_back_as_the_call(member: str, signature: str, body: list[object], path: str) -> None:
    template = CallTemplate(":1.42", "org.a11y.atspi.Accessible", member, signature, body)
    data = template.encode(7, path) + template.encode(8, path + "9")
    left, right = socket.socketpair()
    try:
        left.sendall(data)
        right.setblocking(False)  # a reader that wants more than was sent fails instead of waiting
        reader = Unmarshaller(None, right, False)
        first = reader.unmarshall()
        second = reader.unmarshall()
    finally:
        left.close()
        right.close()
    assert first is not None and second is not None
    for message, serial, expected_path in ((first, 7, path), (second, 8, path + "9")):
        assert message.message_type is MessageType.METHOD_CALL
        assert message.serial == serial
        assert message.path == expected_path
        assert message.interface == "org.a11y.atspi.Accessible"
        assert message.member == member
        assert message.destination == ":1.42"
        assert message.signature == signature
        assert list(message.body) == body
