"""What every Backend must do, checked the same way on each (see conftest.py for the subjects).

Applications with windows, the shape of a snapshot, refs that stay the same, refresh of one element,
set_text and set_checked that read back, a version that moves, and NodeGone for a ref that names nothing.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from contract_subjects import WINDOW_TITLE, Subject

from deskhand.backends.base import AppInfo, Backend
from deskhand.errors import NodeGone
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

ROLES = {role.value for role in Role}
STATES = {state.value for state in State}


def the_app(subject: Subject) -> AppInfo:
    found = [app for app in subject.backend.applications() if app.name == subject.app_name]
    assert len(found) == 1, f"{subject.app_name} not listed once in {subject.backend.applications()}"
    return found[0]


def find(root: Node, role: str, name: str) -> Node:
    found = [node for node in root.walk() if node.role == role and node.name == name]
    assert len(found) == 1, f"{role} {name!r}: {len(found)} found"
    return found[0]


def settle(backend: Backend, holds: object, timeout: float = 2.0) -> None:
    """Live backends learn of changes from events a moment later; the fake knows at once."""
    deadline = time.monotonic() + timeout
    while not holds() and time.monotonic() < deadline:  # type: ignore[operator]
        backend.wait_for_change(0.05)


def test_applications_describe_the_app_and_its_windows(subject: Subject) -> None:
    app = the_app(subject)
    assert app.ref and isinstance(app.pid, int) and isinstance(app.toolkit, str)
    root = subject.backend.snapshot(app.ref)
    children = {child.ref: child for child in root.children}
    for window in app.windows:
        assert window.ref in children, "a listed window is a top-level child of the app's tree"
        assert window.title == children[window.ref].name
        assert window.bounds is None or isinstance(window.bounds, Bounds)


def test_snapshot_shape(subject: Subject) -> None:
    app = the_app(subject)
    root = subject.backend.snapshot(app.ref)
    assert root.role == Role.APPLICATION
    assert root.ref == app.ref
    nodes = list(root.walk())
    refs = Counter(node.ref for node in nodes)
    assert not [ref for ref, seen in refs.items() if seen > 1], "refs are unique within a snapshot"
    for node in nodes:
        assert node.role in ROLES, f"{node.role!r} is not in the neutral vocabulary"
        assert node.states <= STATES, f"{node.states - STATES} are not neutral states"
        assert node.bounds is None or isinstance(node.bounds, Bounds)
        assert all(isinstance(child, Node) for child in node.children)
    window = find(root, root.children[0].role, WINDOW_TITLE)
    assert {"textbox", "combobox", "spinbutton", "checkbox", "button"} <= {n.role for n in window.walk()}
    assert find(root, Role.BUTTON, "Submit").bounds is not None


def test_refs_are_stable_across_snapshots(subject: Subject) -> None:
    app = the_app(subject)
    first = [node.ref for node in subject.backend.snapshot(app.ref).walk()]
    second = [node.ref for node in subject.backend.snapshot(app.ref).walk()]
    assert first == second


def test_refresh_reads_one_element(subject: Subject) -> None:
    app = the_app(subject)
    button = find(subject.backend.snapshot(app.ref), Role.BUTTON, "Submit")
    fresh = subject.backend.refresh(button.ref)
    assert (fresh.ref, fresh.role, fresh.name) == (button.ref, button.role, button.name)
    assert State.ENABLED in fresh.states


def test_set_text_reads_back(subject: Subject) -> None:
    backend = subject.backend
    app = the_app(subject)
    field = find(backend.snapshot(app.ref), Role.TEXTBOX, "Email")
    before = backend.version()
    backend.set_text(field.ref, "contract@example.org")
    assert backend.refresh(field.ref).value == "contract@example.org"
    settle(backend, lambda: backend.version() != before)
    assert backend.version() != before, "the version moves when a tree changes"
    settle(backend, lambda: find(backend.snapshot(app.ref), Role.TEXTBOX, "Email").value == "contract@example.org")
    assert find(backend.snapshot(app.ref), Role.TEXTBOX, "Email").value == "contract@example.org"
    backend.set_text(field.ref, "")
    assert backend.refresh(field.ref).value == ""


@pytest.mark.parametrize("on", [True, False])
def test_set_checked_reads_back(subject: Subject, on: bool) -> None:
    backend = subject.backend
    box = find(backend.snapshot(the_app(subject).ref), Role.CHECKBOX, "Subscribe to newsletter")
    backend.set_checked(box.ref, on)
    settle(backend, lambda: (State.CHECKED in backend.refresh(box.ref).states) == on)
    assert (State.CHECKED in backend.refresh(box.ref).states) == on
    backend.set_checked(box.ref, on)  # setting it again to what it is changes nothing
    assert (State.CHECKED in backend.refresh(box.ref).states) == on


def test_unknown_ref_is_node_gone(subject: Subject) -> None:
    app = the_app(subject)
    bus_name = app.ref.split("|", 1)[0]
    for ref in (f"{bus_name}|/org/a11y/atspi/accessible/987654321", "not-a-ref"):
        with pytest.raises(NodeGone):
            subject.backend.refresh(ref)
