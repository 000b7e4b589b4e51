"""What a step's target is, decided in one place (runner.targets): a text field is clicked by its name or
label, never by the text typed in it — for the step itself, its fail-fast wait, and heals and suggestions
that verify a sentence by resolving it."""

from __future__ import annotations

import pytest
from repair_apps import SHOWN, n

from deskhand.backends.fake import FakeBackend
from deskhand.errors import NoMatch, UnexpectedDialog
from deskhand.locate.desktop import Desktop
from deskhand.runner.targets import find_target, names


def _browser() -> Desktop:
    bar = n("bar", "textbox", "Address and search bar", value="http://127.0.0.1:8000/tools")
    search = n("search", "searchbox", "Find a report")
    return Desktop(FakeBackend({"Chromium": n("win", "window", "Report", bar, search, n("rep", "button", "Report"))}))


def test_the_text_typed_in_a_field_does_not_make_it_a_click_target() -> None:
    with pytest.raises(NoMatch, match="Nothing called 'tools'"):
        find_target(_browser().app("Chromium"), "click", "tools", timeout=0)


def test_a_field_is_still_clicked_by_its_name() -> None:
    found, _ = find_target(_browser().app("Chromium"), "click", "Find a report", timeout=0)
    assert found.ref == "search"


def test_only_clicks_are_judged_so() -> None:
    bar = n("bar", "textbox", "Address", value="tools")
    assert not names("click", "tools", bar)
    assert names("click", "Address", bar)
    assert names("type_text", "tools", bar)
    assert names("click", "tools", n("b", "button", "Tools"))


def _sheet_with_format_cells_open() -> Desktop:
    """A toolbar's 'Percent' button and 'Font Color' behind a modal dialog holding a 'Percent' row and a
    'Font' tab (LibreOffice's Format Cells over Calc)."""
    toolbar = n("tb", "toolbar", "", n("pct", "button", "Percent"), n("color", "button", "Font Color"))
    modal = frozenset({*SHOWN, "modal"})
    dialog = n("dlg", "dialog", "Format Cells", n("tab", "tab", "Font"), n("row", "cell", "Percent"), states=modal)
    return Desktop(
        FakeBackend({"soffice": n("app", "application", "soffice", n("win", "frame", "Calc", toolbar), dialog)})
    )


def test_with_a_modal_dialog_open_the_target_is_looked_for_in_the_dialog() -> None:
    scope = _sheet_with_format_cells_open().app("soffice")
    assert find_target(scope, "click", "Percent", timeout=0)[0].ref == "row"  # not the button behind it
    assert find_target(scope, "click", "Font", timeout=0)[0].ref == "tab"  # not 'Font Color' behind it


def test_a_target_only_behind_the_modal_dialog_names_the_dialog() -> None:
    with pytest.raises(
        UnexpectedDialog, match="'Format Cells' of soffice is open and in the way of finding 'Font Color'"
    ):
        find_target(_sheet_with_format_cells_open().app("soffice"), "click", "Font Color", timeout=0)


def _calc_with_bold_in_a_closed_menu_and_on_the_toolbar() -> Desktop:
    """Calc: "Bold" is a check item of the closed Format > Text menu and a toggle shown on the toolbar."""
    hidden = frozenset({"enabled", "sensitive"})
    text_menu = n("text", "menu", "Text", n("item", "menuitemcheckbox", "Bold", states=hidden), states=hidden)
    bar = n("bar", "menubar", "", n("format", "menu", "Format", text_menu))
    toolbar = n("tb", "toolbar", "", n("bold", "button", "Bold"))
    return Desktop(
        FakeBackend({"soffice": n("app", "application", "soffice", n("win", "frame", "Calc", bar, toolbar))})
    )


def test_a_shown_toggle_is_turned_on_rather_than_an_item_of_a_closed_menu() -> None:
    scope = _calc_with_bold_in_a_closed_menu_and_on_the_toolbar().app("soffice")
    assert find_target(scope, "set_checked", "Bold", timeout=0)[0].ref == "bold"


def test_an_item_of_a_closed_menu_is_still_found_when_nothing_shown_has_the_name() -> None:
    hidden = frozenset({"enabled", "sensitive"})
    menu = n("m", "menu", "View", n("wrap", "menuitemcheckbox", "Word Wrap", states=hidden), states=hidden)
    app = n("app", "application", "mousepad", n("win", "frame", "Mousepad", n("bar", "menubar", "", menu)))
    scope = Desktop(FakeBackend({"mousepad": app})).app("mousepad")
    assert find_target(scope, "set_checked", "Word Wrap", timeout=0)[0].ref == "wrap"


def test_an_item_of_a_menu_still_opening_outranks_a_hidden_button_that_only_contains_its_words() -> None:
    # GTK3's widget factory: "About" in the Help menu (just clicked open, not yet shown) and a closed
    # popover's "About Widget Factory" button; the click is meant for the menu's item.
    hidden = frozenset({"enabled", "sensitive"})
    help_menu = n("help", "menu", "Help", n("about", "menuitem", "About", states=hidden))
    popover = n("pop", "panel", "", n("factory", "button", "About Widget Factory", states=hidden), states=hidden)
    window = n("win", "frame", "Widget Factory", n("bar", "menubar", "", help_menu), popover)
    scope = Desktop(FakeBackend({"factory": n("app", "application", "factory", window)})).app("factory")
    assert find_target(scope, "click", "About", timeout=0)[0].ref == "about"


def test_a_step_in_the_question_on_top_is_not_blocked_by_the_dialog_beneath_it() -> None:
    # LibreOffice's Document Recovery, then its "Are you sure?" alert on top: `Click "Yes" in "Question"`.
    modal = frozenset({*SHOWN, "modal"})
    # LibreOffice leaves the Recovery active (no window manager); the question it opened comes after it.
    recovery = n("rec", "dialog", "Document Recovery", n("discard", "button", "Discard"), states={*modal, "active"})
    question = n("q", "alert", "Question", n("no", "button", "No"), n("yes", "button", "Yes"), states=modal)
    desktop = Desktop(FakeBackend({"soffice": n("app", "application", "soffice", recovery, question)}))
    assert find_target(desktop.app("soffice").window("Question"), "click", "Yes", timeout=0)[0].ref == "yes"
    with pytest.raises(UnexpectedDialog, match="'Question' of soffice is open and in the way of finding 'Discard'"):
        find_target(desktop.app("soffice").window("Document Recovery"), "click", "Discard", timeout=0)
