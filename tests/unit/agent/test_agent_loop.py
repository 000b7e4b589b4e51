"""The agent loop with a scripted model on the fake backend: acting, recovering, refusing loops, budgets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from agent_forms import form

from deskhand.agent.budget import Budget
from deskhand.agent.loop import AgentLimits, AgentLoop, StepRecord
from deskhand.agent.tools import ToolBox
from deskhand.backends.fake import FakeBackend
from deskhand.errors import BudgetExceeded, ModelError, PolicyDenied, RunStopped
from deskhand.locate.desktop import Desktop
from deskhand.models.messages import ToolResultMessage, UserMessage
from deskhand.models.scripted import ScriptedModel
from deskhand.tree.snapshot import RefTable


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.events: list[tuple[str, Mapping[str, Any]]] = []

    def record_model_call(self, *args: Any) -> None:
        self.calls.append(args)

    def record_event(self, run_id: str, step: int | None, kind: str, data: Mapping[str, Any]) -> None:
        self.events.append((kind, data))


def call(name: str, usage: tuple[int, int] = (100, 10), **arguments: object) -> dict[str, Any]:
    return {
        "tool_calls": [{"name": name, "arguments": arguments}],
        "usage": {"input_tokens": usage[0], "output_tokens": usage[1]},
    }


def run(
    desktop: Desktop, replies: list[dict[str, Any]], limits: AgentLimits | None = None
) -> tuple[Any, ScriptedModel, Recorder]:
    model = ScriptedModel(replies)
    recorder = Recorder()
    loop = AgentLoop(model, limits=limits, recorder=recorder)
    box = ToolBox(desktop, RefTable(), app="crm", timeout=0.2)
    result = loop.run("Fill the contact form for Ada", box, where=StepRecord("run-1", 3))
    return result, model, recorder


# Refs are handed out in document order: app e1, window e2, Name e3, … Subscribe e9, OK e10.
def test_acts_until_done_and_records_every_call(desktop: Desktop, backend: FakeBackend) -> None:
    result, model, recorder = run(
        desktop,
        [
            {
                "tool_calls": [
                    {"name": "fill", "arguments": {"ref": "e3", "text": "Ada"}},
                    {"name": "check", "arguments": {"ref": "e9"}},
                ],
                "usage": {"input_tokens": 900, "output_tokens": 40},
            },
            call("done", summary="Filled."),
        ],
    )
    assert result.finish.status == "done"
    assert backend.refresh("name").value == "Ada" and backend.refresh("sub").has("checked")
    assert [a.kind for a in result.actions] == ["type_text", "set_checked"]
    assert (result.spend.model_calls, result.spend.input_tokens, result.spend.output_tokens) == (2, 1000, 50)
    assert [c[:2] + c[4:6] for c in recorder.calls] == [("run-1", 3, 900, 40), ("run-1", 3, 100, 10)]
    assert recorder.calls[0][2] == "scripted"
    first, second = model.requests
    assert "Step: Fill the contact form for Ada" in first.messages[0].text  # type: ignore[union-attr]
    assert 'textbox "Name" [e3]' in first.messages[1].text  # type: ignore[union-attr]
    assert {tool.name for tool in first.tools} >= {"click", "fill", "done"}
    # The second request: the old screen is elided, the new one shows what changed.
    latest = second.messages[-1]
    assert isinstance(latest, UserMessage) and '~ textbox "Name" [e3] = "Ada"' in latest.text
    assert "earlier view" in second.messages[1].text  # type: ignore[union-attr]
    assert len(result.overhead_ms) == 2 and all(ms >= 0 for ms in result.overhead_ms)


def test_malformed_replies_get_corrections_then_it_recovers(desktop: Desktop, backend: FakeBackend) -> None:
    result, model, _ = run(
        desktop,
        [
            {"tool_calls": [{"name": "fill", "arguments": '{"ref": "e3", "text": '}]},  # bad JSON
            {"text": "I think the form is filled."},  # no tool call
            {"tool_calls": [{"name": "type_into", "arguments": {"ref": "e3"}}]},  # unknown tool
            call("fill", ref="e77", text="Ada"),  # unknown ref
            call("fill", ref="e3", text="Ada"),
            call("done", summary="ok"),
        ],
        AgentLimits(max_malformed=5),
    )
    assert result.finish.status == "done"
    assert backend.refresh("name").value == "Ada"
    said = [
        m.content if isinstance(m, ToolResultMessage) else m.text  # type: ignore[union-attr]
        for m in model.requests[-1].messages
        if isinstance(m, ToolResultMessage | UserMessage)
    ]
    assert any("not valid JSON" in text for text in said)
    assert any("called no tool" in text for text in said)
    assert any("no tool named 'type_into'" in text for text in said)
    assert any("No element has the ref 'e77'" in text for text in said)


def test_too_many_unusable_replies_in_a_row_end_the_step(desktop: Desktop) -> None:
    with pytest.raises(ModelError, match="3 unusable replies in a row"):
        run(desktop, [{"text": "hmm"}, call("nope"), call("click", ref="e500")])


def test_the_same_action_on_an_unchanged_screen_is_a_loop(desktop: Desktop) -> None:
    with pytest.raises(ModelError, match="going round in circles") as caught:
        run(desktop, [call("read", ref="e10")] * 5)
    assert caught.value.hint


def test_repeats_are_refused_then_the_model_can_move_on(desktop: Desktop) -> None:
    result, model, _ = run(desktop, [call("read", ref="e10"), call("read", ref="e10"), call("done", summary="ok")])
    assert result.finish.status == "done"
    refusal = model.requests[2].messages[-2]
    assert isinstance(refusal, ToolResultMessage) and refusal.is_error and "already called read" in refusal.content


def test_step_budget(desktop: Desktop) -> None:
    limits = AgentLimits(step=Budget(model_calls=2))
    with pytest.raises(BudgetExceeded, match="step budget ran out: 2 model calls"):
        run(desktop, [call("press", keys="Tab"), call("press", keys="Tab"), call("done", summary="x")], limits)


def test_run_budget_counts_what_earlier_steps_spent(desktop: Desktop) -> None:
    from deskhand.agent.budget import Spend

    spent = Spend(model_calls=0, cost_usd=0.0, input_tokens=5000)
    loop = AgentLoop(ScriptedModel([call("done", summary="x")]), limits=AgentLimits(run=Budget(tokens=5000)))
    with pytest.raises(BudgetExceeded, match="run budget"):
        loop.run("x", ToolBox(desktop, RefTable(), app="crm"), run_spend=spent)


def test_the_model_giving_up_is_an_outcome(desktop: Desktop) -> None:
    result, _, _ = run(desktop, [call("fail", reason="There is no Phone field.")])
    assert (result.finish.status, result.finish.text) == ("failed", "There is no Phone field.")


class GuardedBackend(FakeBackend):
    def click(self, ref: str, *, button: str = "left", count: int = 1) -> None:  # type: ignore[override]
        if ref == "ok":
            raise PolicyDenied("Submitting is not allowed.", hint="")
        if ref == "sub":
            raise RunStopped("Stopped by the kill switch.")
        super().click(ref, button=button, count=count)


def test_a_policy_refusal_goes_back_to_the_model_and_is_recorded() -> None:
    desktop = Desktop(GuardedBackend({"crm": form()}), timeout=0.2)
    result, model, recorder = run(desktop, [call("click", ref="e10"), call("done", summary="Left it unsubmitted.")])
    assert result.finish.status == "done"
    told = model.requests[1].messages[-2]
    assert isinstance(told, ToolResultMessage) and told.content.startswith("Blocked by the workflow's policy")
    assert ("blocked", {"tool": "click", "reason": "Submitting is not allowed."}) in recorder.events


def test_the_kill_switch_ends_the_loop_at_once() -> None:
    desktop = Desktop(GuardedBackend({"crm": form()}), timeout=0.2)
    with pytest.raises(RunStopped):
        run(desktop, [call("click", ref="e9"), call("done", summary="x")])
