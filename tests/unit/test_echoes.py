"""Echoes: the TextChanged events of deskhand's own write are recognised, anything else is not."""

from __future__ import annotations

from dbus_fast import Variant

from deskhand.backends.atspi.echoes import Echoes

FIELD = "/org/a11y/atspi/accessible/11"


def changed(kind: str, offset: int, text: str) -> list[object]:
    return [kind, offset, len(text), Variant("s", text), {}]


def test_the_delete_and_insert_of_a_write_are_its_echoes() -> None:
    echoes = Echoes()
    echoes.expect(FIELD, "Ada", "Bea")
    assert echoes.take(FIELD, changed("delete", 0, "Ada"))
    assert echoes.take(FIELD, changed("insert", 0, "Bea"))
    # Both taken: the next change is the app's own.
    assert not echoes.take(FIELD, changed("insert", 0, "Bea"))


def test_a_change_the_write_did_not_make_is_no_echo_and_ends_the_expectation() -> None:
    echoes = Echoes()
    echoes.expect(FIELD, "", "Bea")
    assert not echoes.take(FIELD, changed("insert", 3, "!"))  # typed after the write: the app's change
    assert not echoes.take(FIELD, changed("insert", 0, "Bea"))  # nothing expected any more
    echoes.expect(FIELD, "", "Bea")
    assert not echoes.take(FIELD, changed("insert", 0, "Be"))  # another text


def test_other_fields_and_unchanged_text_expect_nothing() -> None:
    echoes = Echoes()
    echoes.expect(FIELD, "Ada", "Ada")
    assert not echoes.take(FIELD, changed("insert", 0, "Ada"))
    echoes.expect(FIELD, None, "Bea")
    assert not echoes.take("/org/a11y/atspi/accessible/12", changed("insert", 0, "Bea"))
    assert echoes.take(FIELD, changed("insert:system", 0, "Bea"))


def test_an_expectation_is_forgotten_on_request() -> None:
    echoes = Echoes()
    echoes.expect(FIELD, "", "Bea")
    echoes.forget(FIELD)
    assert not echoes.take(FIELD, changed("insert", 0, "Bea"))


def test_a_write_is_awaited_until_its_last_echo() -> None:
    echoes = Echoes()
    echoes.expect(FIELD, "Ada", "Bea")
    assert echoes.expecting(FIELD)
    echoes.take(FIELD, changed("delete", 0, "Ada"))
    assert echoes.expecting(FIELD)
    echoes.take(FIELD, changed("insert", 0, "Bea"))
    assert not echoes.expecting(FIELD)  # the writer wakes the loop to keep the write (no event is coming)


def test_a_write_sent_before_the_last_ones_echoes_came_expects_both() -> None:
    """GTK3 announced a write's insert only after the next write was sent: both writes' echoes are echoes,
    and the second deletes the text the first wrote (the model has not kept it yet)."""
    echoes = Echoes()
    echoes.expect(FIELD, "x", "F 2")
    assert echoes.take(FIELD, changed("delete", 0, "x"))
    echoes.expect(FIELD, "x", "Ada")  # the model still says "x": the field holds "F 2"
    assert echoes.take(FIELD, changed("insert", 0, "F 2"))
    assert echoes.take(FIELD, changed("delete", 0, "F 2"))
    assert echoes.expecting(FIELD)
    assert echoes.take(FIELD, changed("insert", 0, "Ada"))
    assert not echoes.expecting(FIELD)
