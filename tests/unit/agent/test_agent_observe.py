"""The per-turn observation: which windows, the outline with refs, the diff, the token budget."""

from __future__ import annotations

from pathlib import Path

from deskhand.agent.observe import Observer, choose_apps
from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.models.tokens import count_tokens
from deskhand.tree.snapshot import RefTable

TREES = Path(__file__).resolve().parents[2] / "fixtures" / "trees"


def test_first_look_shows_the_app_in_use_and_names_the_others(desktop: Desktop) -> None:
    observer = Observer(desktop, RefTable())
    seen = observer.observe("notes")
    assert seen.apps == ("crm", "notes")  # crm holds the active window, notes is in use
    assert seen.diff is None
    assert "App in use: notes." in seen.text
    assert 'textbox "Name" [' in seen.text and 'textbox "Body" [' in seen.text
    assert "Changes since" not in seen.text


def test_second_look_lists_what_changed(desktop: Desktop, backend: FakeBackend) -> None:
    refs = RefTable()
    observer = Observer(desktop, refs)
    observer.observe("crm")
    backend.update("name", value="Ada")
    seen = observer.observe("crm")
    assert seen.diff is not None
    short = refs.lookup("name")
    assert f'~ textbox "Name" [{short}] = "Ada" focused' in seen.text
    unchanged = observer.observe("crm")
    assert "Changes since the last look: none." in unchanged.text


def test_choose_apps(backend: FakeBackend) -> None:
    apps = backend.applications()
    assert [a.name for a in choose_apps(apps, "notes")] == ["crm", "notes"]
    assert [a.name for a in choose_apps(apps, None)] == ["crm"]  # the active window's app
    backend.update("win", states=backend.refresh("win").states - {"active"})
    assert [a.name for a in choose_apps(backend.applications(), None)] == ["crm", "notes"]  # nothing to go by


def test_a_big_tree_is_pruned_to_the_budget_keeping_focus_and_changes() -> None:
    backend = FakeBackend.from_files(TREES / "big_table.json")
    desktop = Desktop(backend, timeout=0.1)
    (app,) = backend.applications()
    refs = RefTable()
    full = Observer(desktop, refs, budget_tokens=100_000).observe(app.name)
    assert not full.pruned
    observer = Observer(desktop, refs, budget_tokens=400)
    seen = observer.observe(app.name)
    assert full.tokens > 400
    assert seen.pruned and seen.tokens <= 400
    assert "lines pruned" in seen.text
    root = backend.snapshot(app.ref)
    focused = [node for node in root.walk() if node.has("focused")]
    for node in focused:
        assert f"[{refs.lookup(node.ref)}]" in seen.text
    assert count_tokens(seen.text) == seen.tokens
