from __future__ import annotations

from dataclasses import replace

from deskhand.tree.diff import diff_snapshots, ref_of
from deskhand.tree.node import Node
from deskhand.tree.snapshot import RefTable, render

OLD = """- window "Add contact" [e1]
  - textbox "Name" [e2] = "" focused
  - checkbox "Subscribe" [e3]
  - button "Submit" [e4]
  … 3 more rows"""

NEW = """- window "Add contact" [e1]
  - textbox "Name" [e2] = "Ada"
  - checkbox "Subscribe" [e3]
  - button "Submit" [e4] focused
  - alert "Saved" [e5]
  … 2 more rows"""


def test_diff_keys_lines_by_ref_and_compares_the_rest_by_content() -> None:
    diff = diff_snapshots(OLD, NEW)
    assert diff.added == ('alert "Saved" [e5]', "… 2 more rows")
    assert diff.removed == ("… 3 more rows",)
    assert diff.changed == (
        ('textbox "Name" [e2] = "" focused', 'textbox "Name" [e2] = "Ada"'),
        ('button "Submit" [e4]', 'button "Submit" [e4] focused'),
    )
    assert diff.touched_refs == frozenset({"e2", "e4", "e5"})
    assert diff.render().splitlines() == [
        '+ alert "Saved" [e5]',
        "+ … 2 more rows",
        "- … 3 more rows",
        '~ textbox "Name" [e2] = "Ada"',
        '~ button "Submit" [e4] focused',
    ]


def test_identical_snapshots_and_moved_lines_make_no_diff() -> None:
    assert diff_snapshots(OLD, OLD).empty
    indented_differently = OLD.replace('  - checkbox "Subscribe" [e3]', '      - checkbox "Subscribe" [e3]')
    assert diff_snapshots(OLD, indented_differently).empty
    assert diff_snapshots("", "").render() == ""


def test_removed_element() -> None:
    diff = diff_snapshots(OLD, OLD.replace('  - button "Submit" [e4]\n', ""))
    assert diff.removed == ('button "Submit" [e4]',) and not diff.added and not diff.changed


def test_diff_of_real_renders_with_one_ref_table() -> None:
    box = Node(ref="t", role="textbox", name="Name", value="")
    tree = Node(ref="w", role="window", name="W", children=(box,))
    refs = RefTable()
    before = render(tree, refs)
    after = render(replace(tree, children=(replace(box, value="Ada"),)), refs)
    assert diff_snapshots(before, after).render() == '~ textbox "Name" [e2] = "Ada"'
    assert ref_of('button "OK" [e12] focused') == "e12" and ref_of("… 2 more rows") == ""
