"""Anthropic Messages API adapter, through the official ``anthropic`` SDK.

This module is imported only when an ``anthropic:`` model is chosen, so the SDK is never loaded otherwise.
SDK exceptions are translated here into :mod:`deskhand.errors`; nothing above sees them.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import anthropic
import httpx2
from anthropic.types import Message as WireMessage
from anthropic.types import RawMessageStreamEvent

from deskhand.errors import ModelError
from deskhand.models import failures
from deskhand.models.messages import (
    STOP_END_TURN,
    AssistantMessage,
    Message,
    ModelReply,
    ToolCall,
    ToolResultMessage,
    ToolSpec,
    Usage,
    UserMessage,
)
from deskhand.models.pricing import estimate_cost_usd

DEFAULT_BASE_URL = "https://api.anthropic.com"
KEY_VARIABLE = "ANTHROPIC_API_KEY"
_PROVIDER = "the Anthropic API"


class AnthropicModel:
    """A Claude model over the Messages API, plain or streamed.

    ``stream=True`` reads the answer as server-sent events and assembles text and tool-call arguments
    from the deltas; the reply is the same either way. ``max_retries`` is the SDK's own retry of
    connection errors, 429 and 5xx answers, with backoff.
    """

    def __init__(
        self,
        model: str,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        stream: bool = False,
        max_retries: int = 2,
        timeout_s: float = 120.0,
    ) -> None:
        self.model = model
        self.name = f"anthropic:{model}"
        self.base_url = base_url
        self.stream = stream
        # Passing the key and URL explicitly keeps the SDK from reading its own environment and profiles.
        self._client = anthropic.Anthropic(
            api_key=api_key, base_url=base_url, max_retries=max_retries, timeout=timeout_s
        )

    def complete(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        *,
        system: str,
        max_tokens: int = 1024,
    ) -> ModelReply:
        params: dict[str, Any] = {
            "model": self.model,
            "max_tokens": max_tokens,
            "messages": to_wire_messages(messages),
        }
        if system:
            params["system"] = system
        if tools:
            params["tools"] = to_wire_tools(tools)
        started = time.perf_counter()
        try:
            draft = self._stream(params) if self.stream else self._plain(params)
        except anthropic.AnthropicError as exc:
            raise self._translate(exc) from exc
        except httpx2.HTTPError as exc:
            # This SDK lets a connection dropped mid-stream surface from its transport (httpx2) unwrapped.
            raise failures.unreachable(_PROVIDER, self.base_url, str(exc), hint=_UNREACHABLE_HINT) from exc
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise failures.unusable_answer(_PROVIDER, self.base_url, f"{type(exc).__name__}: {exc}") from exc
        latency_ms = (time.perf_counter() - started) * 1000
        usage = Usage(draft.input_tokens, draft.output_tokens)
        model = draft.model or self.model
        return ModelReply(
            text=draft.text(),
            tool_calls=draft.tool_calls(),
            usage=usage,
            latency_ms=latency_ms,
            cost_usd=estimate_cost_usd("anthropic", model, usage),
            stop_reason=draft.stop_reason or STOP_END_TURN,
            model=model,
        )

    def _plain(self, params: dict[str, Any]) -> _Draft:
        response = cast(WireMessage, self._client.messages.create(**params))
        draft = _Draft(model=response.model, stop_reason=response.stop_reason or "")
        for index, block in enumerate(response.content):
            if block.type == "text":
                draft.texts[index] = [block.text]
            elif block.type == "tool_use":
                draft.tools[index] = _ToolDraft(block.id, block.name, decoded=block.input)
        draft.input_tokens = _input_tokens(response.usage)
        draft.output_tokens = response.usage.output_tokens or 0
        return draft

    def _stream(self, params: dict[str, Any]) -> _Draft:
        # The raw event stream rather than ``messages.stream()``: that helper parses tool JSON as it
        # arrives and aborts the whole reply on malformed arguments, which we must report, not crash on.
        draft = _Draft()
        with self._client.messages.create(**params, stream=True) as events:
            for event in events:
                _accumulate(draft, event)
        if not draft.model:
            raise ValueError("the event stream ended without a message_start event")
        return draft

    def _translate(self, exc: anthropic.AnthropicError) -> ModelError:
        if isinstance(exc, anthropic.AuthenticationError | anthropic.PermissionDeniedError):
            return failures.key_rejected(_PROVIDER, self.base_url, KEY_VARIABLE, exc.status_code, _detail(exc))
        if isinstance(exc, anthropic.APIStatusError) and exc.status_code < 400:
            # An error event inside a 200 stream.
            return failures.stream_error(_PROVIDER, self.base_url, _detail(exc))
        if isinstance(exc, anthropic.APIStatusError):
            return failures.http_error(_PROVIDER, self.base_url, exc.status_code, _detail(exc))
        if isinstance(exc, anthropic.APIConnectionError):
            cause = exc.__cause__ or exc
            return failures.unreachable(_PROVIDER, self.base_url, str(cause), hint=_UNREACHABLE_HINT)
        return failures.unusable_answer(_PROVIDER, self.base_url, str(exc))


_UNREACHABLE_HINT = "Check your network, or ANTHROPIC_BASE_URL / anthropic_base_url in config.toml."


@dataclass(slots=True)
class _ToolDraft:
    id: str
    name: str
    json_parts: list[str] = field(default_factory=list)
    decoded: object = None

    def finish(self) -> ToolCall:
        if self.json_parts:
            return ToolCall.from_raw(self.id, self.name, "".join(self.json_parts))
        return ToolCall.from_object(self.id, self.name, {} if self.decoded is None else self.decoded)


@dataclass(slots=True)
class _Draft:
    """A reply being put together, block by block (content blocks are keyed by their index)."""

    model: str = ""
    stop_reason: str = ""
    input_tokens: int = 0
    output_tokens: int = 0
    texts: dict[int, list[str]] = field(default_factory=dict)
    tools: dict[int, _ToolDraft] = field(default_factory=dict)

    def text(self) -> str:
        return "".join("".join(self.texts[index]) for index in sorted(self.texts))

    def tool_calls(self) -> tuple[ToolCall, ...]:
        return tuple(self.tools[index].finish() for index in sorted(self.tools))


def _accumulate(draft: _Draft, event: RawMessageStreamEvent) -> None:
    if event.type == "message_start":
        draft.model = event.message.model
        draft.input_tokens = _input_tokens(event.message.usage)
        draft.output_tokens = event.message.usage.output_tokens or 0
    elif event.type == "content_block_start":
        block = event.content_block
        if block.type == "text":
            draft.texts[event.index] = [block.text]
        elif block.type == "tool_use":
            draft.tools[event.index] = _ToolDraft(block.id, block.name, decoded=block.input)
    elif event.type == "content_block_delta":
        delta = event.delta
        if delta.type == "text_delta":
            draft.texts.setdefault(event.index, []).append(delta.text)
        elif delta.type == "input_json_delta" and event.index in draft.tools:
            draft.tools[event.index].json_parts.append(delta.partial_json)
    elif event.type == "message_delta":
        draft.stop_reason = event.delta.stop_reason or draft.stop_reason
        # Counts on message_delta are cumulative totals: they replace, not add.
        draft.output_tokens = event.usage.output_tokens or draft.output_tokens
        if event.usage.input_tokens is not None:
            draft.input_tokens = _input_tokens(event.usage)


def _input_tokens(usage: Any) -> int:
    """Prompt tokens including cached ones, which Anthropic reports apart."""
    total = 0
    for attribute in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"):
        total += getattr(usage, attribute, None) or 0
    return total


def _detail(exc: anthropic.APIStatusError) -> str:
    message = exc.api_message or exc.message
    return f"{exc.type}: {message}" if exc.type else message


def to_wire_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    """Tool specs as the Messages API wants them."""
    return [
        {"name": tool.name, "description": tool.description, "input_schema": dict(tool.parameters)} for tool in tools
    ]


def to_wire_messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Neutral messages as Messages API turns; consecutive same-role messages share one turn, as the API
    requires tool results to sit together in the user turn that follows the tool calls."""
    turns: list[dict[str, Any]] = []
    for message in messages:
        role = "assistant" if isinstance(message, AssistantMessage) else "user"
        blocks = _blocks(message)
        if not blocks:
            continue
        if turns and turns[-1]["role"] == role:
            turns[-1]["content"].extend(blocks)
        else:
            turns.append({"role": role, "content": blocks})
    return turns


def _blocks(message: Message) -> list[dict[str, Any]]:
    if isinstance(message, UserMessage):
        blocks = [_image_block(message.image_png)] if message.image_png else []
        if message.text:
            blocks.append({"type": "text", "text": message.text})
        return blocks
    if isinstance(message, AssistantMessage):
        blocks = [{"type": "text", "text": message.text}] if message.text else []
        blocks.extend(
            {"type": "tool_use", "id": call.id, "name": call.name, "input": dict(call.arguments)}
            for call in message.tool_calls
        )
        return blocks
    return [_tool_result_block(message)]


def _tool_result_block(result: ToolResultMessage) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": result.content or "(no output)"}]
    if result.image_png:
        content.append(_image_block(result.image_png))
    return {
        "type": "tool_result",
        "tool_use_id": result.call_id,
        "content": content,
        "is_error": result.is_error,
    }


def _image_block(png: bytes) -> dict[str, Any]:
    data = base64.b64encode(png).decode("ascii")
    return {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}
