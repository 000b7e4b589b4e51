"""Every form of the step language, with variants in case, quotes and punctuation."""

from __future__ import annotations

import pytest

from deskhand.workflows import (
    Choose,
    Click,
    Close,
    ExpectField,
    ExpectText,
    OpenApp,
    OpenUrl,
    Press,
    Read,
    SaveAs,
    SetChecked,
    StepAction,
    SwitchTo,
    Target,
    TypeText,
    WaitFor,
    normalise_chord,
    parse_step,
)

FORMS: list[tuple[str, StepAction]] = [
    ("Open mousepad", OpenApp("mousepad")),
    ("open Mousepad.", OpenApp("Mousepad")),
    ('Launch "Text Editor"', OpenApp("Text Editor")),
    ("Open http://127.0.0.1:8765/new in the browser", OpenUrl("http://127.0.0.1:8765/new")),
    ("open HTTPS://example.com in browser.", OpenUrl("HTTPS://example.com")),
    ("Go to example.com/login", OpenUrl("example.com/login")),
    ("Navigate to {start_url}", OpenUrl("{start_url}")),
    ("Open https://example.com", OpenUrl("https://example.com")),
    ('Switch to "Untitled - Mousepad"', SwitchTo("Untitled - Mousepad")),
    ("switch to Calculator", SwitchTo("Calculator")),
    ('Click "Save contact"', Click(Target("Save contact"))),
    ("click save.", Click(Target("save"))),
    ("CLICK ON “Save”", Click(Target("Save"))),
    ("Click ‘Save’", Click(Target("Save"))),
    ("Click 'Don't save'", Click(Target("Don't save"))),
    ('Click the "Save" button', Click(Target("Save"))),
    ('Click "OK" in "Save As"', Click(Target("OK", "Save As"))),
    ('Click the "OK" button in the "Save As" dialog.', Click(Target("OK", "Save As"))),
    ("Click OK in Save As", Click(Target("OK", "Save As"))),
    ("Click Sign in", Click(Target("Sign in"))),
    ('Double-click "report.txt"', Click(Target("report.txt"), "left", 2)),
    ("double click report.txt", Click(Target("report.txt"), "left", 2)),
    ('Right-click "Item 3"', Click(Target("Item 3"), "right", 1)),
    ("right click Item", Click(Target("Item"), "right", 1)),
    ('Press "Submit"', Click(Target("Submit"))),
    ('Type "{name}" into "Full name"', TypeText("{name}", Target("Full name"))),
    ("type hello into Name", TypeText("hello", Target("Name"))),
    ('Type "a in b" into "Notes" in "Form"', TypeText("a in b", Target("Notes", "Form"))),
    ('Fill "Email" with "{email}"', TypeText("{email}", Target("Email"))),
    ('fill in the "Email" field with "x@y.z"', TypeText("x@y.z", Target("Email"))),
    ('Enter "42" in "Seats"', TypeText("42", Target("Seats"))),
    ('Type "Hello, world."', TypeText("Hello, world.", None)),
    ('Type "{secret:crm_password}" into "Password"', TypeText("{secret:crm_password}", Target("Password"))),
    ('Choose "{plan}" in "Plan"', Choose("{plan}", Target("Plan"))),
    ("select Pro from Plan", Choose("Pro", Target("Plan"))),
    ('Pick "Pro" from the "Plan" dropdown in "Settings"', Choose("Pro", Target("Plan", "Settings"))),
    ('Check "Subscribe"', SetChecked(Target("Subscribe"), True)),
    ("tick the Subscribe checkbox", SetChecked(Target("Subscribe"), True)),
    ("Uncheck 'Remember me'", SetChecked(Target("Remember me"), False)),
    ('uncheck "Bold" in "Format"', SetChecked(Target("Bold", "Format"), False)),
    ("Press Ctrl+S", Press("Ctrl+S")),
    ("press ctrl + shift + s.", Press("Ctrl+Shift+S")),
    ("Press shift+ctrl+S", Press("Ctrl+Shift+S")),
    ("Press the Enter key", Press("Enter")),
    ("hit esc", Press("Escape")),
    ("Press Alt-F4", Press("Alt+F4")),
    ('Wait until "Contact saved" appears within 5 seconds', WaitFor("Contact saved", True, 5.0)),
    ("wait until Saved appears", WaitFor("Saved", True, None)),
    ('Wait for "Loading" to disappear', WaitFor("Loading", False, None)),
    ('Wait until "Loading" disappears within 2 minutes', WaitFor("Loading", False, 120.0)),
    ('wait for "Done" within 500ms', WaitFor("Done", True, 0.5)),
    ('Read "Total" as total', Read(Target("Total"), "total")),
    ('read "Total" in "Invoice" as {total}', Read(Target("Total", "Invoice"), "total")),
    ('Expect "Total" to show "42"', ExpectField(Target("Total"), "42", False)),
    ('expect "Notes" to contain "bob"', ExpectField(Target("Notes"), "bob", True)),
    ('Verify that "Total" in "Invoice" shows "42"', ExpectField(Target("Total", "Invoice"), "42", False)),
    ('Expect "Total" in "Invoice" to show "42"', ExpectField(Target("Total", "Invoice"), "42", False)),
    ('Expect "Contact saved" to appear', ExpectText("Contact saved", True)),
    ('expect "Error" to disappear.', ExpectText("Error", False)),
    ('Save the file as "/tmp/{name}.txt"', SaveAs("/tmp/{name}.txt")),
    ("save as notes.txt", SaveAs("notes.txt")),
    ('Verify that "Saved" appears', ExpectText("Saved", True)),
    ('check that "Error" is gone', ExpectText("Error", False)),
    ('Check that "Total" shows "5"', ExpectField(Target("Total"), "5", False)),
    ('Turn on "Wi-Fi"', SetChecked(Target("Wi-Fi"), True)),
    ('Save it as "a.txt"', SaveAs("a.txt")),
    ("Quit Mousepad", Close("Mousepad")),
    ("Press Win+E", Press("Super+E")),
    ('Wait for "X" for up to 2 minutes', WaitFor("X", True, 120.0)),
    ('Close "Save As"', Close("Save As")),
    ("close the window", Close(None)),
    ("Close Mousepad", Close("Mousepad")),
]


@pytest.mark.parametrize(("sentence", "expected"), FORMS, ids=[s for s, _ in FORMS])
def test_each_form_parses_to_its_action(sentence: str, expected: StepAction) -> None:
    assert parse_step(sentence) == expected


@pytest.mark.parametrize(("sentence", "expected"), FORMS, ids=[s for s, _ in FORMS])
def test_the_canonical_sentence_reads_back_as_the_same_action(sentence: str, expected: StepAction) -> None:
    assert parse_step(expected.sentence()) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Tap on Save",
        "Log in with the admin account",
        "Open the File menu",
        "Check that the invoice looks right",
        "Click Log in in Main",  # two ways to read it: the person must quote
        'Type "a" into "b',  # a quote left open
        "Wait for the page to load",
        "Read the total as 3x",
        "",
        "   ",
        "Click",
        'Click "" ',
        "Press Ctrl+Ctrl+S",
    ],
)
def test_sentences_outside_the_language_are_free_form(sentence: str) -> None:
    assert parse_step(sentence) is None


def test_mutation_and_targets_are_classified_for_the_policy_layer() -> None:
    click = parse_step('Click "OK" in "Save As"')
    read = parse_step('Read "Total" as total')
    typed = parse_step('Type "{name}" into "Name"')
    assert click is not None and click.mutates and click.targets() == (Target("OK", "Save As"),)
    assert read is not None and not read.mutates and read.targets() == (Target("Total"),)
    assert typed is not None and typed.templates() == ("{name}", "Name")
    for sentence, mutates in [
        ("Open mousepad", False),
        ("Open https://x.org", False),
        ('Wait until "X" appears', False),
        ('Expect "X" to appear', False),
        ("Press Ctrl+S", True),
        ('Save the file as "a.txt"', True),
        ('Check "A"', True),
        ('Choose "A" in "B"', True),
        ("Close the window", True),
    ]:
        action = parse_step(sentence)
        assert action is not None and action.mutates is mutates, sentence
    assert parse_step('Expect "X" to appear') is not None
    assert parse_step("Press Ctrl+S").targets() == ()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("ctrl+s", "Ctrl+S"),
        ("Shift + Ctrl + s", "Ctrl+Shift+S"),
        ("super+alt+ctrl+shift+t", "Ctrl+Alt+Shift+Super+T"),
        ("control-alt-delete", "Ctrl+Alt+Delete"),
        ("return", "Enter"),
        ("Page Down", "PageDown"),
        ("f12", "F12"),
        ("Ctrl++", "Ctrl++"),
        ("cmd+q", "Super+Q"),
    ],
)
def test_key_chords_normalise_to_one_spelling(written: str, canonical: str) -> None:
    assert normalise_chord(written) == canonical


@pytest.mark.parametrize("written", ["Save", "ctrl+", "ctrl+alt", "F25", "ctrl+ctrl+s", ""])
def test_non_chords_are_refused(written: str) -> None:
    assert normalise_chord(written) is None


def test_press_exposes_modifiers_and_key() -> None:
    assert Press("Ctrl+Shift+S").modifiers == ("Ctrl", "Shift")
    assert Press("Ctrl+Shift+S").key == "S"
    assert Press("Ctrl++").key == "+"
    assert Press("Enter").modifiers == ()
