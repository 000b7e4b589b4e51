"""Calls marshalled from a template are the bytes dbus-fast would send: its own unmarshaller reads them back
with every header field and the body intact, whatever the path's length does to the alignment."""

from __future__ import annotations

import socket

import pytest
from dbus_fast import MessageType
from dbus_fast._private.marshaller import Marshaller
from dbus_fast._private.unmarshaller import Unmarshaller

from deskhand.backends.atspi.wire import CallTemplate, body_of


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


def test_a_header_made_once_for_an_element_carries_each_serial_and_body() -> None:
    """``to_path`` once, ``encode_to`` per call (a fill's write and read-back): the bytes are the template's own
    encoding of each call."""
    template = CallTemplate(":1.42", "org.a11y.atspi.EditableText", "SetTextContents", "s", [])
    header = template.to_path("/org/a11y/atspi/accessible/15")
    for serial, text in ((3, "Ada"), (4, "Bea Lovelace"), (5, "")):
        body = body_of("s", [text])
        assert template.encode_to(serial, header, body) == template.encode(
            serial, "/org/a11y/atspi/accessible/15", body
        )
    assert template.encode_to(6, header, body_of("s", ["x"])) != template.encode(
        6, "/org/a11y/atspi/accessible/16", body_of("s", ["x"])
    )


@pytest.mark.parametrize("text", ["", "Ada", "Bea Lovelace", "ünïcødé ✓", "a\nb\tc", "x" * 70_000])
def test_a_string_body_is_laid_out_as_dbus_fast_marshals_it(text: str) -> None:
    assert body_of("s", [text]) == bytes(Marshaller("s", [text]).marshall())
