"""page.js sends a row's states as bits of its STATE_WORDS; page_mirror.py reads them with its own copy of the list."""

from __future__ import annotations

import re
from importlib import resources

from deskhand.backends.browser.page_mirror import PageMirror
from deskhand.backends.browser.page_rows import STATE_WORDS


def test_page_py_reads_state_bits_in_the_order_page_js_sets_them() -> None:
    script = resources.files("deskhand.backends.browser").joinpath("page.js").read_text()
    declared = re.search(r"const STATE_WORDS = \[([^\]]*)\];", script)
    assert declared is not None
    assert tuple(re.findall(r"'([a-z]+)'", declared.group(1))) == STATE_WORDS


def test_every_state_page_js_sets_is_a_word_of_the_list() -> None:
    script = resources.files("deskhand.backends.browser").joinpath("page.js").read_text()
    assert set(re.findall(r"\bS\.([a-z]+)", script)) <= set(STATE_WORDS)


def test_bits_become_the_states_they_stand_for() -> None:
    page = PageMirror("T1", "chromium")
    bits = 1 << STATE_WORDS.index("focused") | 1 << STATE_WORDS.index("password")
    assert page.states(bits) == frozenset({"focused", "password"})
    assert page.states(0) == frozenset()
