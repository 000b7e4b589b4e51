"""The keys deskhand's virtual keyboard sends under sway: every printable ASCII character sits on the US key a
person would press (with Shift where a person would hold it), named keys on their own codes, and a key
name nobody knows is an error that says so."""

from __future__ import annotations

import pytest

from deskhand.backends.atspi import wayland_devices as devices
from deskhand.backends.atspi.sway_input import _key_of
from deskhand.errors import ActionFailed


def test_every_printable_ascii_character_has_a_us_key() -> None:
    placed = {char: (code, shifted) for code, pair in devices._US.items() for shifted, char in enumerate(pair)}
    for char in map(chr, range(0x20, 0x7F)):
        assert char in placed, char
    assert placed["a"] == (30, 0) and placed["A"] == (30, 1) and placed["!"] == (2, 1) and placed[" "][0] == 57


def test_key_names_map_to_named_keys_or_characters() -> None:
    assert _key_of("Enter") == "Return" and _key_of("esc") == "Escape" and _key_of("f5") == "F5"
    assert _key_of("A") == "a" and _key_of("plus") == "+" and _key_of("space") == " "
    with pytest.raises(ActionFailed, match="Unknown key name 'Hyperdrive'"):
        _key_of("Hyperdrive")


def test_the_keymap_names_each_key_and_its_levels() -> None:
    text = devices._keymap({38: "a, A", 191: devices.keysym("ö")})
    assert "<K38> = 38;" in text and "key <K38> {[ a, A ]};" in text and "key <K191> {[ U00F6 ]};" in text
    assert 'include "complete"' in text
