"""The agent's tools: a typed registry that also yields the JSON schemas, and the ToolBox that runs them.

Each tool's arguments are a pydantic model, so the schema the model sees and the validation of what it sends
come from one definition. The ToolBox resolves short refs (``e12``) to backend refs, acts through locators
(so waiting, read-back and the policy guard beneath the backend all apply), answers with text for the model
(errors included, as text it can recover from) and records every concrete action as
``(kind, selector, value, fingerprint)`` so a later run can replay it without a model::

    box = ToolBox(desktop, refs, open_app=launcher.open_app, app="mousepad")
    result = box.call("fill", {"ref": "e4", "text": "Ada"})
    result.text        # 'Filled textbox "Name" [e4]: it now reads "Ada".'
    box.actions[-1]    # RecordedAction('type_text', 'role=textbox[name="Name"][exact]', 'Ada', {...})

Action kinds are the lock's: click, type_text, choose, set_checked, scroll, press, open_app. ``read``,
``wait_for`` and ``screenshot`` only look, so they are not recorded.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from deskhand.agent.targets import find_element, stable_selector
from deskhand.errors import DeskhandError, LocatorTimeout, NoMatch
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import Locator, Resolved, is_visible
from deskhand.locate.waiting import retry_until
from deskhand.models.messages import ToolSpec
from deskhand.tree.fingerprint import facts_for, fingerprint_of
from deskhand.tree.match import describe
from deskhand.tree.roles import State
from deskhand.tree.snapshot import RefTable

Ref = Field(description="The element's ref from the snapshot, e.g. e12.")
FinishStatus = Literal["done", "failed"]


class ToolArguments(BaseModel):
    """Base of every tool's arguments: unknown keys are refused, so a typo reaches the model as an error."""

    model_config = ConfigDict(extra="forbid")


class RefArguments(ToolArguments):
    ref: str = Ref


class FillArguments(ToolArguments):
    ref: str = Ref
    text: str = Field(description="The whole new text of the field (it replaces what is there).")


class SelectArguments(ToolArguments):
    ref: str = Ref
    option: str = Field(description="The visible text of the option to pick.")


class CheckArguments(ToolArguments):
    ref: str = Ref
    on: bool = Field(default=True, description="true to check, false to uncheck.")


class PressArguments(ToolArguments):
    keys: str = Field(description="A key or chord, e.g. Enter, Tab, Ctrl+S, Alt+F4.")


class ScrollArguments(ToolArguments):
    ref: str = Ref
    direction: Literal["up", "down", "left", "right"] = "down"


class OpenAppArguments(ToolArguments):
    name: str = Field(description="The app to open, e.g. mousepad, calculator, browser.")


class WaitForArguments(ToolArguments):
    text: str = Field(description="Text that should appear on screen.")
    timeout: float = Field(default=5.0, ge=0, le=60, description="Seconds to wait at most.")


class NoArguments(ToolArguments):
    pass


class DoneArguments(ToolArguments):
    summary: str = Field(description="What was done, in one sentence.")


class FailArguments(ToolArguments):
    reason: str = Field(description="Why the task cannot be done, and what is on screen instead.")


class AskUserArguments(ToolArguments):
    question: str = Field(description="One clear question for the person running the workflow.")


@dataclass(frozen=True, slots=True)
class Tool:
    """One tool: its name, what it does (for the model) and the model of its arguments."""

    name: str
    description: str
    arguments: type[ToolArguments]

    def spec(self) -> ToolSpec:
        return ToolSpec(self.name, self.description, _schema(self.arguments))


TOOLS: tuple[Tool, ...] = (
    Tool("click", "Click an element (button, link, tab, menu item, list row).", RefArguments),
    Tool("fill", "Replace the text of a text field with the given text.", FillArguments),
    Tool("select", "Pick an option in a combo box or list by its visible text.", SelectArguments),
    Tool("check", "Check or uncheck a checkbox, switch or radio button.", CheckArguments),
    Tool("press", "Press a key or chord on whatever has the keyboard focus.", PressArguments),
    Tool("scroll", "Scroll inside an element to reach content that is offscreen.", ScrollArguments),
    Tool("read", "Read the full current text or value of an element.", RefArguments),
    Tool("open_app", "Open an application (or bring it to the front if it is running).", OpenAppArguments),
    Tool("wait_for", "Wait until some text appears on screen.", WaitForArguments),
    Tool("screenshot", "Look at a picture of the screen, when the outline is not enough.", NoArguments),
    Tool("done", "Finish: the task is complete. Call it once everything is done.", DoneArguments),
    Tool("fail", "Give up: the task cannot be done here. Say why.", FailArguments),
    Tool("ask_user", "Ask the person a question when the task is ambiguous.", AskUserArguments),
)
TOOL_NAMES: tuple[str, ...] = tuple(tool.name for tool in TOOLS)


def tool_specs(names: tuple[str, ...] = TOOL_NAMES) -> list[ToolSpec]:
    """The JSON-schema specs of the named tools (all by default), in registry order."""
    return [tool.spec() for tool in TOOLS if tool.name in names]


def find_tool(name: str) -> Tool | None:
    return next((tool for tool in TOOLS if tool.name == name), None)


@dataclass(frozen=True, slots=True)
class RecordedAction:
    """A concrete action as the lock stores it; ``value`` is exactly what the model gave (``{secret:x}`` kept)."""

    kind: str
    selector: str | None
    value: str | None
    fingerprint: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finish:
    """The model ended the task: ``done`` with a summary, or ``failed`` with a reason."""

    status: FinishStatus
    text: str


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What a tool call came to. ``malformed`` marks calls the model got wrong (unknown tool, bad arguments,
    unknown ref) as opposed to actions the app refused; ``error`` keeps the DeskhandError for the caller."""

    text: str
    is_error: bool = False
    malformed: bool = False
    image_png: bytes | None = None
    error: DeskhandError | None = None
    finish: Finish | None = None
    action: RecordedAction | None = None


def element_fingerprint(resolved: Resolved) -> dict[str, Any]:
    """What the lock keeps of an element (the step runner's too): role, name, window, ancestors, app, and
    what repair finds it again by (label, ids, form, neighbours, place; see ``tree.fingerprint``)."""
    match = resolved.match
    facts = facts_for(match.ancestors[0] if match.ancestors else match.node, match.node.ref)
    if facts is not None:
        return dict(fingerprint_of(facts, resolved.app.name))
    window = resolved.match.window
    return {
        "app": resolved.app.name,
        "role": resolved.node.role,
        "name": resolved.node.name,
        "window": window.name if window is not None else "",
        "ancestors": [f"{n.role}:{n.name}" for n in resolved.match.ancestors if n.name][-4:],
    }


class ToolBox:
    """Runs tool calls on one desktop, for one agent session (one RefTable)."""

    def __init__(
        self,
        desktop: Desktop,
        refs: RefTable,
        *,
        open_app: Callable[[str], str] | None = None,
        ask_user: Callable[[str], str] | None = None,
        expand_text: Callable[[str], str] = lambda text: text,
        app: str | None = None,
        timeout: float = 5.0,
    ) -> None:
        """``expand_text`` turns what the model typed into what is typed (it fills in ``{secret:name}`` at the
        last moment, so the model never sees a secret); ``app`` is the app in use, if one is."""
        self.desktop = desktop
        self.refs = refs
        self.current_app = app
        self.timeout = timeout
        self.actions: list[RecordedAction] = []
        self._launch = open_app
        self._ask = ask_user
        self._expand_text = expand_text
        self._handlers: dict[str, Callable[[Any], ToolResult]] = {
            "click": self._click,
            "fill": self._fill,
            "select": self._select,
            "check": self._check,
            "press": self._press,
            "scroll": self._scroll,
            "read": self._read,
            "open_app": self._open_app,
            "wait_for": self._wait_for,
            "screenshot": self._screenshot,
            "done": self._done,
            "fail": self._fail,
            "ask_user": self._ask_user,
        }

    def call(self, name: str, arguments: Mapping[str, Any]) -> ToolResult:
        """Validate and run one call; never raises a DeskhandError (it becomes the result's text)."""
        tool = find_tool(name)
        if tool is None:
            return ToolResult(
                f"There is no tool named {name!r}. Use one of: {', '.join(TOOL_NAMES)}.", is_error=True, malformed=True
            )
        try:
            parsed = tool.arguments.model_validate(dict(arguments))
        except ValidationError as invalid:
            return ToolResult(f"{name}: {_explain(invalid)}", is_error=True, malformed=True)
        try:
            result = self._handlers[name](parsed)
        except _UnknownRef as unknown:
            return ToolResult(unknown.error.model_text, is_error=True, malformed=True, error=unknown.error)
        except DeskhandError as failure:
            return ToolResult(failure.model_text, is_error=True, error=failure)
        if result.action is not None:
            self.actions.append(result.action)
        return result

    # ---- acting on elements -----------------------------------------------------------------------------
    def _target(self, short_ref: str) -> tuple[Locator, str]:
        """A locator that finds the element behind ``short_ref`` (and only it), and its selector text."""
        try:
            backend_ref = self.refs.resolve(short_ref)
        except NoMatch as unknown:
            raise _UnknownRef(unknown) from None
        app_name, _, _ = find_element(self.desktop, backend_ref, self.current_app)
        selector = stable_selector(self.desktop, app_name, backend_ref)
        self.current_app = app_name
        return self.desktop.app(app_name).with_timeout(self.timeout).locator(selector), str(selector)

    def _label(self, resolved: Resolved) -> str:
        short = self.refs.short_ref(resolved.ref)
        return f"{describe(resolved.node)} [{short}]"

    def _acted(self, said: str, resolved: Resolved, kind: str, selector: str, value: str | None) -> ToolResult:
        """The answer to an action on an element: ``said`` and the element, and the action recorded."""
        recorded = RecordedAction(kind, selector, value, element_fingerprint(resolved))
        return ToolResult(f"{said} {self._label(resolved)}.", action=recorded)

    def _click(self, args: RefArguments) -> ToolResult:
        locator, selector = self._target(args.ref)
        return self._acted("Clicked", locator.click(), "click", selector, None)

    def _fill(self, args: FillArguments) -> ToolResult:
        locator, selector = self._target(args.ref)
        typed = self._expand_text(args.text)
        resolved = locator.fill(typed)
        # Read back from the field itself, unless that would show the model a secret it never saw.
        shown = "the text was typed" if typed != args.text else f"it now reads {json.dumps(locator.text())}"
        recorded = RecordedAction("type_text", selector, args.text, element_fingerprint(resolved))
        return ToolResult(f"Filled {self._label(resolved)}: {shown}.", action=recorded)

    def _select(self, args: SelectArguments) -> ToolResult:
        locator, selector = self._target(args.ref)
        resolved = locator.select_option(args.option)
        return self._acted(f"Selected {args.option!r} in", resolved, "choose", selector, args.option)

    def _check(self, args: CheckArguments) -> ToolResult:
        locator, selector = self._target(args.ref)
        resolved = locator.check() if args.on else locator.uncheck()
        said, value = ("Checked", "on") if args.on else ("Unchecked", "off")
        return self._acted(said, resolved, "set_checked", selector, value)

    def _scroll(self, args: ScrollArguments) -> ToolResult:
        locator, selector = self._target(args.ref)
        resolved = locator.scroll(args.direction)
        return self._acted(f"Scrolled {args.direction} in", resolved, "scroll", selector, args.direction)

    def _read(self, args: RefArguments) -> ToolResult:
        locator, _ = self._target(args.ref)
        resolved = locator.wait_for(state="attached")
        text = locator.text()
        if resolved is not None and State.PASSWORD in resolved.node.states:
            text = "••••"
        return ToolResult(f"{args.ref} reads {json.dumps(text, ensure_ascii=False)}.")

    # ---- acting on the desktop --------------------------------------------------------------------------
    def _press(self, args: PressArguments) -> ToolResult:
        self.desktop.press(args.keys)
        return ToolResult(f"Pressed {args.keys}.", action=RecordedAction("press", None, args.keys))

    def _open_app(self, args: OpenAppArguments) -> ToolResult:
        if self._launch is None:
            return ToolResult("Opening apps is not possible here; use the apps already on screen.", is_error=True)
        self.current_app = self._launch(args.name)
        return ToolResult(
            f"Opened {self.current_app!r}; it is now the app in use.",
            action=RecordedAction("open_app", None, args.name),
        )

    def _wait_for(self, args: WaitForArguments) -> ToolResult:
        scope = self.desktop.app(self.current_app) if self.current_app else Locator(self.desktop)
        locator = scope.get_by_text(args.text)

        def attempt() -> None:
            if not any(is_visible(found.node) for found in locator.resolve_all()):
                raise NoMatch(f"{args.text!r} is not on screen yet.")

        def gave_up(last: object) -> LocatorTimeout:
            return LocatorTimeout(
                f"{args.text!r} did not appear within {args.timeout:g} s.",
                hint="Check the snapshot: the text may be worded differently, or an earlier action did not work.",
            )

        retry_until(self.desktop.backend, attempt, timeout=args.timeout, on_timeout=gave_up)
        return ToolResult(f"{args.text!r} is on screen.")

    def _screenshot(self, args: NoArguments) -> ToolResult:
        return ToolResult("A screenshot of the screen is attached.", image_png=self.desktop.screenshot())

    # ---- ending and asking ------------------------------------------------------------------------------
    def _done(self, args: DoneArguments) -> ToolResult:
        return ToolResult(f"Finished: {args.summary}", finish=Finish("done", args.summary))

    def _fail(self, args: FailArguments) -> ToolResult:
        return ToolResult(f"Gave up: {args.reason}", finish=Finish("failed", args.reason))

    def _ask_user(self, args: AskUserArguments) -> ToolResult:
        if self._ask is None:
            return ToolResult(
                "Nobody can answer questions during this run. Decide from the task and the screen, "
                "or call fail(reason) if it truly cannot be done.",
                is_error=True,
            )
        return ToolResult(f"The user answered: {self._ask(args.question)}")


class _UnknownRef(Exception):
    """A ref the model made up or took from an old snapshot: a malformed call, not a refused action."""

    def __init__(self, error: NoMatch) -> None:
        super().__init__(error.message)
        self.error = error


def _explain(invalid: ValidationError) -> str:
    """Pydantic's errors as one line the model can act on: which argument, what was wrong."""
    problems = []
    for error in invalid.errors():
        where = ".".join(str(part) for part in error["loc"]) or "arguments"
        if error["type"] == "missing":
            problems.append(f"{where!r} is required")
        elif error["type"] == "extra_forbidden":
            problems.append(f"{where!r} is not an argument of this tool")
        else:
            problems.append(f"{where!r}: {error['msg']}")
    return "; ".join(problems) + "."


def _schema(arguments: type[ToolArguments]) -> dict[str, Any]:
    """The JSON schema of an arguments model, without pydantic's titles (tokens the model does not need)."""
    schema: dict[str, Any] = _without_titles(arguments.model_json_schema())
    return schema


def _without_titles(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_titles(v) for k, v in value.items() if not (k == "title" and isinstance(v, str))}
    if isinstance(value, list):
        return [_without_titles(item) for item in value]
    return value
