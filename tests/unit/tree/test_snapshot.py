from __future__ import annotations

from collections.abc import Callable

import pytest

from deskhand.errors import NoMatch
from deskhand.tree.node import Bounds, Node
from deskhand.tree.snapshot import RefTable, render, render_budgeted, snapshot_lines

Load = Callable[[str], Node]
SHOWN = frozenset({"visible", "showing", "enabled", "sensitive"})


def n(ref: str, role: str, name: str = "", *children: Node, **fields: object) -> Node:
    fields.setdefault("states", SHOWN)
    return Node(ref=ref, role=role, name=name, children=children, **fields)  # type: ignore[arg-type]


def add_contact(*extra: Node) -> Node:
    plan_menu = n(
        "menu",
        "menu",
        "",
        n("o1", "menuitem", "Basic"),
        n("o2", "menuitem", "Pro", states=SHOWN | {"selected"}),
        n("o3", "menuitem", "Enterprise"),
    )
    return n(
        "win",
        "window",
        "Add contact",
        n(
            "filler",
            "generic",
            "",
            n("name", "textbox", "Name", value="Ada", states=SHOWN | {"focused", "focusable"}),
            n("plan", "combobox", "Plan", plan_menu, value="Pro"),
            n("sub", "checkbox", "Subscribe", states=SHOWN | {"checked"}),
            n("submit", "button", "Submit"),
            *extra,
        ),
    )


def test_render_matches_the_documented_shape() -> None:
    assert render(add_contact(), RefTable()) == "\n".join(
        [
            '- window "Add contact" [e1]',
            '  - textbox "Name" [e2] = "Ada" focused',
            '  - combobox "Plan" [e3] = "Pro" (options: Basic | Pro | Enterprise)',
            '  - checkbox "Subscribe" [e4] checked',
            '  - button "Submit" [e5]',
        ]
    )


def test_refs_are_stable_and_new_elements_get_the_next_number() -> None:
    refs = RefTable()
    render(add_contact(), refs)
    again = render(add_contact(n("cancel", "button", "Cancel")), refs)
    assert '- button "Submit" [e5]' in again
    assert '- button "Cancel" [e6]' in again
    assert refs.resolve("e6") == "cancel"
    assert refs.resolve("[e2]") == "name"
    assert refs.lookup("submit") == "e5"
    assert "e6" in refs and len(refs) == 6
    with pytest.raises(NoMatch, match="e99"):
        refs.resolve("e99")


def test_hidden_nodes_and_their_subtrees_are_left_out() -> None:
    hidden = n("h", "group", "Advanced", n("hb", "button", "Deep"), states=frozenset({"enabled"}))
    gtk4 = n("g4", "button", "Visible only", states=frozenset({"visible", "enabled"}))
    text = render(add_contact(hidden, gtk4), RefTable())
    assert "Advanced" not in text and "Deep" not in text
    assert 'button "Visible only"' in text


def test_trees_without_visibility_states_hide_nothing() -> None:
    tree = Node(
        ref="w",
        role="window",
        name="W",
        children=(Node(ref="b", role="button", name="OK", states=frozenset({"checked"})),),
    )
    assert render(tree, RefTable()) == '- window "W" [e1]\n  - button "OK" [e2] checked'


def test_empty_and_offscreen_nodes_fold_but_their_onscreen_children_stay() -> None:
    window = n(
        "w",
        "window",
        "W",
        n(
            "zero",
            "group",
            "Zero",
            n("inside", "button", "Inside", bounds=Bounds(10, 10, 50, 20)),
            bounds=Bounds(0, 0, 0, 0),
        ),
        n("far", "button", "Far away", bounds=Bounds(10, 5000, 50, 20)),
        n("near", "button", "Near", bounds=Bounds(10, 40, 50, 20)),
        bounds=Bounds(0, 0, 800, 600),
    )
    text = render(window, RefTable())
    assert "Zero" not in text and "Far away" not in text
    assert '- button "Inside"' in text and '- button "Near"' in text
    assert text.endswith("  … 1 more controls offscreen (scroll to reach them)")


def test_unnamed_structure_folds_and_named_structure_stays() -> None:
    tree = n(
        "w",
        "window",
        "W",
        n("g1", "group", "", n("g2", "generic", "", n("b", "button", "OK"))),
        n("g3", "group", "Options", n("c", "checkbox", "Bold")),
    )
    assert render(tree, RefTable()).splitlines() == [
        '- window "W" [e1]',
        '  - button "OK" [e2]',
        '  - group "Options" [e3]',
        '    - checkbox "Bold" [e4]',
    ]


def test_long_lists_show_ten_rows_then_a_count_plus_the_selected_row() -> None:
    items = [
        n(f"i{i}", "listitem", f"Item {i}", states=SHOWN | ({"selected"} if i == 13 else set())) for i in range(15)
    ]
    text = render(n("w", "window", "W", n("l", "list", "Files", *items)), RefTable())
    assert 'listitem "Item 9"' in text and 'listitem "Item 10"' not in text
    assert 'listitem "Item 13" [e13] selected' in text
    assert text.endswith("    … 4 more rows")


def test_closed_menus_collapse_to_one_line() -> None:
    closed = n("m1", "menu", "File", n("new", "menuitem", "New"))
    opened = n("m2", "menu", "Edit", n("undo", "menuitem", "Undo"), states=SHOWN | {"expanded"})
    text = render(n("w", "window", "W", n("bar", "menubar", "", closed, opened)), RefTable())
    assert 'menu "File"' in text and "New" not in text
    assert 'menu "Edit" [e4] expanded' in text and 'menuitem "Undo"' in text


def test_passwords_placeholders_and_disabled_controls() -> None:
    secret = n("pw", "textbox", "PIN", value="1234", states=SHOWN | {"password"})
    search = n("s", "textbox", "", value="", attributes={"placeholder-text": "Search"})
    off = n("off", "button", "Send", states=frozenset({"visible", "showing"}))
    text = render(add_contact(secret, search, off), RefTable())
    assert 'textbox "PIN" [e6] = "••••"' in text and "1234" not in text
    assert 'textbox [e7] = "" placeholder "Search"' in text
    assert 'button "Send" [e8] disabled' in text


def test_unnamed_fields_are_named_by_their_label(fixture_tree: Load) -> None:
    text = render(fixture_tree("zenity_form"), RefTable())
    assert 'textbox (label "Name") [e5] = "" focused' in text
    assert 'combobox (label "Plan") [e11] = "Basic" (options: Basic | Pro | Enterprise)' in text


def test_max_lines_cuts_and_says_how_much() -> None:
    text = render(add_contact(), RefTable(), max_lines=2)
    assert text.splitlines() == [
        '- window "Add contact" [e1]',
        '  - textbox "Name" [e2] = "Ada" focused',
        "… 3 more lines",
    ]


def test_big_table_stays_small(fixture_tree: Load) -> None:
    text = render(fixture_tree("big_table"), RefTable())
    assert text.count("- row ") == 10
    assert "      … 490 more rows" in text
    assert len(text) < 3000


def test_web_form_reports_what_is_below_the_fold(fixture_tree: Load) -> None:
    text = render(fixture_tree("web_form"), RefTable())
    assert "Referral code" not in text  # hidden
    assert 'textbox "Password" [e14] = "" required' in text
    assert "… 11 more controls offscreen" in text


def test_budgeted_render_under_budget_is_the_plain_render(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    assert render_budgeted(tree, RefTable(), 100_000) == render(tree, RefTable())


def test_budgeted_render_keeps_focus_changes_and_context(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    refs = RefTable()
    full = render(tree, refs)
    checkbox_ref = next(line.ref for line in snapshot_lines(tree, refs) if "Show hidden files" in line.text)
    text = render_budgeted(tree, refs, 400, keep={checkbox_ref})
    lines = text.splitlines()
    assert len(text) < len(full)
    assert lines[-1].startswith("… ") and lines[-1].endswith(" lines pruned")
    assert any("focused" in line for line in lines)
    assert any("Show hidden files" in line for line in lines)
    assert any(line.startswith('  - dialog "Save As"') for line in lines)
    # Interactive elements outlive plain structure: every kept line after pruning is in the full render.
    assert all(line in full.splitlines() for line in lines[:-1])


def test_budgeted_drops_text_before_controls() -> None:
    labels = [n(f"l{i}", "label", f"Some explanatory label number {i}") for i in range(10)]
    tree = add_contact(*labels)
    full = render(tree, RefTable())
    text = render_budgeted(tree, RefTable(), len(full) - 50)
    assert 'button "Submit"' in text and "Some explanatory label number 9" not in text
