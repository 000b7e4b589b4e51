from __future__ import annotations

from collections.abc import Callable

import pytest

from deskhand.tree.match import Match, describe, find_all, nearest, positional_labels
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import State
from deskhand.tree.selector import Selector

Load = Callable[[str], Node]


def find(root: Node, text: str) -> list[Match]:
    return find_all(root, Selector.parse(text))


def names(matches: list[Match]) -> list[str]:
    return [describe(match.node) for match in matches]


def test_exact_name_ranks_before_substring(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    matches = find(tree, 'role=button[name="Save"]')
    assert names(matches) == ['button "Save"', 'button "Save"', 'button "Save As…"']
    assert [match.rank for match in matches] == [0, 0, 1]
    # Within a rank, document order: the main window's toolbar comes before the dialog.
    assert matches[0].window is not None and matches[0].window.name == "Untitled 1 - Mousepad"
    assert matches[1].window is not None and matches[1].window.name == "Save As"


def test_name_matching_ignores_case_mnemonics_and_ellipsis(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    assert names(find(tree, 'role=button[name="_save as"]')) == ['button "Save As…"']
    assert names(find(tree, 'role=button[name="  SAVE   as... "]')) == ['button "Save As…"']


def test_exact_requires_the_whole_name_with_case(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    assert names(find(tree, 'role=button[name="Save"][exact]')) == ['button "Save"', 'button "Save"']
    assert find(tree, 'role=button[name="save"][exact]') == []
    assert find(tree, 'role=button[name="Save As"][exact]') == []


def test_within_searches_only_below_the_scope(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    matches = find(tree, 'role=dialog[name="Save As"] >> role=button[name="Save"]')
    assert names(matches) == ['button "Save"']
    assert [node.role for node in matches[0].ancestors[:2]] == ["application", "dialog"]
    assert find(tree, "role=dialog >> role=dialog") == []
    assert find(tree, 'role=dialog[name="Nope"] >> role=button') == []


def test_nth_picks_one_match(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    assert names(find(tree, "role=listitem >> nth=1")) == ['listitem "Desktop"']
    assert names(find(tree, "role=listitem >> nth=-1")) == ['listitem "Other Locations"']
    assert find(tree, "role=listitem >> nth=10") == []


def test_states_must_all_be_present(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    rows = find(tree, "role=row[selected]")
    assert len(rows) == 1
    assert rows[0].node.children[0].name == "report.odt"
    assert names(find(tree, "role=textbox[focused]")) == ['textbox = "Untitled 1"']


def test_text_matches_name_value_or_placeholder(fixture_tree: Load) -> None:
    editor = fixture_tree("gtk_save_dialog")
    assert [m.node.role for m in find(editor, 'text="engine is ready"')] == ["textbox"]
    web = fixture_tree("web_form")
    phone = find(web, 'text="Phone number"')
    assert len(phone) == 1 and phone[0].node.placeholder == "Phone number"
    assert find(web, 'placeholder="phone"')[0].node is phone[0].node
    assert find(web, 'role=textbox[placeholder="you@example.com"]')[0].node.name == "Email"


def test_label_by_position_on_the_same_row(fixture_tree: Load) -> None:
    tree = fixture_tree("zenity_form")  # entries with no name and no LABELLED_BY relation
    name = find(tree, 'label="Name"')
    assert len(name) == 1 and name[0].node.has(State.FOCUSED)
    password = find(tree, 'role=textbox[label="Password"]')
    assert len(password) == 1 and password[0].node.has(State.PASSWORD)
    assert [m.node.role for m in find(tree, 'label="Plan"')] == ["combobox"]
    email = find(tree, 'label="Email:"')
    assert len(email) == 1 and email[0].node.bounds == Bounds(500, 282, 300, 28)


def test_label_by_position_above_and_by_relation(fixture_tree: Load) -> None:
    tree = fixture_tree("web_form")
    street = find(tree, 'label="Street"')
    assert len(street) == 1
    assert street[0].node.name == "" and street[0].node.labelled_by == ()
    assert street[0].node.bounds is not None and street[0].node.bounds.y > 0
    city = find(tree, 'role=textbox[label="City"]')
    assert len(city) == 1 and city[0].node is not street[0].node
    # Labelled by relation (and by its own name): one field, not the label node itself.
    assert names(find(tree, 'label="Email"')) == ['textbox "Email"']
    assert names(find(tree, 'role=combobox[label="country"]')) == ['combobox "Country" = "Germany"']


def test_label_substring_ranks_after_full(fixture_tree: Load) -> None:
    tree = fixture_tree("web_form")
    matches = find(tree, 'role=textbox[label="password"]')
    assert names(matches) == ['textbox "Password"', 'textbox "Confirm password"']
    assert [m.rank for m in matches] == [0, 1]


def test_a_heading_above_does_not_label_a_field_with_its_own_row_label(fixture_tree: Load) -> None:
    tree = fixture_tree("zenity_form")
    assert find(tree, 'label="Add a new contact"') == []
    assert sorted(name for found in positional_labels(tree).values() for name in found) == [
        "Email",
        "Name",
        "Password",
        "Plan",
    ]


def test_role_only_and_empty_selectors(fixture_tree: Load) -> None:
    tree = fixture_tree("zenity_form")
    assert names(find(tree, "role=button")) == ['button "Cancel"', 'button "OK"']
    assert len(find_all(tree, Selector())) == sum(1 for _ in tree.walk())


def test_large_table(fixture_tree: Load) -> None:
    tree = fixture_tree("big_table")
    assert names(find(tree, 'role=cell[name="Person 250"]')) == ['cell "Person 250"']
    assert len(find(tree, "role=row")) == 500
    assert names(find(tree, "role=row >> nth=499 >> role=cell >> nth=1")) == ['cell "person500@example.com"']


def test_nearest_offers_similar_names_of_related_roles_first(fixture_tree: Load) -> None:
    tree = fixture_tree("gtk_save_dialog")
    offered = nearest(tree, Selector.parse('role=button[name="Sve"]'), k=3)
    assert offered[0] == 'button "Save"'
    assert len(offered) == 3
    assert all(text.split()[0] in {"button", "menuitem", "link", "tab", "switch"} for text in offered)


def test_nearest_names_unnamed_fields_by_their_label(fixture_tree: Load) -> None:
    tree = fixture_tree("zenity_form")
    offered = nearest(tree, Selector.parse('role=textbox[label="Nmae"]'))
    assert offered[0] == 'textbox (label "Name")'


def test_nearest_without_role_keeps_only_close_names(fixture_tree: Load) -> None:
    tree = fixture_tree("zenity_form")
    assert nearest(tree, Selector.parse('text="Cancle"')) == ['button "Cancel"']
    assert nearest(tree, Selector.parse('text="zzzz"')) == []


@pytest.mark.parametrize(
    ("node", "text"),
    [
        (Node(ref="1", role="button", name="Save"), 'button "Save"'),
        (Node(ref="1", role="textbox", name="Email", value="a@b.c"), 'textbox "Email" = "a@b.c"'),
        (
            Node(ref="1", role="textbox", name="PIN", value="1234", states=frozenset({"password"})),
            'textbox "PIN" = "••••"',
        ),
        (Node(ref="1", role="separator"), "separator"),
    ],
)
def test_describe(node: Node, text: str) -> None:
    assert describe(node) == text


def test_a_label_wrapping_its_control_names_no_neighbour() -> None:
    """Gecko exposes ``<label>Colour <input type=color></label>`` as a label holding its control: the label
    must not also be guessed onto the button below it (a 'Colour' that matched 'Delete…' too)."""
    shown = frozenset({State.SHOWING, State.VISIBLE})
    well = Node(ref="well", role="button", name="Colour", states=shown, bounds=Bounds(70, 10, 50, 20))
    label = Node(
        ref="label", role="label", name="Colour", states=shown, bounds=Bounds(10, 10, 110, 20), children=(well,)
    )
    below = Node(ref="delete", role="button", name="Delete…", states=shown, bounds=Bounds(10, 40, 80, 20))
    page = Node(ref="page", role="document", states=shown, bounds=Bounds(0, 0, 400, 300), children=(label, below))
    assert positional_labels(page) == {}
    assert names(find_all(page, Selector(label="Colour"))) == ['button "Colour"']
