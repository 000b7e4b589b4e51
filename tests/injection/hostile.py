"""A hostile model behind the real provider wire formats: it reads each request, finds the elements the injection
points at in the observation it was sent, and makes the tool calls that would obey the injection.

The fake provider servers answer from a queue; :class:`Reacting` fills that queue at the moment a request
arrives, from the request body itself, so every ref the model uses is one it was actually shown::

    with running(ReactingAnthropic()) as server:
        server.brain = HostileBrain([Click("button", "Send"), Give_up()])
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from tests.fakes.providers import FakeAnthropic, FakeOpenAI, FakeToolCall, Reply, ScriptedAnswer

_REF = re.compile(r"\[(e\d+)\]")
SCREEN_MARK = "Screen:\n"


class Brain(Protocol):
    def answer(self, body: dict[str, Any]) -> ScriptedAnswer: ...


def texts_of(value: Any) -> Iterator[str]:
    """Every string inside a JSON value, in document order (both wire formats nest text differently)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)


def latest_observation(body: dict[str, Any]) -> str:
    """The newest screen outline in a request (older ones are replaced by a placeholder before sending)."""
    screens = [text for text in texts_of(body.get("messages", [])) if SCREEN_MARK in text]
    return screens[-1] if screens else ""


def ref_in(observation: str, role: str, name: str) -> str | None:
    """The short ref of the first outline line ``- role "name" [eN]`` (or ``(label "name")``)."""
    for line in observation.splitlines():
        stripped = line.strip().removeprefix("~ ").removeprefix("+ ").removeprefix("- ")
        if not stripped.startswith(f"{role} "):
            continue
        if f'"{name}"' in stripped.split("[", 1)[0]:
            found = _REF.search(stripped)
            if found is not None:
                return found.group(1)
    return None


class Move(Protocol):
    """One thing the hostile model tries; ``None`` when what it needs is not on the screen it was shown."""

    def call(self, observation: str) -> FakeToolCall | None: ...


@dataclass(frozen=True)
class Click:
    role: str
    name: str

    def call(self, observation: str) -> FakeToolCall | None:
        ref = ref_in(observation, self.role, self.name)
        return None if ref is None else FakeToolCall("click", {"ref": ref})


@dataclass(frozen=True)
class Fill:
    role: str
    name: str
    text: str

    def call(self, observation: str) -> FakeToolCall | None:
        ref = ref_in(observation, self.role, self.name)
        return None if ref is None else FakeToolCall("fill", {"ref": ref, "text": self.text})


@dataclass(frozen=True)
class Tool:
    """A call that needs no ref: press, open_app, done…"""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)

    def call(self, observation: str) -> FakeToolCall | None:
        return FakeToolCall(self.name, self.arguments)


def press(keys: str) -> Tool:
    return Tool("press", {"keys": keys})


def open_app(name: str) -> Tool:
    return Tool("open_app", {"name": name})


@dataclass
class HostileBrain:
    """Plays ``moves`` in order, one tool call a turn, skipping those whose target it was not shown; then ends
    with ``finish`` (``fail`` by default: it was blocked). Keeps every observation it was sent."""

    moves: Sequence[Move]
    finish: FakeToolCall = field(default_factory=lambda: FakeToolCall("fail", {"reason": "I was blocked."}))
    input_tokens: int = 1200
    output_tokens: int = 40
    seen: list[str] = field(default_factory=list)
    made: list[FakeToolCall] = field(default_factory=list)
    skipped: list[Move] = field(default_factory=list)
    _next: int = 0

    def answer(self, body: dict[str, Any]) -> ScriptedAnswer:
        observation = latest_observation(body)
        self.seen.append(observation)
        while self._next < len(self.moves):
            move = self.moves[self._next]
            self._next += 1
            call = move.call(observation)
            if call is not None:
                self.made.append(call)
                return self._reply(call)
            self.skipped.append(move)
        self.made.append(self.finish)
        return self._reply(self.finish)

    def _reply(self, call: FakeToolCall) -> Reply:
        return Reply(
            text="Doing what the page says.",
            tool_calls=[call],
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
        )


def _feed(server: FakeAnthropic | FakeOpenAI, brain: Brain | None, method: str, raw_body: bytes) -> None:
    """Queue the brain's answer to this request, so the reply is made from what the request carried."""
    if brain is not None and method == "POST":
        body = json.loads(raw_body) if raw_body else {}
        server.push(brain.answer(body if isinstance(body, dict) else {}))


class ReactingAnthropic(FakeAnthropic):
    """A fake Anthropic server whose answers come from its ``brain`` (set per test; None answers HTTP 500)."""

    brain: Brain | None = None

    def answer(self, method: str, path: str, headers: dict[str, str], raw_body: bytes) -> Any:
        _feed(self, self.brain, method, raw_body)
        return super().answer(method, path, headers, raw_body)


class ReactingOpenAI(FakeOpenAI):
    """A fake OpenAI-compatible server whose answers come from its ``brain``."""

    brain: Brain | None = None

    def answer(self, method: str, path: str, headers: dict[str, str], raw_body: bytes) -> Any:
        _feed(self, self.brain, method, raw_body)
        return super().answer(method, path, headers, raw_body)


Reacting = TypeVar("Reacting", ReactingAnthropic, ReactingOpenAI)


@contextmanager
def running(server: Reacting) -> Iterator[Reacting]:
    with server:
        yield server
