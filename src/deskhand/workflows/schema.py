"""Checking the front matter's keys and types, and turning them into typed values."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from deskhand.errors import InputError, WorkflowError
from deskhand.workflows.model import INPUT_TYPES, InputSpec, InputType, Limits, Retries, Schedule, Step, StepRef
from deskhand.workflows.pager_keys import read_retries, shown_url, url_problem
from deskhand.workflows.policy_entries import app_problem, site_problem
from deskhand.workflows.unattended_keys import read_schedule, read_verify
from deskhand.workflows.values import coerce_value

KNOWN_KEYS = (
    "name",
    "description",
    "inputs",
    "apps",
    "sites",
    "confirm",
    "preapproved",
    "secrets",
    "limits",
    "browser",
    "notify",
    "retries",
    "schedule",
    "verify",
)
BROWSERS = ("chromium", "firefox")
INPUT_KEYS = ("type", "required", "default", "choices", "description")
LIMIT_KEYS = ("max_steps", "max_minutes", "max_spend_usd")
_NOTIFY_HINT = (
    'Write apprise URLs, e.g. notify: ["mailto://user:pass@example.com", "json://127.0.0.1:8000/hook"]; '
    "the forms are listed at https://github.com/caronc/apprise/wiki."
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Header:
    """The front matter, checked."""

    name: str
    description: str
    inputs: Mapping[str, InputSpec]
    apps: tuple[str, ...]
    sites: tuple[str, ...]
    confirm: tuple[StepRef, ...]
    preapproved: tuple[StepRef, ...]
    secrets: tuple[str, ...]
    limits: Limits
    browser: str = ""
    notify: tuple[str, ...] = ()
    retries: Retries = field(default_factory=Retries)
    schedule: Schedule = field(default_factory=Schedule)
    verify: tuple[Step, ...] = ()


@dataclass(frozen=True, slots=True)
class _Checker:
    path: str
    lines: Mapping[str, int]
    start_line: int

    def line(self, key: str) -> int:
        """The line of ``key``, or of its nearest parent that has one."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key.rpartition(".")[0]
        return self.start_line

    def fail(self, key: str, message: str, hint: str) -> WorkflowError:
        return WorkflowError(message, file=self.path, line=self.line(key), hint=hint)

    def unknown_keys(self, where: str, keys: Mapping[object, object], known: tuple[str, ...]) -> None:
        for key in keys:
            if str(key) in known:
                continue
            nearest = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
            guess = f"Did you mean {nearest[0]!r}? " if nearest else ""
            raise self.fail(
                f"{where}.{key}".lstrip("."),
                f"Unknown key {str(key)!r}{' in ' + where if where else ''}.",
                f"{guess}Known keys: {', '.join(known)}.",
            )

    def text(self, key: str, value: object, *, required: bool = False) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(
                key,
                f"{key!r} must be text, not {_describe(value)}.",
                f'Write it as {key.rpartition(".")[2]}: "some text".',
            )
        return value

    def browser(self, value: object) -> str:
        """What "the browser" means in this workflow: chromium or firefox ("" when not said)."""
        text = self.text("browser", value).strip().casefold()
        if text and text not in BROWSERS:
            close = difflib.get_close_matches(text, BROWSERS, n=1)
            raise self.fail(
                "browser",
                f"{value!r} is not a browser deskhand can open.",
                f"Write browser: {close[0] if close else BROWSERS[0]} (one of: {', '.join(BROWSERS)}).",
            )
        return text

    def strings(self, key: str, value: object, *, identifiers: bool = False) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            example = f"[{value}]" if isinstance(value, str | int | float) else "[first, second]"
            raise self.fail(key, f"{key!r} must be a list, not {_describe(value)}.", f"Write it as {key}: {example}")
        out: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{key}.{index}", f"Item {index + 1} of {key!r} must be text.", "Quote it.")
            if identifiers and not _IDENTIFIER.match(item):
                raise self.fail(
                    f"{key}.{index}",
                    f"{item!r} in {key!r} is not a usable name.",
                    "Use letters, digits and underscores, starting with a letter, e.g. crm_password.",
                )
            out.append(item)
        return tuple(out)

    def policy_entries(
        self, key: str, value: object, problem: Callable[[str], str | None], example: str
    ) -> tuple[str, ...]:
        entries = self.strings(key, value)
        for index, entry in enumerate(entries):
            why = problem(entry)
            if why is not None:
                raise self.fail(
                    f"{key}.{index}",
                    f"{entry!r} in {key!r} is not {'an origin' if key == 'sites' else 'an app name'}: {why}.",
                    f"Write the {'origin' if key == 'sites' else 'app'} itself, e.g. {key}: [{example}].",
                )
        return entries

    def notify(self, value: object) -> tuple[str, ...]:
        urls = self.strings("notify", [value] if isinstance(value, str) else value)
        for index, url in enumerate(urls):
            why = url_problem(url)
            if why is not None:
                shown = shown_url(url)
                raise self.fail(f"notify.{index}", f"{shown!r} in 'notify' is not a notice URL: {why}.", _NOTIFY_HINT)
        return urls

    def step_refs(self, key: str, value: object) -> tuple[StepRef, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(
                key,
                f"{key!r} must be a list of step numbers or step sentences, not {_describe(value)}.",
                f"Write it as {key}: [{value if isinstance(value, int | str) else 3}]",
            )
        refs: list[StepRef] = []
        for index, item in enumerate(value):
            if isinstance(item, int) and not isinstance(item, bool):
                refs.append(StepRef(number=item))
            elif isinstance(item, str) and item.strip():
                refs.append(StepRef(sentence=item))
            else:
                raise self.fail(
                    f"{key}.{index}",
                    f"Item {index + 1} of {key!r} must be a step number or a step sentence, not {_describe(item)}.",
                    'Write a number such as 5, or the step\'s sentence in quotes: "Click \\"Save\\"".',
                )
        return tuple(refs)

    def limits(self, value: object) -> Limits:
        if value is None:
            return Limits()
        if not isinstance(value, dict):
            raise self.fail(
                "limits",
                f"'limits' must be a mapping, not {_describe(value)}.",
                "Write it as limits: {max_steps: 40, max_minutes: 5}",
            )
        self.unknown_keys("limits", value, LIMIT_KEYS)
        max_steps = value.get("max_steps")
        if max_steps is not None and (not isinstance(max_steps, int) or isinstance(max_steps, bool)):
            raise self.fail("limits.max_steps", "'max_steps' must be a whole number.", "For example 40.")
        if isinstance(max_steps, int) and max_steps < 1:
            raise self.fail("limits.max_steps", "'max_steps' must be at least 1.", "For example 40.")
        return Limits(
            max_steps=max_steps,
            max_minutes=self.amount("limits.max_minutes", value.get("max_minutes"), positive=True),
            max_spend_usd=self.amount("limits.max_spend_usd", value.get("max_spend_usd"), positive=False),
        )

    def amount(self, key: str, value: object, *, positive: bool) -> float | None:
        if value is None:
            return None
        name = key.rpartition(".")[2]
        if not isinstance(value, int | float) or isinstance(value, bool) or value != value:
            raise self.fail(key, f"{name!r} must be a number, not {_describe(value)}.", "For example 5 or 0.5.")
        if value < 0 or (positive and value == 0):
            relation = "more than 0" if positive else "0 or more"
            raise self.fail(key, f"{name!r} must be {relation}.", "For example 5 or 0.5.")
        return float(value)

    def inputs(self, value: object) -> Mapping[str, InputSpec]:
        if value is None:
            return MappingProxyType({})
        if not isinstance(value, dict):
            raise self.fail(
                "inputs",
                f"'inputs' must be a mapping of input names to their specs, not {_describe(value)}.",
                "Write it as inputs:\n  email: {type: string, required: true}",
            )
        specs: dict[str, InputSpec] = {}
        for name, spec in value.items():
            key = f"inputs.{name}"
            if not isinstance(name, str) or not _IDENTIFIER.match(name):
                raise self.fail(
                    key,
                    f"The input name {name!r} cannot be used in steps as {{{name}}}.",
                    "Use letters, digits and underscores, starting with a letter, e.g. first_name.",
                )
            specs[name] = self.input_spec(key, spec)
        return MappingProxyType(specs)

    def input_spec(self, key: str, spec: object) -> InputSpec:
        if spec is None:
            return InputSpec()
        if isinstance(spec, str):
            spec = {"type": spec}  # shorthand: `email: string`
        if not isinstance(spec, dict):
            raise self.fail(
                key,
                f"The spec of input {key.partition('.')[2]!r} must be a mapping, not {_describe(spec)}.",
                "Write it as {type: string, required: true}.",
            )
        self.unknown_keys(key, spec, INPUT_KEYS)
        choices = self.choices(f"{key}.choices", spec.get("choices"))
        input_type = self.input_type(f"{key}.type", spec.get("type", "enum" if choices else "string"))
        if input_type == "enum" and not choices:
            raise self.fail(
                key, "An enum input needs its choices.", "Add choices, e.g. {type: enum, choices: [Basic, Pro]}."
            )
        if choices and input_type != "enum":
            raise self.fail(f"{key}.choices", f"Only an enum input has choices, not a {input_type}.", "Use type: enum.")
        required = spec.get("required", False)
        if not isinstance(required, bool):
            raise self.fail(f"{key}.required", "'required' must be true or false.", "Write required: true.")
        partial = InputSpec(
            input_type, required, None, choices, self.text(f"{key}.description", spec.get("description"))
        )
        default = spec.get("default")
        if default is not None:
            try:
                default = coerce_value(partial, default)
            except InputError as error:
                raise self.fail(
                    f"{key}.default", f"The default {error.bare_message} ({input_type} input).", error.hint
                ) from None
        return InputSpec(input_type, required, default, choices, partial.description)

    def input_type(self, key: str, value: object) -> InputType:
        for known in INPUT_TYPES:
            if value == known:
                return known
        nearest = difflib.get_close_matches(str(value), INPUT_TYPES, n=1, cutoff=0.4)
        guess = f"Did you mean {nearest[0]!r}? " if nearest else ""
        raise self.fail(key, f"Unknown input type {value!r}.", f"{guess}Types: {', '.join(INPUT_TYPES)}.")

    def choices(self, key: str, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            raise self.fail(key, "'choices' must be a non-empty list.", "Write choices: [Basic, Pro].")
        out: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise self.fail(
                    f"{key}.{index}",
                    f"Choice {index + 1} must be text, not {_describe(item)}.",
                    'Quote it: YAML reads yes, no, on and off as true/false, so write "yes".',
                )
            if str(item).casefold() in (c.casefold() for c in out):
                raise self.fail(f"{key}.{index}", f"The choice {item!r} is listed twice.", "Remove one.")
            out.append(str(item))
        return tuple(out)


def read_header(data: Mapping[object, object], lines: Mapping[str, int], path: str, start_line: int) -> Header:
    """The typed front matter; a :class:`WorkflowError` at the offending line for anything wrong."""
    check = _Checker(path, lines, start_line)
    check.unknown_keys("", data, KNOWN_KEYS)
    if "name" not in data:
        raise check.fail(
            "name", "The front matter has no 'name'.", "Add a line such as name: add-contact (used in logs)."
        )
    return Header(
        name=check.text("name", data["name"], required=True).strip(),
        description=check.text("description", data.get("description")),
        inputs=check.inputs(data.get("inputs")),
        apps=check.policy_entries("apps", data.get("apps"), app_problem, "mousepad"),
        sites=check.policy_entries("sites", data.get("sites"), site_problem, "https://example.com"),
        confirm=check.step_refs("confirm", data.get("confirm")),
        preapproved=check.step_refs("preapproved", data.get("preapproved")),
        secrets=check.strings("secrets", data.get("secrets"), identifiers=True),
        limits=check.limits(data.get("limits")),
        browser=check.browser(data.get("browser")),
        notify=check.notify(data.get("notify")),
        retries=read_retries(data.get("retries"), check.fail),
        schedule=read_schedule(data.get("schedule"), check.fail),
        verify=read_verify(data.get("verify"), check.fail, lines),
    )


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{type(value).__name__} {value!r}"
