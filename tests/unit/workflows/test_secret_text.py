"""Secret references are tracked as taint: only the author's own text makes them; data never does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskhand.errors import WorkflowError
from deskhand.workflows.interpolate import compose
from deskhand.workflows.secret_text import SecretRef, SecretText, secret_names, with_secrets


def test_a_value_that_reads_like_a_secret_reference_is_literal() -> None:
    text = compose('Type "{note}" then {secret:pin}', {"note": "my pin is {secret:pin}"})
    assert text == 'Type "my pin is {secret:pin}" then {secret:pin}'
    assert text.parts == ('Type "my pin is {secret:pin}" then ', SecretRef("pin"))
    assert text.expand(lambda name: "1234") == 'Type "my pin is {secret:pin}" then 1234'


def test_escapes_and_unknown_names() -> None:
    assert compose("{{secret:pin}}", {}).parts == ("{secret:pin}",)
    with pytest.raises(WorkflowError, match="no value"):
        compose("{nope}", {})


def test_only_allowed_references_are_secrets() -> None:
    text = compose("{secret:a} {secret:b}", {}, secrets=lambda name: name == "a")
    assert text.secret_names == ("a",) and text == "{secret:a} {secret:b}"
    assert with_secrets("x {secret:a} {b}", lambda name: False).parts == ("x {secret:a} {b}",)


def test_a_plain_string_names_no_secret() -> None:
    assert secret_names("{secret:pin}") == ()
    assert secret_names(with_secrets("{secret:pin}")) == ("pin",)
    assert type(with_secrets("{secret:pin}").upper()) is str  # a changed text loses its references


@given(st.text(), st.dictionaries(st.from_regex(r"[a-z]{1,5}", fullmatch=True), st.text(), max_size=3))
def test_no_value_ever_adds_a_reference(template: str, values: dict[str, str]) -> None:
    """Whatever the values hold, the references are exactly those of the template itself."""
    try:
        authored = compose(template, {})
    except WorkflowError:
        return  # the template uses a {name}; covered below
    assert authored.secret_names == compose(template, values).secret_names


@given(st.text(alphabet="{}secrt:pin ab"))
def test_values_with_braces_stay_literal(value: str) -> None:
    text = compose("{v}", {"v": value})
    assert isinstance(text, SecretText) and text.parts in ((), (value,)) and text.secret_names == ()
