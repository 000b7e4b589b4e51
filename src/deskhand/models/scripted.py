"""A ChatModel that replays a transcript: for tests, demos and benchmarks, with no network.

A transcript is YAML or JSON, either a list of replies or a mapping with ``replies`` and a default
``delay_s``::

    delay_s: 0.05                 # optional: seconds every call takes (benchmarks)
    replies:
      - text: I'll open the File menu.
        tool_calls:
          - name: click
            arguments: {ref: "12"}          # or a string, to replay malformed JSON
        usage: {input_tokens: 900, output_tokens: 40}
      - text: Done.
        stop_reason: end_turn     # optional; defaults to tool_use when there are tool calls
        delay_s: 0.5              # optional: this call only

Every request is recorded in :attr:`ScriptedModel.requests`, so a test can check what the agent sent.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from deskhand.errors import ModelError
from deskhand.models.messages import (
    STOP_END_TURN,
    STOP_TOOL_USE,
    Message,
    ModelReply,
    ToolCall,
    ToolSpec,
    Usage,
)

_FORMAT_HINT = (
    "A transcript is a list of replies (or {replies: [...], delay_s: N}); each reply may have text, "
    "tool_calls: [{name, arguments}], usage: {input_tokens, output_tokens}, stop_reason and delay_s."
)


@dataclass(frozen=True, slots=True)
class ScriptedRequest:
    """One request the scripted model received."""

    messages: tuple[Message, ...]
    tools: tuple[ToolSpec, ...]
    system: str
    max_tokens: int


@dataclass(frozen=True, slots=True)
class _ScriptedReply:
    reply: ModelReply
    delay_s: float


class ScriptedModel:
    """Replays the replies of a transcript in order; raises ModelError when they run out."""

    def __init__(
        self,
        transcript: str | os.PathLike[str] | Sequence[Mapping[str, Any]],
        *,
        delay_s: float | None = None,
    ) -> None:
        if isinstance(transcript, str | os.PathLike):
            source = str(transcript)
            document = _load(Path(transcript))
        else:
            source = "<inline transcript>"
            document = list(transcript)
        self.source = source
        self.name = f"scripted:{source}"
        default_delay, raw_replies = _split(document, source)
        if delay_s is not None:
            default_delay = delay_s
        self._replies = [_parse_reply(raw, number, source, default_delay) for number, raw in enumerate(raw_replies, 1)]
        self._next = 0
        self.requests: list[ScriptedRequest] = []

    @property
    def remaining(self) -> int:
        """How many replies are left to give."""
        return len(self._replies) - self._next

    def complete(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        *,
        system: str,
        max_tokens: int = 1024,
    ) -> ModelReply:
        self.requests.append(ScriptedRequest(tuple(messages), tuple(tools), system, max_tokens))
        if self._next >= len(self._replies):
            raise ModelError(
                f"The scripted transcript {self.source} has no reply left for request "
                f"{len(self.requests)}: all {len(self._replies)} were used",
                hint="Add replies to the transcript; the agent asked more often than the script expected.",
            )
        scripted = self._replies[self._next]
        self._next += 1
        started = time.perf_counter()
        if scripted.delay_s > 0:
            time.sleep(scripted.delay_s)
        latency_ms = (time.perf_counter() - started) * 1000
        reply = scripted.reply
        return ModelReply(
            text=reply.text,
            tool_calls=reply.tool_calls,
            usage=reply.usage,
            latency_ms=latency_ms,
            cost_usd=0.0,
            stop_reason=reply.stop_reason,
            model=reply.model,
        )


def _load(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ModelError(
            f"Could not read the scripted transcript {path}: {exc.strerror or exc}",
            hint="Check the path after scripted: in DESKHAND_MODEL.",
        ) from exc
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ModelError(f"The scripted transcript {path} is not valid: {exc}", hint=_FORMAT_HINT) from exc


def _split(document: object, source: str) -> tuple[float, list[object]]:
    """The default delay and the raw replies, from either accepted shape."""
    if isinstance(document, list):
        return 0.0, document
    if isinstance(document, dict) and isinstance(document.get("replies"), list):
        return _number(document.get("delay_s", 0.0), "delay_s", source), document["replies"]
    raise ModelError(f"The scripted transcript {source} has no list of replies", hint=_FORMAT_HINT)


def _parse_reply(raw: object, number: int, source: str, default_delay: float) -> _ScriptedReply:
    where = f"{source}, reply {number}"
    if not isinstance(raw, dict):
        raise ModelError(f"{where}: a reply must be a mapping, got {type(raw).__name__}", hint=_FORMAT_HINT)
    unknown = set(raw) - {"text", "tool_calls", "usage", "stop_reason", "delay_s", "model"}
    if unknown:
        raise ModelError(f"{where}: unknown keys {sorted(unknown)}", hint=_FORMAT_HINT)
    raw_calls = raw.get("tool_calls") or []
    if not isinstance(raw_calls, list):
        raise ModelError(f"{where}: tool_calls must be a list", hint=_FORMAT_HINT)
    calls = tuple(_parse_call(call, number, index, where) for index, call in enumerate(raw_calls, 1))
    raw_usage = raw.get("usage") or {}
    if not isinstance(raw_usage, dict):
        raise ModelError(f"{where}: usage must be a mapping", hint=_FORMAT_HINT)
    usage = Usage(
        int(_number(raw_usage.get("input_tokens", 0), "usage.input_tokens", where)),
        int(_number(raw_usage.get("output_tokens", 0), "usage.output_tokens", where)),
    )
    stop_reason = str(raw.get("stop_reason") or (STOP_TOOL_USE if calls else STOP_END_TURN))
    reply = ModelReply(
        text=str(raw.get("text") or ""),
        tool_calls=calls,
        usage=usage,
        stop_reason=stop_reason,
        model=str(raw.get("model") or "scripted"),
    )
    return _ScriptedReply(reply, _number(raw.get("delay_s", default_delay), "delay_s", where))


def _parse_call(raw: object, reply_number: int, index: int, where: str) -> ToolCall:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise ModelError(f"{where}: tool call {index} needs a name", hint=_FORMAT_HINT)
    call_id = str(raw.get("id") or f"call_{reply_number}_{index}")
    arguments = raw.get("arguments", {})
    if isinstance(arguments, str):
        return ToolCall.from_raw(call_id, raw["name"], arguments)
    return ToolCall.from_object(call_id, raw["name"], arguments if arguments is not None else {})


def _number(value: object, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ModelError(f"{where}: {key} must be a number of zero or more, got {value!r}", hint=_FORMAT_HINT)
    return float(value)
