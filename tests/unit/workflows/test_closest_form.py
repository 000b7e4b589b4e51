from __future__ import annotations

import pytest

from deskhand.workflows import closest_form, parse_step


@pytest.mark.parametrize(
    ("sentence", "suggestion"),
    [
        ("Tap on Save", 'Click "Save"'),
        ("put bob in Name", 'Type "bob" into "Name"'),
        ("clik the Save button", 'Click "Save"'),
        ("tpye hello into Name", 'Type "hello" into "Name"'),
        ("tap OK in Save As", 'Click "OK" in "Save As"'),
        ("set Name to bob", 'Type "bob" into "Name"'),
        ("pick Pro for plan", 'Choose "Pro" in "plan"'),
        ("tick Remember me", 'Check "Remember me"'),
        ("hit ctrl s", "Press Ctrl+S"),
        ("Wait 2 seconds", 'Wait until "…" appears within 2 seconds'),
        ("wait for the spinner to go away", 'Wait until "spinner" disappears'),
        ("Make sure the total is 5", 'Expect "total" to show "5"'),
        ("Copy the total into total", 'Read "total" as total'),
        ("launch the calculator", "Open calculator"),
        ("Open the File menu", 'Click "File"'),
        ("browse to example.com", "Open example.com in the browser"),
        ("save it to /tmp/a.txt", 'Save the file as "/tmp/a.txt"'),
        ("quit Mousepad", 'Close "Mousepad"'),
        ("Click Log in in Main", 'Click "Log in" in "Main"'),
        # Already in the language: the canonical form.
        ("click save.", 'Click "save"'),
    ],
)
def test_closest_form_fills_the_nearest_form_with_the_sentences_words(sentence: str, suggestion: str) -> None:
    assert closest_form(sentence) == suggestion


@pytest.mark.parametrize("sentence", ["Tap on Save", "put bob in Name", "tick Remember me", "hit ctrl s"])
def test_the_suggestion_is_itself_in_the_language(sentence: str) -> None:
    suggestion = closest_form(sentence)
    assert suggestion is not None and parse_step(suggestion) is not None


def test_a_sentence_far_from_every_form_gets_no_suggestion() -> None:
    assert closest_form("Frobnicate the widget thoroughly") is None
    assert closest_form("Do something clever") is None
    assert closest_form("") and closest_form('"')


def test_a_misspelt_verb_is_still_close() -> None:
    suggestion = closest_form('Wiat until "Text" apears within 5 seconds')
    assert suggestion is not None and suggestion.startswith('Wait until "Text')
    assert parse_step(suggestion) is not None
