"""How an MCP session's calls are written as steps (surfaces/mcp/recording.py), on the fake backend: opening,
waiting, a secret kept as its placeholder, a field named by its label, a duplicate name scoped to its window,
and the calls that have no step form named in the file. The real protocol and replay: test_mcp_record.py."""

from __future__ import annotations

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.surfaces.mcp.recording import ToolRecording
from deskhand.tree.node import Node

SHOWN = frozenset({"visible", "showing", "enabled", "sensitive"})


def crm() -> Node:
    label = Node(ref="l1", role="label", name="Password:", states=SHOWN)
    password = Node(ref="pw", role="textbox", name="", labelled_by=("l1",), states=SHOWN | {"editable"})
    save = Node(ref="s1", role="button", name="Save", states=SHOWN)
    login = Node(ref="w1", role="window", name="Log in", children=(label, password, save), states=SHOWN)
    other_save = Node(ref="s2", role="button", name="Save", states=SHOWN)
    other = Node(ref="w2", role="window", name="Notes", children=(other_save,), states=SHOWN)
    return Node(ref="root", role="application", name="crm", children=(login, other))


def test_calls_become_steps_and_what_has_no_step_is_named() -> None:
    recording = ToolRecording(Desktop(FakeBackend({"crm": crm()}), timeout=0.2), "log in")
    recording.opened("https://crm.example/login", "chromium")
    recording.waited("Log in")
    typed = recording.understand("fill", {"ref": "e1", "text": "{secret:crm_password}"}, "pw", "crm")
    clicked = recording.understand("click", {"ref": "e2"}, "s1", "crm")
    assert typed is not None and clicked is not None
    recording.done(typed)
    recording.done(clicked)
    recording.left_out.append("drag")
    assert recording.understand("scroll", {"ref": "e1", "direction": "down"}, "pw", "crm") is None

    text = recording.text()
    assert "apps:\n- chromium\n- crm\n" in text and "secrets:\n- crm_password" in text, text
    assert "sites:\n- https://crm.example\n---\n" in text, text
    body = text.split("\n---\n", 1)[1]
    assert [line for line in body.splitlines() if line[:1].isdigit()] == [
        "1. Open https://crm.example/login in the browser",
        '2. Wait until "Log in" appears',
        '3. Switch to "Log in"',
        '4. Type "{secret:crm_password}" into "Password"',
        '5. Click "Save" in "Log in"',  # "Save" is also in Notes: scoped to its window
    ], text
    assert "Not written as steps (no step form, or the element was not found): drag, scroll." in text


def test_nothing_recorded_says_so() -> None:
    text = ToolRecording(Desktop(FakeBackend({"crm": crm()}), timeout=0.2), "empty").text()
    assert "Partial recording: no acting call succeeded while recording." in text
