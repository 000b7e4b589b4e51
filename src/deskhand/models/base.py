"""The ChatModel seam: messages and tool specs in, text, tool calls and usage out.

Implementations: :mod:`deskhand.models.anthropic` (Messages API), :mod:`deskhand.models.openai_compat`
(Chat Completions: OpenAI, Ollama, vLLM, llama.cpp, LM Studio, OpenRouter…) and
:mod:`deskhand.models.scripted` (replays a transcript, for tests and demos). Pick one with
:func:`deskhand.models.config.model_from_spec`.

Every implementation raises only :class:`deskhand.errors.ModelError` subclasses: ``NeedsKey`` when a key
is missing or refused, ``ModelUnavailable`` when the server cannot be reached or answers badly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from deskhand.models.messages import Message, ModelReply, ToolSpec


@runtime_checkable
class ChatModel(Protocol):
    """A language model that can call tools."""

    name: str
    """Provider and model as a spec, e.g. ``"anthropic:claude-sonnet-4-5"``."""

    def complete(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolSpec],
        *,
        system: str,
        max_tokens: int = 1024,
    ) -> ModelReply:
        """Send the conversation and return the model's next reply (one request, no retry loop of ours)."""
        ...
