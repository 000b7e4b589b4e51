"""Chat Completions adapter, through the official ``openai`` SDK pointed at any ``base_url``.

One adapter serves OpenAI itself and every server that speaks its API: Ollama, vLLM, llama.cpp, LM Studio,
OpenRouter. Imported only when an ``openai:`` or ``openai-compatible:`` model is chosen. SDK exceptions are
translated here into :mod:`deskhand.errors`.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from deskhand.errors import ModelError
from deskhand.models import failures
from deskhand.models.messages import (
    STOP_END_TURN,
    STOP_MAX_TOKENS,
    STOP_TOOL_USE,
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
from deskhand.models.tokens import estimate_reply_tokens, estimate_request_tokens

OPENAI_BASE_URL = "https://api.openai.com/v1"
KEY_VARIABLE = "OPENAI_API_KEY"
# Local servers ignore the key, but the SDK insists on one.
PLACEHOLDER_KEY = "not-needed"

_STOP_REASONS = {"stop": STOP_END_TURN, "tool_calls": STOP_TOOL_USE, "length": STOP_MAX_TOKENS}


class OpenAICompatModel:
    """A model behind the Chat Completions API, plain or streamed.

    ``provider`` is ``"openai"`` (priced, sends ``max_completion_tokens``) or ``"openai-compatible"``
    (free, sends the older ``max_tokens`` that local servers understand). With ``stream=True`` the answer
    is read as server-sent chunks, tool-call fragments are joined by their index, and usage is asked for
    with ``stream_options.include_usage``. Usage a server does not report is estimated and marked so.
    ``key_variable`` only names where the key came from, in error messages.
    """

    def __init__(
        self,
        model: str,
        *,
        base_url: str = OPENAI_BASE_URL,
        api_key: str | None = None,
        key_variable: str = KEY_VARIABLE,
        provider: str = "openai",
        stream: bool = False,
        max_retries: int = 2,
        timeout_s: float = 120.0,
    ) -> None:
        self.model = model
        self.provider = provider
        self.base_url = base_url
        self.stream = stream
        self.name = f"openai:{model}" if provider == "openai" else f"openai-compatible:{base_url}#{model}"
        self.key_variable = key_variable
        self._key_given = api_key is not None
        self._client = openai.OpenAI(
            api_key=api_key or PLACEHOLDER_KEY, base_url=base_url, max_retries=max_retries, timeout=timeout_s
        )

    def complete(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        *,
        system: str,
        max_tokens: int = 1024,
    ) -> ModelReply:
        params: dict[str, Any] = {"model": self.model, "messages": to_wire_messages(system, messages)}
        params["max_completion_tokens" if self.provider == "openai" else "max_tokens"] = max_tokens
        if tools:
            params["tools"] = to_wire_tools(tools)
        started = time.perf_counter()
        try:
            draft = self._stream(params) if self.stream else self._plain(params)
        except openai.OpenAIError as exc:
            raise self._translate(exc) from exc
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise failures.unusable_answer(self._label, self.base_url, f"{type(exc).__name__}: {exc}") from exc
        latency_ms = (time.perf_counter() - started) * 1000
        text, calls = draft.text(), draft.tool_calls()
        usage = draft.usage or Usage(
            estimate_request_tokens(system, messages, tools),
            estimate_reply_tokens(text, calls),
            estimated=True,
        )
        model = draft.model or self.model
        return ModelReply(
            text=text,
            tool_calls=calls,
            usage=usage,
            latency_ms=latency_ms,
            cost_usd=estimate_cost_usd(self.provider, model, usage),
            stop_reason=_STOP_REASONS.get(draft.finish_reason, draft.finish_reason or STOP_END_TURN),
            model=model,
        )

    def _plain(self, params: dict[str, Any]) -> _Draft:
        response = cast(ChatCompletion, self._client.chat.completions.create(**params))
        draft = _Draft(model=response.model or "", usage=_usage(response.usage))
        if not response.choices:
            raise ValueError("the answer has no choices")
        choice = response.choices[0]
        draft.finish_reason = choice.finish_reason or ""
        draft.text_parts.append(choice.message.content or "")
        for index, call in enumerate(choice.message.tool_calls or ()):
            if call.type == "function":
                draft.tools[index] = _ToolDraft(call.id, call.function.name, [call.function.arguments or ""])
            else:  # a "custom" (free-text) tool call: its input is the raw argument text
                draft.tools[index] = _ToolDraft(call.id, call.custom.name, [call.custom.input])
        return draft

    def _stream(self, params: dict[str, Any]) -> _Draft:
        draft = _Draft()
        chunks = self._client.chat.completions.create(**params, stream=True, stream_options={"include_usage": True})
        received = 0
        with chunks:
            for chunk in cast(Iterable[ChatCompletionChunk], chunks):
                _accumulate(draft, chunk)
                received += 1
        if not received:
            raise ValueError("the event stream ended without a single chunk")
        return draft

    @property
    def _label(self) -> str:
        return "the OpenAI API" if self.provider == "openai" else "the OpenAI-compatible server"

    @property
    def _unreachable_hint(self) -> str:
        if self.provider == "openai":
            return "Check your network, or OPENAI_BASE_URL / openai_base_url in config.toml."
        return "Is the server running (e.g. `ollama serve`) and is the URL in DESKHAND_MODEL right?"

    def _translate(self, exc: openai.OpenAIError) -> ModelError:
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            detail = _detail(exc)
            if not self._key_given:
                return failures.key_missing_for_server(self.base_url, self.key_variable, exc.status_code, detail)
            return failures.key_rejected(self._label, self.base_url, self.key_variable, exc.status_code, detail)
        if isinstance(exc, openai.APIStatusError) and exc.status_code < 400:
            # An error event inside a 200 stream.
            return failures.stream_error(self._label, self.base_url, _detail(exc))
        if isinstance(exc, openai.APIStatusError):
            return failures.http_error(self._label, self.base_url, exc.status_code, _detail(exc))
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            return failures.unreachable(self._label, self.base_url, str(cause), hint=self._unreachable_hint)
        if isinstance(exc, openai.APIError) and not isinstance(exc, openai.APIResponseValidationError):
            # An {"error": ...} chunk inside a 200 stream.
            return failures.stream_error(self._label, self.base_url, exc.message)
        return failures.unusable_answer(self._label, self.base_url, str(exc))


@dataclass(slots=True)
class _ToolDraft:
    id: str
    name: str
    argument_parts: list[str] = field(default_factory=list)

    def finish(self) -> ToolCall:
        return ToolCall.from_raw(self.id, self.name, "".join(self.argument_parts))


@dataclass(slots=True)
class _Draft:
    """A reply being put together; streamed tool-call fragments are keyed by their ``index``."""

    model: str = ""
    finish_reason: str = ""
    usage: Usage | None = None
    text_parts: list[str] = field(default_factory=list)
    tools: dict[int, _ToolDraft] = field(default_factory=dict)

    def text(self) -> str:
        return "".join(self.text_parts)

    def tool_calls(self) -> tuple[ToolCall, ...]:
        return tuple(self.tools[index].finish() for index in sorted(self.tools))


def _accumulate(draft: _Draft, chunk: ChatCompletionChunk) -> None:
    draft.model = chunk.model or draft.model
    if chunk.usage is not None:
        draft.usage = _usage(chunk.usage)
    for choice in chunk.choices[:1]:
        draft.finish_reason = choice.finish_reason or draft.finish_reason
        delta = choice.delta
        if delta.content:
            draft.text_parts.append(delta.content)
        for fragment in delta.tool_calls or ():
            tool = draft.tools.setdefault(fragment.index, _ToolDraft(id="", name=""))
            # The id and name come in the first fragment; later ones carry only argument text.
            tool.id = fragment.id or tool.id or f"call_{fragment.index}"
            if fragment.function is not None:
                tool.name = tool.name or (fragment.function.name or "")
                if fragment.function.arguments:
                    tool.argument_parts.append(fragment.function.arguments)


def _usage(usage: Any) -> Usage | None:
    if usage is None:
        return None
    return Usage(usage.prompt_tokens or 0, usage.completion_tokens or 0)


def _detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        # The SDK unwraps {"error": {...}} for OpenAI, but some servers send {"error": "text"}.
        message = body.get("message") or body.get("error")
        if isinstance(message, dict):
            message = message.get("message")
        if isinstance(message, str) and message:
            return message
    return exc.message


def to_wire_tools(tools: Sequence[ToolSpec]) -> list[dict[str, Any]]:
    """Tool specs as Chat Completions function tools."""
    return [
        {
            "type": "function",
            "function": {
                "name": tool.name,
                "description": tool.description,
                "parameters": dict(tool.parameters),
            },
        }
        for tool in tools
    ]


def to_wire_messages(system: str, messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Neutral messages as Chat Completions messages.

    A tool message may carry only text, so a tool result's screenshot goes in a user message placed
    after the run of tool messages (which must directly follow the assistant's tool calls).
    """
    wire: list[dict[str, Any]] = [{"role": "system", "content": system}] if system else []
    pending_images: list[tuple[str, bytes]] = []
    for message in messages:
        if not isinstance(message, ToolResultMessage) and pending_images:
            wire.append(_tool_images_message(pending_images))
            pending_images = []
        if isinstance(message, UserMessage):
            wire.append(_user_message(message))
        elif isinstance(message, AssistantMessage):
            wire.append(_assistant_message(message))
        else:
            prefix = "ERROR: " if message.is_error else ""
            wire.append({"role": "tool", "tool_call_id": message.call_id, "content": prefix + message.content})
            if message.image_png:
                pending_images.append((message.call_id, message.image_png))
    if pending_images:
        wire.append(_tool_images_message(pending_images))
    return wire


def _user_message(message: UserMessage) -> dict[str, Any]:
    if not message.image_png:
        # Plain string content: the form every compatible server accepts.
        return {"role": "user", "content": message.text}
    return {
        "role": "user",
        "content": [{"type": "text", "text": message.text}, _image_part(message.image_png)],
    }


def _assistant_message(message: AssistantMessage) -> dict[str, Any]:
    wire: dict[str, Any] = {"role": "assistant", "content": message.text or None}
    if message.tool_calls:
        wire["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.raw_arguments},
            }
            for call in message.tool_calls
        ]
    return wire


def _tool_images_message(images: list[tuple[str, bytes]]) -> dict[str, Any]:
    parts: list[dict[str, Any]] = []
    for call_id, png in images:
        parts.append({"type": "text", "text": f"Screenshot from tool call {call_id}:"})
        parts.append(_image_part(png))
    return {"role": "user", "content": parts}


def _image_part(png: bytes) -> dict[str, Any]:
    url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return {"type": "image_url", "image_url": {"url": url}}
