"""Free-form steps on real apps: a model (the real SDK adapters against local fake provider servers) fills the
Qt form from one sentence; the second run replays the lock with no model; a changed app is healed."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from tests.fakes.providers import FakeAnthropic, FakeOpenAI, FakeToolCall, Reply

from deskhand.app.launcher import DesktopLauncher
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.locate.desktop import Desktop
from deskhand.models.anthropic import AnthropicModel
from deskhand.models.openai_compat import OpenAICompatModel
from deskhand.runner.free_form import AgentSolver
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.desktop import LaunchedApp
from deskhand.tree.snapshot import RefTable, render
from deskhand.workflows.lock import read_lock
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

QT_FORM = Path(__file__).resolve().parents[1] / "apps" / "qt_form.py"

QT_WORKFLOW = """---
name: qt-signup
inputs:
  name: {type: string, required: true}
  email: {type: string, required: true}
---
1. Switch to "deskhand Qt form"
2. Sign up {name} with the address {email} on the Enterprise plan for 12 seats, with the newsletter, then submit
"""

ZENITY_WORKFLOW = """---
name: zenity-contact
inputs:
  name: {type: string, required: true}
---
1. Switch to "Add"
2. Put {name} in the name field and confirm the dialog
"""


@pytest.fixture(scope="module")
def desk() -> Iterator[tuple[VirtualDesktop, Desktop, Runner, RunStore]]:
    with VirtualDesktop() as virtual:
        desktop = Desktop(AtspiBackend(virtual.a11y_address, display=virtual.display), timeout=5.0)
        store = RunStore(Path(virtual.temp_dir) / "runs.db")
        runner = Runner(desktop, DesktopLauncher(desktop, virtual), store, timeout=5.0)
        try:
            yield virtual, desktop, runner, store
        finally:
            store.close()
            desktop.close()


def refs_of(desktop: Desktop, app: str, *wanted: tuple[str, str]) -> list[str]:
    """The short refs the agent's first observation will hand out for (role, name or label) elements."""
    refs = RefTable()
    outline = render(desktop.snapshot(app), refs)
    out = []
    for role, name in wanted:
        line = next(line for line in outline.splitlines() if line.strip().startswith(f"- {role} ") and name in line)
        out.append(line.split("[", 1)[1].split("]", 1)[0])
    return out


def printed(app: LaunchedApp) -> list[str]:
    psutil.Process(app.pid).wait(10)
    return app.log_path.read_text(encoding="utf-8").splitlines()


def test_qt_form_from_one_sentence_then_replayed_with_no_model(
    desk: tuple[VirtualDesktop, Desktop, Runner, RunStore], tmp_path: Path
) -> None:
    virtual, desktop, runner, store = desk
    workflow_file = tmp_path / "signup.md"
    workflow_file.write_text(QT_WORKFLOW)
    app = virtual.launch([sys.executable, str(QT_FORM)], timeout=30)
    name, email, plan, seats, news, submit = refs_of(
        desktop,
        app.name,
        ("textbox", '"Name"'),
        ("textbox", '"Email"'),
        ("combobox", '"Basic"'),
        ("spinbutton", '"Seats"'),
        ("checkbox", "Subscribe"),
        ("button", '"Submit"'),
    )
    replies = [
        Reply(
            text="Filling the form.",
            tool_calls=[
                FakeToolCall("fill", {"ref": name, "text": "Grace Hopper"}),
                FakeToolCall("fill", {"ref": email, "text": "grace@example.org"}),
                FakeToolCall("select", {"ref": plan, "option": "Enterprise"}),
                FakeToolCall("fill", {"ref": seats, "text": "12"}),
                FakeToolCall("check", {"ref": news, "on": True}),
            ],
            input_tokens=1400,
            output_tokens=120,
        ),
        Reply(tool_calls=[FakeToolCall("click", {"ref": submit})], input_tokens=1500, output_tokens=20),
        Reply(tool_calls=[FakeToolCall("done", {"summary": "Signed up Grace."})], input_tokens=900, output_tokens=15),
    ]
    with FakeAnthropic(replies) as server:
        model = AnthropicModel("claude-sonnet-4-6", api_key="test-key", base_url=server.base_url)
        runner.free_form = AgentSolver(model, recorder=store)
        inputs = {"name": "Grace Hopper", "email": "grace@example.org"}
        first = runner.run(load_workflow(workflow_file), inputs)
        assert first.status == "succeeded", first.error
        assert json.loads(printed(app)[-1]) == {
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "plan": "Enterprise",
            "subscribe": True,
            "seats": 12,
        }
        assert (first.model_calls, first.input_tokens, first.output_tokens) == (3, 3800, 155)
        record = store.get_run(first.run_id)
        assert [(c.provider, c.model, c.input_tokens) for c in record.model_calls] == [
            ("anthropic", "claude-sonnet-4-6", 1400),
            ("anthropic", "claude-sonnet-4-6", 1500),
            ("anthropic", "claude-sonnet-4-6", 900),
        ]
        assert all(c.cost_usd is not None and c.cost_usd > 0 for c in record.model_calls)
        sent = server.requests[0].body
        assert "Sign up Grace Hopper" in json.dumps(sent["messages"])
        assert {tool["name"] for tool in sent["tools"]} >= {"fill", "select", "check", "click", "done"}
        lock = read_lock(tmp_path / "signup.lock")
        assert lock is not None and lock.steps[1].source == "model"
        assert [a.kind for a in lock.steps[1].actions] == [
            "type_text",
            "type_text",
            "choose",
            "type_text",
            "set_checked",
            "click",
        ]
        assert lock.steps[1].actions[0].value == "{name}"

        again = virtual.launch([sys.executable, str(QT_FORM)], timeout=30)
        second = runner.run(load_workflow(workflow_file), {"name": "Ada Lovelace", "email": "ada@example.org"})
        assert second.status == "succeeded", second.error
        assert second.model_calls == 0 and len(server.requests) == 3
        assert not any(step.healed for step in second.steps)
        values = json.loads(printed(again)[-1])
        assert (values["name"], values["email"], values["plan"]) == ("Ada Lovelace", "ada@example.org", "Enterprise")


def zenity(virtual: VirtualDesktop, field: str) -> LaunchedApp:
    return virtual.launch(["zenity", "--forms", "--title=Add", f"--add-entry={field}", "--add-entry=Email"])


def test_a_changed_app_is_healed_by_asking_the_model_again(
    desk: tuple[VirtualDesktop, Desktop, Runner, RunStore], tmp_path: Path
) -> None:
    virtual, desktop, runner, _ = desk
    workflow_file = tmp_path / "contact.md"
    workflow_file.write_text(ZENITY_WORKFLOW)

    def script(app: LaunchedApp, label: str) -> list[Reply]:
        field, ok = refs_of(desktop, app.name, ("textbox", label), ("button", '"OK"'))
        return [
            Reply(tool_calls=[FakeToolCall("fill", {"ref": field, "text": "Ada"}), FakeToolCall("click", {"ref": ok})]),
            Reply(tool_calls=[FakeToolCall("done", {"summary": "Entered Ada."})]),
        ]

    with FakeOpenAI() as server:
        model = OpenAICompatModel(
            "qwen2.5", base_url=server.base_url, api_key=None, provider="openai-compatible", stream=True
        )
        runner.free_form = AgentSolver(model)
        first_app = zenity(virtual, "Name")
        server.push(*script(first_app, '"Name"'))
        first = runner.run(load_workflow(workflow_file), {"name": "Ada"})
        assert first.status == "succeeded", first.error
        assert printed(first_app)[-1] == "Ada|"

        changed = zenity(virtual, "Full name")
        server.push(*script(changed, '"Full name"'))
        healed = runner.run(load_workflow(workflow_file), {"name": "Ada"})
        assert healed.status == "succeeded", healed.error
        assert healed.steps[1].healed and healed.model_calls == 2
        assert printed(changed)[-1] == "Ada|"
