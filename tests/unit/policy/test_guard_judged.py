"""The guard's judgement of an element kept while the backend's version of its tree stays the same (policy/judged.py):
reused for the next action on it without a look at the tree, made afresh once an event changed the tree, the
policy or the step, and never kept for an approval or a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.backends.base import KeptVersions
from deskhand.backends.fake import FakeBackend
from deskhand.errors import PolicyError
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.judged import Judged, JudgedElements
from deskhand.policy.rules import Decision, Policy, StepPolicy
from deskhand.policy.targets import Seen
from deskhand.tree.node import Node
from deskhand.tree.roles import Role
from deskhand.workflows.secret_text import with_secrets

TREES = Path(__file__).resolve().parents[2] / "fixtures" / "trees"
NAME_FIELD = ":1.31/org/a11y/atspi/accessible/2"
CANCEL = ":1.31/org/a11y/atspi/accessible/16"
STEP = StepPolicy(run_id="r-1", n=1, sentence='Fill "Name" with "Ada"')


class VersionedFake(FakeBackend):
    """The fake as an event-kept backend: each change to its trees (an event, in the real one) is a new version."""

    def __init__(self, apps: dict[str, Node]) -> None:
        super().__init__(apps)
        self.changes = 0
        self.looks = 0

    def kept_app(self, ref: str) -> str | None:
        return self.applications()[0].ref

    def kept_version(self, ref: str) -> int:
        return self.changes

    def snapshot(self, app_ref: str) -> Node:
        self.looks += 1
        return super().snapshot(app_ref)

    def changed_by_the_app(self, ref: str, **changes: object) -> None:
        """A change its events tell of (text deskhand writes, as the fake's set_text does, is not one)."""
        self.update(ref, **changes)
        self.changes += 1


@pytest.fixture
def fake() -> VersionedFake:
    return VersionedFake.from_files(TREES / "zenity_form.json")  # type: ignore[return-value]


def guarded(backend: FakeBackend) -> GuardedBackend:
    guard = GuardedBackend(backend, Guard(policy=Policy(apps=(backend.applications()[0].name,))))
    guard.begin_step(STEP)
    return guard


def test_the_fake_offers_versions(fake: VersionedFake) -> None:
    assert isinstance(fake, KeptVersions)


def test_a_second_fill_of_an_unchanged_field_is_judged_without_looking_at_the_tree(fake: VersionedFake) -> None:
    guard = guarded(fake)
    guard.set_text(NAME_FIELD, "Ada")
    looks = fake.looks
    guard.set_text(NAME_FIELD, "Bea")
    assert fake.looks == looks
    assert ("set_text", NAME_FIELD, "Bea") in fake.log


def test_a_change_the_events_tell_of_is_judged_afresh(fake: VersionedFake) -> None:
    """The stale judgement ("Cancel" may be clicked) would let a click on what is now "Delete" through unasked."""
    guard = guarded(fake)
    guard.click(CANCEL)
    fake.changed_by_the_app(CANCEL, name="Delete")
    with pytest.raises(PolicyError, match="delete"):
        guard.click(CANCEL)
    assert len(fake.calls("click")) == 1


def test_a_new_step_or_policy_is_judged_afresh(fake: VersionedFake) -> None:
    guard = guarded(fake)
    guard.set_text(NAME_FIELD, "Ada")
    guard.begin_step(StepPolicy(run_id="r-1", n=2, sentence="Click OK"))
    looks = fake.looks
    guard.set_text(NAME_FIELD, "Bea")
    assert fake.looks > looks
    guard.guard.policy = Policy(apps=("some other app",))
    with pytest.raises(PolicyError):
        guard.set_text(NAME_FIELD, "Cy")


def test_what_each_action_brings_is_still_judged(fake: VersionedFake) -> None:
    """A kept judgement covers the element, not the text: an undeclared secret is refused on the second fill too."""
    guard = guarded(fake)
    guard.set_text(NAME_FIELD, "Ada")
    with pytest.raises(PolicyError, match="not declared"):
        guard.set_text(NAME_FIELD, with_secrets("{secret:pin}"))


def _judged(decision: Decision, app: str = "zenity", version: int = 1) -> Judged:
    node = Node(ref="r", role=Role.BUTTON, name="OK")
    return Judged(Seen(node, app), decision, version, POLICY, STEP)


POLICY = Policy(apps=("zenity",))


def test_only_an_allow_outside_a_browser_is_kept() -> None:
    kept = JudgedElements()
    kept.keep("click", "r", _judged(Decision("ask", "means delete")))
    kept.keep("focus", "r", _judged(Decision("allow", "ok"), app="chromium"))
    assert kept.get("click", "r", 1, POLICY, STEP) is None
    assert kept.get("focus", "r", 1, POLICY, STEP) is None
    kept.keep("click", "r", _judged(Decision("allow", "ok")))
    assert kept.get("click", "r", 1, POLICY, STEP) is not None
    assert kept.get("click", "r", 2, POLICY, STEP) is None  # the tree changed since
    assert kept.get("click", "r", None, POLICY, STEP) is None  # no kept tree holds it current now
    assert kept.get("set_text", "r", 1, POLICY, STEP) is None  # judged per kind of action
