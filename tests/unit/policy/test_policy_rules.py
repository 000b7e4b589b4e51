"""Policy rules: apps by alias, web origins, irreversible meanings, chords, confirm and preapproved."""

from __future__ import annotations

import pytest

from deskhand.errors import WorkflowError
from deskhand.policy.rules import Policy, StepPolicy, Target, canonical_app, chord_button, irreversible_meaning
from deskhand.policy.web import SiteRule, page_address
from deskhand.tree.node import Node
from deskhand.tree.roles import State
from deskhand.workflows.model import Step, StepRef

STEP = StepPolicy("r", 1)


@pytest.mark.parametrize(
    ("listed", "seen", "allowed"),
    [
        ("chromium", "Chromium", True),
        ("browser", "Chromium", True),
        ("chrome", "chromium", True),
        ("text editor", "Mousepad", True),
        ("calculator", "gnome-calculator", True),
        ("mousepad", "gedit", False),
        ("chromium", "zenity", False),
    ],
)
def test_apps_match_by_name_and_alias(listed: str, seen: str, allowed: bool) -> None:
    assert Policy(apps=(listed,)).allows_app(seen) is allowed


def test_canonical_names_fold_case_and_spaces() -> None:
    assert canonical_app("  Text   Editor ") == canonical_app("mousepad")


@pytest.mark.parametrize(
    ("rule", "address", "matches"),
    [
        ("http://127.0.0.1", "127.0.0.1:8765/contacts/new", True),
        ("http://127.0.0.1:8765", "127.0.0.1:9999/", False),
        ("https://example.com", "https://example.com/a", True),
        ("https://example.com", "http://example.com/a", False),
        ("https://example.com", "example.com.evil.test/a", False),
        ("https://example.com", "https://evil.test/?example.com", False),
        ("*.example.com", "https://mail.example.com/x", True),
        ("*.example.com", "https://example.com.evil.test", False),
        ("example.com", "http://user@evil.test/example.com", False),
    ],
)
def test_site_rules(rule: str, address: str, matches: bool) -> None:
    assert SiteRule.parse(rule).matches(address) is matches


def test_a_site_that_is_not_an_origin_is_an_error() -> None:
    with pytest.raises(WorkflowError, match="not a web origin"):
        Policy(sites=("not a site",))


def test_blank_pages_are_always_allowed() -> None:
    assert Policy(sites=()).allows_site("about:blank")


def test_the_page_address_is_unknown_while_the_bar_is_being_typed_in() -> None:
    bar = Node("b", "textbox", name="Address and search bar", value="example.com/x")
    browser = Node("r", "application", children=(Node("w", "window", children=(bar,)),))
    assert page_address(browser) == "example.com/x"
    typing = Node(
        "r",
        "application",
        children=(Node("b", "textbox", name="Address and search bar", value="ex", states=frozenset({State.FOCUSED})),),
    )
    assert page_address(typing) is None


@pytest.mark.parametrize(
    ("role", "name", "web", "meaning"),
    [
        ("button", "Send", False, "send"),
        ("button", "Delete all", False, "delete"),
        ("link", "Pay now", True, "pay"),
        ("menuitem", "Transfer funds", False, "transfer"),
        ("button", "Post", True, "post"),
        ("button", "Confirm", False, "confirm"),
        ("button", "Save contact", True, "save"),
        ("button", "Save", False, ""),
        ("button", "Cancel", True, ""),
        ("textbox", "Send to", True, ""),
        ("button", "Sender details", True, ""),
    ],
)
def test_irreversible_meanings(role: str, name: str, web: bool, meaning: str) -> None:
    assert irreversible_meaning(role, name, in_web_page=web) == meaning


def test_chords_are_classed_as_their_buttons() -> None:
    assert chord_button("ctrl+q") == "Quit"
    assert chord_button("Alt+F4") == "Quit"
    assert chord_button("ctrl+w") == "Close"
    assert chord_button("ctrl + enter") == "Send"
    assert chord_button("Ctrl+S") is None


def test_send_chord_asks_and_quit_chord_needs_an_allowed_app() -> None:
    policy = Policy(apps=("mousepad",))
    mail = Target(app="Mousepad")
    assert policy.classify("press", mail, STEP, keys="Ctrl+Enter").verdict == "ask"
    assert policy.classify("press", mail, STEP, keys="Ctrl+Q").verdict == "allow"
    assert policy.classify("press", Target(app="zenity"), STEP, keys="Ctrl+Q").verdict == "deny"


def test_enter_on_a_focused_delete_button_is_a_delete() -> None:
    decision = Policy(apps=("mousepad",)).classify(
        "press", Target(app="mousepad", role="button", name="Delete"), STEP, keys="Return"
    )
    assert (decision.verdict, decision.meaning) == ("ask", "delete")


def test_enter_in_a_web_form_field_submits() -> None:
    target = Target(app="chromium", role="textbox", name="Email", in_web_page=True, origin="a.test/", submits_form=True)
    policy = Policy(apps=("chromium",), sites=("a.test",))
    assert policy.classify("press", target, STEP, keys="Enter").meaning == "submit"


def test_preapproved_and_confirm_steps() -> None:
    step = Step(n=5, sentence='Click "Send"', line=9)
    policy = Policy(apps=("mousepad",), preapproved=(StepRef(sentence='click "send"'),), confirm=(StepRef(number=6),))
    send = Target(app="mousepad", role="button", name="Send")
    assert policy.classify("click", send, policy.for_step("r", step)).verdict == "allow"
    other = Step(n=6, sentence="Type hello", line=10)
    decision = policy.classify("type_text", Target(app="mousepad"), policy.for_step("r", other))
    assert decision.verdict == "ask" and "confirm" in decision.reason


def test_a_site_outside_the_list_is_denied_with_a_hint() -> None:
    decision = Policy(apps=("chromium",), sites=("https://a.test",)).classify(
        "click", Target(app="Chromium", role="link", name="x", in_web_page=True, origin="https://b.test/"), STEP
    )
    assert decision.verdict == "deny"
    assert "https://b.test/ is not in this workflow's sites" in decision.reason
    assert "sites:" in decision.hint


def test_unknown_policy_keys_are_refused() -> None:
    with pytest.raises(WorkflowError, match="Unknown policy key 'app'") as raised:
        Policy.from_mapping({"app": ["mousepad"]}, where="settings.toml")
    assert "apps, sites" in raised.value.hint
    policy = Policy.from_mapping({"apps": ["mousepad"], "confirm": [2, "Click OK"]})
    assert policy.allows_app("Mousepad") and len(policy.confirm) == 2
