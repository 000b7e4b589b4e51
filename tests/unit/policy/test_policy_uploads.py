"""Files given to a web page's file input, through the guard: only a file the step's own sentence names, only on
a page of an allowed site; every refusal recorded and nothing handed to the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.policy.test_policy_guard import FIRST_NAME, TREES, Sinks, make_guard, web_policy

from deskhand.backends.fake import FakeBackend
from deskhand.errors import PolicyDenied
from deskhand.policy.rules import Policy, StepPolicy
from deskhand.policy.uploads import files_named_by
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import State


class PageWithFileInput(FakeBackend):
    """The fake desktop, with a page whose file chooser waits (on its "First name" element, any page element
    stands for the page)."""

    given: list[tuple[str, list[str]]]

    def waiting_file_input(self) -> str | None:
        return FIRST_NAME

    def choose_files(self, ref: str, paths: list[str]) -> tuple[str, ...]:
        self.given.append((ref, paths))
        return tuple(Path(p).name for p in paths)


@pytest.fixture
def page() -> PageWithFileInput:
    fake = PageWithFileInput.from_files(TREES / "web_form.json", TREES / "zenity_form.json")
    fake.given = []
    return fake


def step(sentence: str) -> StepPolicy:
    return StepPolicy(run_id="r-1", n=2, sentence=sentence)


def test_the_file_the_step_names_is_given_and_audited(page: PageWithFileInput) -> None:
    sinks = Sinks()
    guarded = make_guard(page, web_policy(), sinks)
    guarded.begin_step(step('Choose the file "/tmp/report.pdf"'))
    assert guarded.waiting_file_input() == FIRST_NAME
    assert guarded.choose_files(FIRST_NAME, ["/tmp/report.pdf"]) == ("report.pdf",)
    assert page.given == [(FIRST_NAME, ["/tmp/report.pdf"])]
    assert sinks.audit[-1][2] == "upload" and sinks.audit[-1][3]["origin"] == "example.test/signup"


@pytest.mark.parametrize(
    "sentence",
    [
        'Choose the file "/tmp/other.pdf"',  # another file than the one asked for
        'Choose the file "{report}"',  # filled in later: from a read, a page could choose it
        'Click "Upload"',  # not a file step at all (a model's or MCP's own call)
        "",  # no step
    ],
)
def test_a_file_the_step_does_not_name_is_refused(page: PageWithFileInput, sentence: str) -> None:
    sinks = Sinks()
    guarded = make_guard(page, web_policy(), sinks)
    guarded.begin_step(step(sentence))
    with pytest.raises(PolicyDenied, match="does not name that file"):
        guarded.choose_files(FIRST_NAME, ["/tmp/report.pdf"])
    assert page.given == []
    assert "blocked" in sinks.kinds() and sinks.audit[-1][2] == "refused upload"


def test_a_page_of_a_site_outside_the_policy_gets_no_file(page: PageWithFileInput) -> None:
    sinks = Sinks()
    guarded = make_guard(page, web_policy(sites=("https://elsewhere.test",)), sinks)
    guarded.begin_step(step('Choose the file "/tmp/report.pdf"'))
    with pytest.raises(PolicyDenied, match="not in this workflow's sites"):
        guarded.choose_files(FIRST_NAME, ["/tmp/report.pdf"])
    assert page.given == []


def test_files_named_by_a_sentence() -> None:
    assert files_named_by('Choose the file "~/a.txt"') == {str(Path("~/a.txt").expanduser())}
    assert files_named_by('Pick file "/srv/x.csv"') == {"/srv/x.csv"}
    assert files_named_by('Type "/etc/passwd" into "Name"') == frozenset()


def firefox_with_its_file_chooser() -> FakeBackend:
    """Firefox showing GTK's file chooser (for a page's file input): its location entry inside the chooser."""
    box = Bounds(10, 10, 300, 30)
    shown = frozenset({State.SHOWING, State.VISIBLE, State.ENABLED, State.SENSITIVE})
    entry = Node("ff/entry", "textbox", "", value="", states=shown | {State.EDITABLE, State.FOCUSED}, bounds=box)
    chooser = Node(
        "ff/chooser", "dialog", "File Chooser Widget", states=shown, children=(entry,), raw_role="file chooser"
    )
    window = Node("ff/dialog", "dialog", "File Upload", states=shown | {State.ACTIVE}, children=(chooser,), bounds=box)
    return FakeBackend({"Firefox": window})


@pytest.mark.parametrize(
    ("sentence", "allowed"), [('Choose the file "/tmp/a.txt"', True), ('Type "x" into "y"', False)]
)
def test_a_path_written_into_firefoxs_chooser_is_an_upload(sentence: str, allowed: bool) -> None:
    fake = firefox_with_its_file_chooser()
    sinks = Sinks()
    guarded = make_guard(fake, Policy(apps=("firefox",)), sinks)
    guarded.begin_step(step(sentence))
    if allowed:
        guarded.set_text("ff/entry", "/tmp/a.txt")
        assert ("set_text", "ff/entry", "/tmp/a.txt") in fake.log
    else:
        with pytest.raises(PolicyDenied, match="file chooser refused"):
            guarded.set_text("ff/entry", "/tmp/a.txt")
        assert not any(entry[0] == "set_text" for entry in fake.log)
