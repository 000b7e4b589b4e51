"""Offline token counting.

No BPE vocabulary ships with the installed packages (tiktoken would download its encodings on first use,
which must not happen at run time), so this is an estimator, named as such in :data:`TOKENIZER_NAME`:

- a run of letters costs one token per four characters, rounded, so short words are one token;
- punctuation costs one token per two marks (``{"`` and ``",`` are single tokens in real vocabularies);
- digits are grouped by three, as the GPT and Claude tokenizers do;
- each CJK ideograph or kana/hangul syllable costs one;
- a single space rides along with the next word; long runs (indentation) cost one per four.

It is a rough estimate: good for budgets and for usage a server did not report, never for billing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence

from deskhand.models.messages import AssistantMessage, Message, ToolCall, ToolSpec, UserMessage

TOKENIZER_NAME = "estimate: ~4 chars/token, punctuation-aware"

_CHARS_PER_TOKEN = 4
_DIGITS_PER_TOKEN = 3
_SYMBOLS_PER_TOKEN = 2

# Order matters: ideographs before words, since \w also matches them.
_PIECES = re.compile(
    r"(?P<ideograph>[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff])"
    r"|(?P<digits>\d+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<space>\s+)"
    r"|(?P<symbol>[^\w\s]+|_+|.)",
    re.DOTALL,
)


def count_tokens(text: str) -> int:
    """Estimated number of tokens in ``text`` (0 for the empty string)."""
    total = 0
    for match in _PIECES.finditer(text):
        kind = match.lastgroup
        piece = match.group()
        if kind == "word":
            total += max(1, (len(piece) + _CHARS_PER_TOKEN // 2) // _CHARS_PER_TOKEN)
        elif kind == "digits":
            total += math.ceil(len(piece) / _DIGITS_PER_TOKEN)
        elif kind == "space":
            # A single space joins the next token; long runs (indentation) cost about one per four.
            total += (len(piece) - 1) // _CHARS_PER_TOKEN
        else:
            total += math.ceil(len(piece) / _SYMBOLS_PER_TOKEN)
    return total


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
