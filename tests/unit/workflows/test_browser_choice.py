"""Which browser a web step means: `Open <url> in Firefox`, `browser:` in the front matter, bad values."""

from __future__ import annotations

import pytest

from deskhand.app.launcher import pick_browser
from deskhand.errors import WorkflowError
from deskhand.policy.rules import NO_STEP, Policy, Target, is_browser
from deskhand.sandbox.browsers import browser_kind
from deskhand.workflows import OpenUrl, parse_step, parse_workflow


@pytest.mark.parametrize(
    ("sentence", "action"),
    [
        ("Open http://127.0.0.1:8765/new in Firefox", OpenUrl("http://127.0.0.1:8765/new", "firefox")),
        ("open example.org in mozilla firefox", OpenUrl("example.org", "firefox")),
        ("Load https://example.org in Chromium", OpenUrl("https://example.org", "chromium")),
        ("Open https://example.org in the browser", OpenUrl("https://example.org")),
        ("Go to example.org", OpenUrl("example.org")),
    ],
)
def test_sentences_name_the_browser(sentence: str, action: OpenUrl) -> None:
    assert parse_step(sentence) == action


def test_the_sentence_written_back_names_the_browser() -> None:
    assert OpenUrl("https://example.org", "firefox").sentence() == "Open https://example.org in Firefox"
    assert OpenUrl("https://example.org").sentence() == "Open https://example.org in the browser"


def test_front_matter_browser() -> None:
    text = "---\nname: w\napps: [firefox]\nbrowser: Firefox\n---\n1. Open https://example.org in the browser\n"
    assert parse_workflow(text, "wf.md").browser == "firefox"
    plain = "---\nname: w\n---\n1. Open https://example.org in the browser\n"
    assert parse_workflow(plain, "wf.md").browser == ""


def test_unknown_browser_in_front_matter_names_the_line_and_the_choices() -> None:
    text = "---\nname: w\nbrowser: firefx\n---\n1. Open https://example.org in the browser\n"
    with pytest.raises(WorkflowError) as caught:
        parse_workflow(text, "wf.md")
    assert caught.value.line == 3
    assert "browser: firefox" in caught.value.hint


def test_pick_browser() -> None:
    assert pick_browser("") == "chromium"
    assert pick_browser("", "firefox") == "firefox"
    assert pick_browser("firefox-esr") == "firefox"
    assert pick_browser("chromium", "firefox") == "chromium"
    assert browser_kind("mousepad") is None
    with pytest.raises(WorkflowError):
        pick_browser("lynx")


def test_firefox_pages_are_governed_by_sites() -> None:
    assert is_browser("Firefox") and is_browser("firefox-esr") and is_browser("Chromium")
    policy = Policy(apps=("firefox",), sites=("http://127.0.0.1:8765",))
    off = Target(app="Firefox", role="button", name="Go", in_web_page=True, origin="http://evil.example/")
    on = Target(app="Firefox", role="button", name="Go", in_web_page=True, origin="http://127.0.0.1:8765/x")
    assert policy.classify("click", off, NO_STEP).verdict == "deny"
    assert policy.classify("click", on, NO_STEP).verdict == "allow"
