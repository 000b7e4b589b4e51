from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deskhand.errors import SelectorSyntaxError
from deskhand.tree.roles import Role, State
from deskhand.tree.selector import Selector


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('role=button[name="Save"]', Selector(role="button", name="Save")),
        ('role=textbox[label="Email"]', Selector(role="textbox", label="Email")),
        ('role=button[name="Save"][exact]', Selector(role="button", name="Save", exact=True)),
        ('text="Hello"', Selector(text="Hello")),
        ('label="Email"', Selector(label="Email")),
        ("role=checkbox[checked]", Selector(role="checkbox", states=frozenset({"checked"}))),
        ("role=listitem >> nth=2", Selector(role="listitem", nth=2)),
        ("role=listitem >> nth=-1", Selector(role="listitem", nth=-1)),
        (
            'role=dialog[name="Save As"] >> role=button[name="Save"]',
            Selector(role="button", name="Save", within=Selector(role="dialog", name="Save As")),
        ),
        ("text=Hello world", Selector(text="Hello world")),
        ("role = button [ name = 'It\\'s' ]", Selector(role="button", name="It's")),
        ("role=entry", Selector(role="textbox")),
        ('*[placeholder="Search"]', Selector(placeholder="Search")),
    ],
)
def test_parse_examples(text: str, expected: Selector) -> None:
    assert Selector.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'role=button[name="Save"]',
        'role=button[name="Save"][exact]',
        'text="Hello"',
        "role=checkbox[checked]",
        "role=listitem >> nth=2",
        'role=dialog[name="Save As"] >> role=button[name="Save"]',
        'role=dialog >> nth=0 >> role=textbox[label="Name"][focused] >> nth=1',
        'name="say \\"hi\\""',
        "*",
    ],
)
def test_str_is_canonical_and_round_trips(text: str) -> None:
    assert str(Selector.parse(text)) == text


def test_scoped_to_attaches_beneath_existing_scopes() -> None:
    inner = Selector.parse('role=group >> role=button[name="OK"]')
    scoped = inner.scoped_to(Selector(role="dialog"))
    assert str(scoped) == 'role=dialog >> role=group >> role=button[name="OK"]'


def _error(text: str) -> SelectorSyntaxError:
    with pytest.raises(SelectorSyntaxError) as caught:
        Selector.parse(text)
    return caught.value


def test_unclosed_quote_names_column_and_fix() -> None:
    error = _error('role=button[name="Save]')
    assert "column 18" in error.message
    assert "never closed" in error.message
    assert 'name="…"' in error.hint


def test_unknown_role_suggests_the_nearest() -> None:
    error = _error("role=buton")
    assert "column 6" in error.message
    assert "unknown role 'buton'" in error.message
    assert "role=button" in error.hint


def test_unknown_attribute_suggests_the_nearest() -> None:
    error = _error('role=button[nmae="Save"]')
    assert "column 13" in error.message
    assert "'name'" in error.hint


def test_unknown_flag_lists_states() -> None:
    error = _error("role=checkbox[chekced]")
    assert "'checked'" in error.hint


@pytest.mark.parametrize(
    "text",
    ["", "   ", "role=button >>", "nth=1", "role=button >> nth=", "role=button name", 'role=button[name="a"', "role="],
)
def test_malformed_text_raises_selector_syntax_error(text: str) -> None:
    _error(text)


def test_constructor_validates_role_and_states() -> None:
    with pytest.raises(SelectorSyntaxError, match="Unknown role"):
        Selector(role="butten")
    with pytest.raises(SelectorSyntaxError, match="Unknown state"):
        Selector(states=frozenset({"pressedd"}))
    assert Selector(role=Role.BUTTON).role == "button"
    assert type(Selector(role=Role.BUTTON).role) is str


_texts = st.text(min_size=0, max_size=20)
_parts = st.builds(
    Selector,
    role=st.none() | st.sampled_from([role.value for role in Role]),
    name=st.none() | _texts,
    label=st.none() | _texts,
    text=st.none() | _texts,
    placeholder=st.none() | _texts,
    exact=st.booleans(),
    nth=st.none() | st.integers(-5, 50),
    states=st.frozensets(st.sampled_from([state.value for state in State]), max_size=3),
)
_selectors = st.recursive(
    _parts,
    lambda inner: st.builds(lambda scope, part: part.scoped_to(scope), inner, _parts),
    max_leaves=3,
)


@given(_selectors)
def test_parse_of_str_round_trips(selector: Selector) -> None:
    assert Selector.parse(str(selector)) == selector


@given(st.text(max_size=40))
def test_parse_raises_only_selector_syntax_error(text: str) -> None:
    try:
        Selector.parse(text)
    except SelectorSyntaxError:
        pass


@given(
    st.lists(st.sampled_from(["role=", "button", "[", "]", '"', "'", ">>", "nth=", "name=", "=", " ", "x", "\\", "*"]))
)
def test_parse_survives_selector_shaped_noise(tokens: list[str]) -> None:
    try:
        Selector.parse("".join(tokens))
    except SelectorSyntaxError:
        pass
