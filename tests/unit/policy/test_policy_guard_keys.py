"""The guard over the fake backend: keys by effect, control characters in typed text, the address bar, and
refusals the browser's network guard reports."""

from __future__ import annotations

import pytest
from tests.unit.policy.test_policy_guard import ADDRESS_BAR, FIRST_NAME, Sinks, fake, inputs, make_guard, web_policy

from deskhand.backends.fake import FakeBackend
from deskhand.errors import ApprovalRejected, PolicyDenied
from deskhand.policy.rules import Policy
from deskhand.policy.secrets import SecretStore
from deskhand.tree.node import Node
from deskhand.workflows.secret_text import with_secrets

__all__ = ["fake"]


@pytest.mark.parametrize("keys", ["KP_Enter", "kp_enter", "ISO_Enter", "Shift+Return", "Alt_L+KP_Enter"])
def test_every_enter_in_a_web_form_field_asks_and_nothing_is_sent(fake: FakeBackend, keys: str) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    fake.focus(FIRST_NAME)
    with pytest.raises(ApprovalRejected, match="'submit'"):
        guarded.press(keys)
    assert [i for i in inputs(fake) if i[0] == "press"] == []


def test_a_key_is_sent_exactly_as_it_was_judged(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    fake.focus(FIRST_NAME)
    guarded.press("control_l+a")
    guarded.press("tab")
    assert [i for i in inputs(fake) if i[0] == "press"] == [("press", "Ctrl+A"), ("press", "Tab")]


def test_a_chord_that_is_no_key_or_a_desktop_key_is_refused_before_anything_is_sent(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    fake.focus(FIRST_NAME)
    for keys in ("NotAKey", "Super_L+r", "Alt+F2", "Ctrl+Alt+BackSpace"):
        with pytest.raises(PolicyDenied):
            guarded.press(keys)
    assert [i for i in inputs(fake) if i[0] == "press"] == []


def test_a_newline_typed_into_a_web_form_field_is_judged_as_enter_before_any_text_goes(fake: FakeBackend) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)
    fake.focus(FIRST_NAME)
    with pytest.raises(ApprovalRejected, match=r"press Return .*'submit'"):
        guarded.type_text("Ada\n")
    with pytest.raises(ApprovalRejected, match="'submit'"):
        guarded.set_text(FIRST_NAME, "Ada\r\n")
    assert [i for i in inputs(fake) if i[0] in ("type_text", "set_text", "press")] == []
    assert [a[2] for a in sinks.audit if a[2].startswith("refused")] == ["refused press", "refused press"]


def test_control_characters_no_key_types_and_tabs_in_a_fill_are_refused(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    fake.focus(FIRST_NAME)
    with pytest.raises(PolicyDenied, match="control character"):
        guarded.type_text("Ada\x03")
    with pytest.raises(PolicyDenied, match="move the focus"):
        guarded.set_text(FIRST_NAME, "Ada\tLovelace")
    assert [i for i in inputs(fake) if i[0] in ("type_text", "set_text", "press")] == []


def test_long_text_goes_out_in_short_runs(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    fake.focus(FIRST_NAME)
    guarded.type_text("x" * 40)
    runs = [i[1] for i in inputs(fake) if i[0] == "type_text"]
    assert "".join(str(r) for r in runs) == "x" * 40 and len(runs) == 3


def test_alt_enter_in_the_address_bar_is_judged_by_where_it_goes(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    guarded.set_text(ADDRESS_BAR, "evil.test/steal")
    fake.focus(ADDRESS_BAR)
    for keys in ("Alt+Enter", "Shift+Return", "KP_Enter", "Alt_L+KP_Enter"):
        with pytest.raises(PolicyDenied, match=r"evil\.test/steal is not in this workflow's sites"):
            guarded.press(keys)
    with pytest.raises(PolicyDenied, match=r"www\.evil\.com"):
        guarded.set_text(ADDRESS_BAR, "evil")
        guarded.press("Control_L+Return")
    assert [i for i in inputs(fake) if i[0] == "press"] == []


def test_a_secret_is_never_typed_into_the_address_bar(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(secrets=("pin",)), Sinks())
    guarded.secrets.store = SecretStore(env={"DESKHAND_SECRET_PIN": "4711"})
    with pytest.raises(PolicyDenied, match="secret is never typed into the browser"):
        guarded.set_text(ADDRESS_BAR, with_secrets("{secret:pin}"))
    assert [i for i in inputs(fake) if i[0] == "set_text"] == []


def test_requests_the_browser_refused_are_recorded_in_the_run_and_the_audit(fake: FakeBackend) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)
    guarded.network_refusals.note("http://partner.test/leak")
    guarded.wait_for_change(0)
    blocked = [e for e in sinks.events if e[2] == "blocked"]
    assert blocked and "partner.test/leak" in blocked[0][3]["reason"] and blocked[0][3]["action"] == "request"
    assert [a[2] for a in sinks.audit] == ["refused request"]


def test_a_newline_filled_into_the_address_bar_goes_where_the_new_text_says(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    with pytest.raises(PolicyDenied, match=r"evil\.test/x is not in this workflow's sites"):
        guarded.set_text(ADDRESS_BAR, "evil.test/x\n")
    with pytest.raises(PolicyDenied, match=r"evil\.test/y is not in this workflow's sites"):
        guarded.set_text(ADDRESS_BAR, with_secrets("evil.test/y\n"))
    assert [i for i in inputs(fake) if i[0] == "set_text"] == []


def test_a_field_named_location_outside_a_browser_is_no_address_bar() -> None:
    # A GTK file chooser's "Location" field (Ctrl+L in an Open dialog) takes a file name and Enter opens it:
    # a desktop app's field is judged as a field, never as a browser's address bar going to a "site".
    shown = frozenset({"visible", "showing", "enabled", "sensitive", "focusable"})
    field = Node(ref="loc", role="textbox", name="Location", states=shown | {"editable", "focused"})
    dialog = Node(ref="dlg", role="dialog", name="Open File", states=shown, children=(field,))
    window = Node(ref="win", role="frame", name="Mousepad", states=shown, children=(dialog,))
    backend = FakeBackend({"mousepad": window})
    guarded = make_guard(backend, Policy(apps=("mousepad",)), Sinks())
    backend.focus("loc")
    guarded.type_text("notes.txt")
    guarded.press("Enter")
    assert [i for i in inputs(backend) if i[0] in ("type_text", "press")] == [
        ("type_text", "notes.txt"),
        ("press", "Enter"),
    ]
