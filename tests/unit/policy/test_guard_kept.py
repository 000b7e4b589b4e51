"""The guard over a backend whose trees events keep current (base.EventKept): it judges a known element on the
snapshot without reading it again, refuses as before, and a fill's read-back comes back scrubbed; typed runs
into a text field go on as soon as the field holds them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from deskhand.backends.base import EventKept, TextReadBack
from deskhand.backends.fake import FakeBackend
from deskhand.errors import PolicyDenied
from deskhand.policy import typed_text
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy, StepPolicy
from deskhand.policy.secrets import SecretStore
from deskhand.tree.node import Node
from deskhand.workflows.secret_text import with_secrets

TREES = Path(__file__).resolve().parents[2] / "fixtures" / "trees"
NAME_FIELD = ":1.31/org/a11y/atspi/accessible/2"
STEP = StepPolicy(run_id="r-1", n=1, sentence='Fill "Name" with "Ada"')


class KeptFake(FakeBackend):
    """The fake as an event-kept backend that writes and reads back in one go."""

    def kept_app(self, ref: str) -> str | None:
        return next((a.ref for a in self.applications() if self._holds(a.ref, ref)), None)

    def _holds(self, app_ref: str, ref: str) -> bool:
        return any(node.ref == ref for node in self.snapshot(app_ref).walk())

    def set_text_and_read(self, ref: str, text: str) -> Node:
        self.set_text(ref, text)
        self.log.append(("read back", ref))
        return replace(self._node(ref), children=())


@pytest.fixture
def kept() -> KeptFake:
    return KeptFake.from_files(TREES / "zenity_form.json")


def guarded(backend: FakeBackend, apps: tuple[str, ...]) -> GuardedBackend:
    store = SecretStore(env={"DESKHAND_SECRET_PIN": "4711-canary"})
    guard = GuardedBackend(backend, Guard(policy=Policy(apps=apps, secrets=("pin",)), store=store))
    guard.begin_step(STEP)
    return guard


def app_name(backend: FakeBackend) -> str:
    return backend.applications()[0].name


def test_the_fake_offers_both_seams(kept: KeptFake) -> None:
    assert isinstance(kept, EventKept) and isinstance(kept, TextReadBack)
    assert not isinstance(FakeBackend({}), EventKept)


def test_a_known_element_is_judged_on_the_kept_tree_without_a_reread(kept: KeptFake) -> None:
    node = guarded(kept, (app_name(kept),)).set_text_and_read(NAME_FIELD, "Ada")
    assert node.value == "Ada"
    assert ("refresh", NAME_FIELD) not in kept.log
    assert [entry[0] for entry in kept.log if entry[0] in ("set_text", "read back")] == ["set_text", "read back"]


def test_an_element_of_an_app_outside_the_policy_is_still_refused(kept: KeptFake) -> None:
    with pytest.raises(PolicyDenied):
        guarded(kept, ("some other app",)).set_text_and_read(NAME_FIELD, "Ada")
    assert not [entry for entry in kept.log if entry[0] == "set_text"]


def test_a_backend_that_keeps_nothing_is_read_again_first() -> None:
    plain = FakeBackend.from_files(TREES / "zenity_form.json")
    node = guarded(plain, (app_name(plain),)).set_text_and_read(NAME_FIELD, "Ada")
    assert node.value == "Ada"
    assert ("refresh", NAME_FIELD) in plain.log  # the guard's look before the write (see_ref)


def test_the_read_back_of_a_secret_comes_back_as_its_placeholder(kept: KeptFake) -> None:
    node = guarded(kept, (app_name(kept),)).set_text_and_read(NAME_FIELD, with_secrets("{secret:pin}"))
    assert ("set_text", NAME_FIELD, "4711-canary") in kept.log
    assert node.value == "{secret:pin}"


def test_typed_runs_go_on_once_the_field_holds_them(kept: KeptFake, monkeypatch: pytest.MonkeyPatch) -> None:
    # The fake's events never fall quiet for long: only the field holding the run may end a pace early.
    monkeypatch.setattr(typed_text, "TYPE_QUIET_S", 30.0)
    monkeypatch.setattr(typed_text, "TYPE_CATCH_UP_S", 60.0)
    guard = guarded(kept, (app_name(kept),))
    guard.focus(NAME_FIELD)
    start = len(kept.log)
    guard.type_text("x" * 40)
    after = [entry for entry in kept.log[start:] if entry[0] in ("type_text", "refresh")]
    # Each run is followed by a look at the field, which holds everything typed so far, and the next run goes.
    assert [entry[0] for entry in after if entry[0] == "type_text"] == ["type_text"] * 3
    assert [entry[0] for entry in after[-2:]] == ["type_text", "refresh"]
    assert all(after[i + 1][0] == "refresh" for i, entry in enumerate(after) if entry[0] == "type_text")
    assert kept.refresh(NAME_FIELD).value == "x" * 40
