"""AgentSolver inside the real Runner, on the fake backend: learned into the lock, replayed, healed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from agent_forms import form

from deskhand.backends.fake import FakeBackend
from deskhand.locate.desktop import Desktop
from deskhand.models.scripted import ScriptedModel
from deskhand.runner.free_form import AgentSolver, as_template
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.workflows.interpolate import interpolate
from deskhand.workflows.lock import read_lock
from deskhand.workflows.parse import load_workflow

WORKFLOW = """---
name: contact
inputs:
  name: {type: string, required: true}
---
1. Enter {name} as the new contact's name and subscribe them
"""


class Launcher:
    def open_app(self, name: str) -> str:
        return name

    def open_url(self, url: str) -> str:
        return url


def call(name: str, **arguments: object) -> dict[str, Any]:
    return {"tool_calls": [{"name": name, "arguments": arguments}], "usage": {"input_tokens": 500, "output_tokens": 20}}


FILL_AND_CHECK = [
    {
        "tool_calls": [
            {"name": "fill", "arguments": {"ref": "e3", "text": "Ada Lovelace"}},
            {"name": "check", "arguments": {"ref": "e9", "on": True}},
        ],
        "usage": {"input_tokens": 800, "output_tokens": 30},
    },
    call("done", summary="Entered Ada Lovelace and subscribed."),
]


@pytest.fixture
def setup(tmp_path: Path) -> tuple[FakeBackend, Runner, RunStore, Path]:
    backend = FakeBackend({"crm": form()})
    store = RunStore(tmp_path / "runs.db")
    runner = Runner(Desktop(backend, timeout=0.2), Launcher(), store, timeout=0.2, capture=False)
    runner.free_form = AgentSolver(ScriptedModel(FILL_AND_CHECK * 2), recorder=store)
    workflow = tmp_path / "contact.md"
    workflow.write_text(WORKFLOW)
    return backend, runner, store, workflow


def test_learned_once_replayed_with_no_model_then_healed(setup: tuple[FakeBackend, Runner, RunStore, Path]) -> None:
    backend, runner, store, path = setup
    first = runner.run(load_workflow(path), {"name": "Ada Lovelace"})
    assert first.status == "succeeded", first.error
    assert (first.model_calls, first.input_tokens, first.output_tokens) == (2, 1300, 50)
    assert backend.refresh("name").value == "Ada Lovelace" and backend.refresh("sub").has("checked")
    record = store.get_run(first.run_id).to_json()
    assert record["model_calls"] == 2
    lock = read_lock(path.with_suffix(".lock"))
    assert lock is not None
    (step,) = lock.steps
    assert step.source == "model"
    assert [(a.kind, a.selector, a.value) for a in step.actions] == [
        ("type_text", 'role=textbox[name="Name"][exact]', "{name}"),
        ("set_checked", 'role=checkbox[name="Subscribe"][exact]', "on"),
    ]

    backend.set_app("crm", form())
    second = runner.run(load_workflow(path), {"name": "Grace Hopper"})
    assert second.status == "succeeded", second.error
    assert second.model_calls == 0
    assert not second.steps[0].healed
    assert backend.refresh("name").value == "Grace Hopper"

    # The app changed: the field is now called "Full name"; the lock no longer fits, the model is asked again.
    backend.set_app("crm", form())
    backend.update("name", name="Full name")
    third = runner.run(load_workflow(path), {"name": "Ada Lovelace"})
    assert third.status == "succeeded", third.error
    assert third.steps[0].healed and third.model_calls == 2
    relocked = read_lock(path.with_suffix(".lock"))
    assert relocked is not None and relocked.steps[0].actions[0].selector == 'role=textbox[name="Full name"][exact]'


def test_the_model_giving_up_fails_the_step_with_its_reason(tmp_path: Path) -> None:
    backend = FakeBackend({"crm": form()})
    store = RunStore(tmp_path / "runs.db")
    solver = AgentSolver(ScriptedModel([call("fail", reason="There is no contact form.")]), recorder=store)
    runner = Runner(Desktop(backend, timeout=0.2), Launcher(), store, timeout=0.2, capture=False)
    runner.free_form = solver
    path = tmp_path / "contact.md"
    path.write_text(WORKFLOW)
    outcome = runner.run(load_workflow(path), {"name": "Ada"})
    assert outcome.status == "failed" and outcome.error is not None
    assert "There is no contact form." in outcome.error["message"]
    assert solver.calls == 1
    assert not path.with_suffix(".lock").exists()


@pytest.mark.parametrize(
    ("text", "values", "template"),
    [
        ("Ada", {"name": "Ada"}, "{name}"),
        ("Dear Ada Lovelace,", {"name": "Ada Lovelace"}, "Dear {name},"),
        ("12", {"seats": 1}, "12"),
        ('{"a": 1}', {}, '{{"a": 1}}'),
        ("{secret:pw}", {"pw": "x"}, "{secret:pw}"),
        ("Adam and Ada", {"name": "Ada"}, "Adam and {name}"),
    ],
)
def test_values_become_templates_that_interpolate_back(text: str, values: dict[str, object], template: str) -> None:
    assert as_template(text, values) == template
    if "secret" not in text:
        assert interpolate(template, values) == text
