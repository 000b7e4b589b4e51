"""Free-form steps done by a model: the runner's FreeFormSolver around the agent loop.

The agent layer knows nothing of runs and locks; this module turns what the agent did into the runner's
Resolutions. Values become templates again on the way into the lock (``"Ada"`` typed for the input ``name``
is stored as ``{name}``), so a replay with other inputs types the new values with no model; literal braces
are escaped, and ``{secret:x}`` placeholders stay as the model wrote them (secrets never reach the model).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from deskhand.agent.budget import Spend
from deskhand.agent.loop import AgentLimits, AgentLoop, ModelCallRecorder, StepRecord
from deskhand.agent.prompts import task_message
from deskhand.agent.tools import RecordedAction, ToolBox
from deskhand.errors import ModelError
from deskhand.models.base import ChatModel
from deskhand.runner.run import StepInfo
from deskhand.runner.steps import Resolution, StepContext
from deskhand.tree.snapshot import RefTable
from deskhand.workflows.interpolate import format_value, interpolate
from deskhand.workflows.model import Step

_SECRET = re.compile(r"(\{secret:[A-Za-z_]\w*\})")
# Shorter input values are only turned back into templates when they are the whole value ("1" in "12" is not).
_MIN_EMBEDDED = 3


class AgentSolver:
    """``Runner(free_form=AgentSolver(model_from_spec(), recorder=store))``: a model carries out free-form steps."""

    def __init__(
        self,
        model: ChatModel,
        *,
        recorder: ModelCallRecorder | None = None,
        limits: AgentLimits | None = None,
        ask_user: Callable[[str], str] | None = None,
    ) -> None:
        self.loop = AgentLoop(model, limits=limits, recorder=recorder)
        self.ask_user = ask_user
        self._calls = 0
        self._input_tokens = 0
        self._output_tokens = 0
        self._run_id: str | None = None
        self._run_spend = Spend()

    @property
    def calls(self) -> int:
        return self._calls

    @property
    def tokens(self) -> tuple[int, int]:
        return self._input_tokens, self._output_tokens

    def solve(self, step: Step, ctx: StepContext, info: StepInfo) -> list[Resolution]:
        if info.run_id != self._run_id:
            # The run budget starts afresh with each run.
            self._run_id, self._run_spend = info.run_id, Spend()
        toolbox = ToolBox(
            ctx.desktop,
            RefTable(),
            open_app=ctx.open_app,
            ask_user=self.ask_user,
            expand_text=ctx.fill_in_unauthored,
            app=ctx.current_app,
            timeout=ctx.timeout,
        )
        task = task_message(interpolate(step.sentence, ctx.values), step.details)
        before = (self._run_spend.model_calls, self._run_spend.input_tokens, self._run_spend.output_tokens)
        try:
            result = self.loop.run(task, toolbox, run_spend=self._run_spend, where=StepRecord(info.run_id, step.n))
        finally:
            ctx.current_app = toolbox.current_app
            self._calls += self._run_spend.model_calls - before[0]
            self._input_tokens += self._run_spend.input_tokens - before[1]
            self._output_tokens += self._run_spend.output_tokens - before[2]
        if result.finish.status != "done":
            raise ModelError(
                f"The model could not do step {step.n}: {result.finish.text}",
                hint="Check that the app is in the state the step expects, or write the step more precisely.",
            )
        return [to_resolution(action, ctx.values) for action in result.actions]


def to_resolution(action: RecordedAction, values: Mapping[str, object]) -> Resolution:
    """The lock's form of an agent action, its value turned back into a template of the run's inputs."""
    value = None if action.value is None else as_template(action.value, values)
    return Resolution(action.kind, action.selector, value, dict(action.fingerprint))


def as_template(text: str, values: Mapping[str, object]) -> str:
    """``text`` with input values written as ``{name}`` and other braces escaped, so interpolating it with the
    same values gives ``text`` back."""
    whole = next((name for name, value in values.items() if format_value(value) == text and text), None)
    if whole is not None:
        return "{" + whole + "}"
    embedded = sorted(
        ((name, format_value(value)) for name, value in values.items() if len(format_value(value)) >= _MIN_EMBEDDED),
        key=lambda pair: -len(pair[1]),
    )
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(shown)}(?!\w)" for _, shown in embedded)) if embedded else None
    names = {shown: name for name, shown in reversed(embedded)}
    out: list[str] = []
    for piece in _SECRET.split(text):
        if _SECRET.fullmatch(piece):
            out.append(piece)
            continue
        position = 0
        for found in pattern.finditer(piece) if pattern is not None else ():
            out.append(_escape(piece[position : found.start()]))
            out.append("{" + names[found.group()] + "}")
            position = found.end()
        out.append(_escape(piece[position:]))
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


__all__ = ["AgentSolver", "as_template", "to_resolution"]
