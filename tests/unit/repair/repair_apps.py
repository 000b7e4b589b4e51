"""A sign-up form in two versions, as FakeBackend trees: version 2 rewords the Email label (its DOM id
stays) and renames Submit to "Send request" (no id: only its form, type, neighbours and place remain)."""

from __future__ import annotations

from tests.unit.fake_nodes import EDITABLE, SHOWN, n

from deskhand.tree.node import Node


def signup(version: int, *, delete_button: bool = False) -> Node:
    email = "E-mail address" if version >= 2 else "Email"
    submit = "Send request" if version >= 2 else "Submit"
    buttons = [n("submit", "button", submit, attrs={"type": "submit", "form": "signup"})]
    if delete_button:
        buttons.append(n("delete", "button", "Delete account", attrs={"type": "submit", "form": "signup"}))
    return n(
        "win",
        "window",
        "Sign up",
        n("title", "heading", "Sign up"),
        n("name", "textbox", "Name", value="", states=EDITABLE, attrs={"id": "name", "form": "signup"}),
        n("email", "textbox", email, value="", states=EDITABLE, attrs={"id": "email", "form": "signup"}),
        n("news", "checkbox", "Subscribe", attrs={"id": "news", "form": "signup"}),
        *buttons,
        n("help", "link", "Help"),
        states=SHOWN | {"active"},
    )


WORKFLOW = """---
name: signup
description: Sign up.
apps: [form]
---
1. Type "Ada" into "Name"
2. Type "ada@example.org" into "Email"
3. Check "Subscribe"
4. Click "Submit"
"""
