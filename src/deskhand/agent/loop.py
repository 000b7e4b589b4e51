"""The agent loop for one free-form step: observe → model → act → read back → record, until done.

Policy is enforced beneath, in the backend guard: a PolicyError from an action goes back to the model as text
(and is recorded as a ``blocked`` event), so it can do the step another way; if it gives up instead, the
refusal is raised, so the step is recorded as blocked by the policy rather than failed by the model. The kill
switch (RunStopped) and the run's budget (BudgetExceeded from the guard) end the loop at once: telling the
model would only spend more.

What the model gets wrong is told back to it, not raised: malformed JSON arguments, an unknown tool, an unknown
ref or a reply with no tool call get a corrective message, and only ``max_malformed`` unusable replies in a
row end the step (ModelError). The same call on the same screen twice is refused as a loop, and ending up
there ``max_repeats`` times ends the step. Budgets (per step and per run) are checked before every model call.
Every model call is recorded (tokens, latency, cost) through a ModelCallRecorder; RunStore fits.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from deskhand.agent import prompts
from deskhand.agent.budget import RUN_BUDGET, STEP_BUDGET, Budget, Spend
from deskhand.agent.observe import DEFAULT_BUDGET_TOKENS, Observer
from deskhand.agent.tools import Finish, RecordedAction, ToolBox, ToolResult, tool_specs
from deskhand.errors import BudgetExceeded, ModelError, PolicyError, RunStopped
from deskhand.models.base import ChatModel
from deskhand.models.messages import STOP_MAX_TOKENS, Message, ModelReply, ToolCall, ToolResultMessage, UserMessage

_NOT_LOOPS: frozenset[str] = frozenset({"done", "fail", "ask_user"})


class ModelCallRecorder(Protocol):
    """Where model calls and agent events go (deskhand.runs.store.RunStore fits)."""

    def record_model_call(
        self,
        run_id: str,
        step: int | None,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        latency_ms: int,
        cost_usd: float | None,
    ) -> None: ...

    def record_event(self, run_id: str, step: int | None, kind: str, data: Mapping[str, Any]) -> None: ...


@dataclass(frozen=True, slots=True)
class AgentLimits:
    """How far the agent may go: budgets, tolerance for unusable replies and loops, observation size."""

    step: Budget = STEP_BUDGET
    run: Budget = RUN_BUDGET
    max_malformed: int = 3
    max_repeats: int = 2
    observation_tokens: int = DEFAULT_BUDGET_TOKENS
    max_reply_tokens: int = 1024


@dataclass
class AgentResult:
    """How a step ended: ``finish`` says done or failed (by the model's own word), ``actions`` what was done."""

    finish: Finish
    actions: list[RecordedAction]
    spend: Spend
    overhead_ms: list[float] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class StepRecord:
    """Where the loop's records belong: a run and a step number (no recording with an empty run_id)."""

    run_id: str = ""
    step: int | None = None


class AgentLoop:
    """Runs free-form steps with one model; holds no state between steps."""

    def __init__(
        self,
        model: ChatModel,
        *,
        limits: AgentLimits | None = None,
        recorder: ModelCallRecorder | None = None,
        system_prompt: str = prompts.SYSTEM_PROMPT,
    ) -> None:
        self.model = model
        self.limits = limits or AgentLimits()
        self.recorder = recorder
        self.system_prompt = system_prompt

    def run(
        self,
        task: str,
        toolbox: ToolBox,
        *,
        run_spend: Spend | None = None,
        where: StepRecord | None = None,
    ) -> AgentResult:
        """Carry out ``task`` on the toolbox's desktop; raises ModelError (BudgetExceeded included) when the
        model cannot be kept on track, RunStopped when the run is stopped, and the policy's PolicyError when
        the model gives up after the policy refused one of its actions."""
        return _StepSession(self, task, toolbox, run_spend or Spend(), where or StepRecord()).run()


class _StepSession:
    """The state of one step's conversation."""

    def __init__(self, loop: AgentLoop, task: str, toolbox: ToolBox, run_spend: Spend, where: StepRecord) -> None:
        self.loop = loop
        self.limits = loop.limits
        self.toolbox = toolbox
        self.where = where
        self.run_spend = run_spend
        self.spend = Spend()
        self.observer = Observer(toolbox.desktop, toolbox.refs, budget_tokens=self.limits.observation_tokens)
        self.tools = tool_specs()
        self.messages: list[Message] = [UserMessage(prompts.task_message(task))]
        self.observation_at: list[int] = []
        self.seen_calls: set[str] = set()
        self.malformed_in_a_row = 0
        self.repeats = 0
        self.last_problem = ""
        self.overhead_ms: list[float] = []
        self.acting_s = 0.0
        self.screen_key = ""
        self.refused: PolicyError | None = None

    def run(self) -> AgentResult:
        mark = time.perf_counter()
        self._observe()
        while True:
            self.spend.check(self.limits.step, "step")
            self.run_spend.check(self.limits.run, "run")
            request = self._request()
            # What deskhand itself adds to a turn: observing, bookkeeping, building the request; not the
            # model's time, nor the app's own time to carry out actions.
            self.overhead_ms.append((time.perf_counter() - mark - self.acting_s) * 1000)
            self.acting_s = 0.0
            reply = self.loop.model.complete(
                request, self.tools, system=self.loop.system_prompt, max_tokens=self.limits.max_reply_tokens
            )
            mark = time.perf_counter()
            self._account(reply)
            self.messages.append(reply.as_message())
            finish = self._handle(reply)
            if finish is not None and finish.status == "failed" and self.refused is not None:
                raise self.refused
            if finish is not None:
                return AgentResult(finish, list(self.toolbox.actions), self.spend, self.overhead_ms)
            self._observe()

    # ---- one reply ----------------------------------------------------------------------------------------
    def _handle(self, reply: ModelReply) -> Finish | None:
        if not reply.tool_calls:
            text = prompts.CUT_OFF if reply.stop_reason == STOP_MAX_TOKENS else prompts.NO_TOOL_CALL
            self._unusable(text, "a reply with no tool call")
            self.messages.append(UserMessage(text))
            return None
        usable = False
        failed = False
        for call in reply.tool_calls:
            if failed:
                self.messages.append(ToolResultMessage(call.id, prompts.SKIPPED, is_error=True))
                continue
            result = self._execute(call)
            self.messages.append(ToolResultMessage(call.id, result.text, result.is_error, result.image_png))
            self._record_tool(call, result)
            if result.finish is not None:
                return result.finish
            usable = usable or not result.malformed
            failed = result.is_error
        if usable:
            self.malformed_in_a_row = 0
        else:
            self._unusable("", "unusable tool calls")
        return None

    def _execute(self, call: ToolCall) -> ToolResult:
        if call.parse_error is not None:
            return ToolResult(f"{call.name}: {call.parse_error}. Send the arguments as a JSON object.", True, True)
        signature = self._signature(call)
        if call.name not in _NOT_LOOPS and signature in self.seen_calls:
            self.repeats += 1
            if self.repeats > self.limits.max_repeats:
                raise ModelError(
                    f"The model is going round in circles: it repeated {call.name} on an unchanged screen "
                    f"{self.repeats} times.",
                    hint="Rewrite the step more precisely, or check that the app is in the state the step expects.",
                )
            return ToolResult(prompts.repeated(call.name), is_error=True)
        self.seen_calls.add(signature)
        acting = time.perf_counter()
        result = self.toolbox.call(call.name, call.arguments)
        self.acting_s += time.perf_counter() - acting
        if isinstance(result.error, RunStopped | BudgetExceeded):
            raise result.error
        if isinstance(result.error, PolicyError):
            self.refused = result.error
            return replace(result, text=prompts.blocked(result.error.message))
        return result

    def _signature(self, call: ToolCall) -> str:
        arguments = json.dumps(call.arguments, sort_keys=True, ensure_ascii=False)
        return f"{self.screen_key}|{call.name}|{arguments}"

    def _unusable(self, text: str, what: str) -> None:
        self.malformed_in_a_row += 1
        self.last_problem = text or what
        if self.malformed_in_a_row >= self.limits.max_malformed:
            raise ModelError(
                f"The model gave {self.malformed_in_a_row} unusable replies in a row ({what}); the step was stopped.",
                hint="Try a stronger model (DESKHAND_MODEL), or rewrite the step in the step language.",
            )

    # ---- seeing and asking --------------------------------------------------------------------------------
    def _observe(self) -> None:
        observation = self.observer.observe(self.toolbox.current_app)
        self.screen_key = hashlib.sha1(observation.outline.encode()).hexdigest()
        self.observation_at.append(len(self.messages))
        self.messages.append(UserMessage(prompts.observation_message(observation.text)))

    def _request(self) -> Sequence[Message]:
        """The history as sent: only the latest observation and screenshot in full (older ones cost tokens
        and say nothing the diffs have not said)."""
        old = set(self.observation_at[:-1])
        last_image = max(
            (i for i, m in enumerate(self.messages) if isinstance(m, ToolResultMessage) and m.image_png), default=-1
        )
        out: list[Message] = []
        for index, message in enumerate(self.messages):
            if index in old:
                out.append(UserMessage(prompts.OLD_OBSERVATION))
            elif isinstance(message, ToolResultMessage) and message.image_png and index != last_image:
                out.append(replace(message, image_png=None))
            else:
                out.append(message)
        return out

    # ---- recording ----------------------------------------------------------------------------------------
    def _account(self, reply: ModelReply) -> None:
        self.spend.add(reply)
        self.run_spend.add(reply)
        recorder, where = self.loop.recorder, self.where
        if recorder is None or not where.run_id:
            return
        provider, _, model = self.loop.model.name.partition(":")
        recorder.record_model_call(
            where.run_id,
            where.step,
            provider,
            reply.model or model,
            reply.usage.input_tokens,
            reply.usage.output_tokens,
            round(reply.latency_ms),
            reply.cost_usd,
        )

    def _record_tool(self, call: ToolCall, result: ToolResult) -> None:
        recorder, where = self.loop.recorder, self.where
        if recorder is None or not where.run_id:
            return
        if isinstance(result.error, PolicyError):
            recorder.record_event(
                where.run_id, where.step, "blocked", {"tool": call.name, "reason": result.error.message}
            )
        data = {"tool": call.name, "arguments": dict(call.arguments), "ok": not result.is_error, "result": result.text}
        recorder.record_event(where.run_id, where.step, "agent_tool", data)
