"""Provider-neutral conversation types: what goes into a ChatModel and what comes back.

Adapters translate these to and from each provider's wire format; nothing above ``deskhand.models`` ever
sees an SDK type. Images travel as PNG bytes; adapters encode them as the provider expects.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Normalised stop reasons; adapters map provider values onto these and pass unknown ones through unchanged.
STOP_END_TURN = "end_turn"
STOP_TOOL_USE = "tool_use"
STOP_MAX_TOKENS = "max_tokens"


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool the model may call; ``parameters`` is a JSON schema of an object."""

    name: str
    description: str
    parameters: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A tool call as the model made it.

    ``arguments`` is the parsed object ({} when parsing failed); ``raw_arguments`` is the text the model
    sent; ``parse_error`` says why it could not be used, so the agent can tell the model instead of crashing.
    The tool name is returned as the model wrote it, known or not: judging it is the agent's business.
    """

    id: str
    name: str
    arguments: Mapping[str, Any]
    raw_arguments: str
    parse_error: str | None = None

    @classmethod
    def from_raw(cls, call_id: str, name: str, raw_arguments: str) -> ToolCall:
        """Parse the model's argument text; malformed text yields a call with ``parse_error`` set."""
        text = raw_arguments.strip()
        if not text:
            # Models (and servers) send an empty string for a call without arguments.
            return cls(call_id, name, {}, raw_arguments)
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            return cls(call_id, name, {}, raw_arguments, f"arguments are not valid JSON: {exc}")
        if not isinstance(parsed, dict):
            kind = type(parsed).__name__
            return cls(call_id, name, {}, raw_arguments, f"arguments must be a JSON object, got {kind}")
        return cls(call_id, name, parsed, raw_arguments)

    @classmethod
    def from_object(cls, call_id: str, name: str, arguments: object) -> ToolCall:
        """Build a call from already-decoded arguments (as Anthropic sends them), checking their shape."""
        if isinstance(arguments, str):
            return cls.from_raw(call_id, name, arguments)
        raw = json.dumps(arguments, ensure_ascii=False)
        if not isinstance(arguments, dict):
            kind = type(arguments).__name__
            return cls(call_id, name, {}, raw, f"arguments must be a JSON object, got {kind}")
        return cls(call_id, name, arguments, raw)


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens spent by one call; ``estimated`` when the server did not report them and we counted."""

    input_tokens: int = 0
    output_tokens: int = 0
    estimated: bool = False

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True, slots=True)
class UserMessage:
    """Words from the user (or the agent speaking for it), optionally with a PNG screenshot."""

    text: str
    image_png: bytes | None = None


@dataclass(frozen=True, slots=True)
class AssistantMessage:
    """What the model said earlier: text and the tool calls it made."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()


@dataclass(frozen=True, slots=True)
class ToolResultMessage:
    """The outcome of one tool call, sent back to the model."""

    call_id: str
    content: str
    is_error: bool = False
    image_png: bytes | None = None


Message = UserMessage | AssistantMessage | ToolResultMessage


@dataclass(frozen=True, slots=True)
class ModelReply:
    """One answer from a model, with what it cost.

    ``model`` is the model id the server reports (it may be more specific than the one asked for);
    ``stop_reason`` is one of the ``STOP_*`` values or the provider's own word for anything else.
    """

    text: str
    tool_calls: tuple[ToolCall, ...] = ()
    usage: Usage = field(default_factory=Usage)
    latency_ms: float = 0.0
    cost_usd: float = 0.0
    stop_reason: str = STOP_END_TURN
    model: str = ""

    def as_message(self) -> AssistantMessage:
        """The reply as history, to send back on the next turn."""
        return AssistantMessage(text=self.text, tool_calls=self.tool_calls)
