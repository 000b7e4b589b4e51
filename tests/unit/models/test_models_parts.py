"""Tool-call parsing, pricing and the offline token estimator."""

from __future__ import annotations

import pytest

from deskhand.models.messages import AssistantMessage, ModelReply, ToolCall, ToolSpec, Usage, UserMessage
from deskhand.models.pricing import estimate_cost_usd, price_of
from deskhand.models.tokens import (
    TOKENIZER_NAME,
    _encoding,
    count_tokens,
    estimate_reply_tokens,
    estimate_request_tokens,
)


@pytest.mark.parametrize(
    ("raw", "arguments", "error_part"),
    [
        ('{"ref": "a"}', {"ref": "a"}, None),
        ("", {}, None),
        ("   ", {}, None),
        ('{"ref": ', {}, "not valid JSON"),
        ("[1, 2]", {}, "must be a JSON object, got list"),
        ('"text"', {}, "must be a JSON object, got str"),
    ],
)
def test_tool_call_from_raw(raw: str, arguments: dict[str, object], error_part: str | None) -> None:
    call = ToolCall.from_raw("id", "click", raw)
    assert call.arguments == arguments
    assert call.raw_arguments == raw
    if error_part is None:
        assert call.parse_error is None
    else:
        assert call.parse_error is not None and error_part in call.parse_error


def test_tool_call_from_object_checks_shape() -> None:
    assert ToolCall.from_object("i", "n", {"a": 1}).raw_arguments == '{"a": 1}'
    assert ToolCall.from_object("i", "n", [1]).parse_error is not None
    assert ToolCall.from_object("i", "n", '{"a": 1}').arguments == {"a": 1}


def test_reply_becomes_history() -> None:
    call = ToolCall.from_raw("c1", "click", "{}")
    reply = ModelReply(text="t", tool_calls=(call,))
    assert reply.as_message() == AssistantMessage("t", (call,))


@pytest.mark.parametrize(
    ("provider", "model", "expected"),
    [
        ("anthropic", "claude-sonnet-4-5-20250929", 3.0),
        ("anthropic", "claude-opus-4-20250514", 15.0),
        ("anthropic", "claude-opus-4-5", 5.0),
        ("anthropic", "claude-3-5-haiku-latest", 0.8),
        ("openai", "gpt-4o-2024-08-06", 2.5),
        ("openai", "gpt-4o-mini", 0.15),
        ("openai", "gpt-4.1-mini-2025-04-14", 0.4),
    ],
)
def test_price_lookup_handles_snapshots(provider: str, model: str, expected: float) -> None:
    price = price_of(provider, model)
    assert price is not None and price.input_per_mtok == expected


@pytest.mark.parametrize(
    ("provider", "model"),
    [("openai-compatible", "gpt-4o"), ("anthropic", "claude-future-9"), ("openai", "gpt-4o-ultra"), ("x", "y")],
)
def test_unknown_and_local_models_are_free(provider: str, model: str) -> None:
    assert estimate_cost_usd(provider, model, Usage(10**6, 10**6)) == 0.0


def test_cost_is_per_million_tokens() -> None:
    assert estimate_cost_usd("anthropic", "claude-haiku-4-5", Usage(1_000_000, 1_000_000)) == pytest.approx(6.0)


def test_the_tokenizer_is_cl100k_from_the_shipped_vocabulary() -> None:
    assert TOKENIZER_NAME.startswith("cl100k_base")
    # GPT-4's token ids for these words: the real vocabulary, not an estimate.
    assert _encoding().encode_ordinary("hello world") == [15339, 1917]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", 0),
        ("hello world", 2),
        ("The quick brown fox jumps over the lazy dog.", 10),
        ("<|endoftext|>", 7),  # special-token text counts as the plain text it is
    ],
)
def test_count_tokens_counts_cl100k_tokens(text: str, tokens: int) -> None:
    assert count_tokens(text) == tokens


def test_count_tokens_grows_with_text() -> None:
    sentence = "Click the Save button in the File menu. "
    assert count_tokens(sentence * 10) == pytest.approx(10 * count_tokens(sentence), rel=0.1)


def test_request_estimate_counts_everything_once() -> None:
    tool = ToolSpec("click", "Click an element.", {"type": "object"})
    bare = estimate_request_tokens("", [UserMessage("hello there")], [])
    assert estimate_request_tokens("system words", [UserMessage("hello there")], [tool]) > bare
    with_image = estimate_request_tokens("", [UserMessage("hello there", image_png=b"png")], [])
    assert with_image - bare == 1000
    assert estimate_reply_tokens("ok", [ToolCall.from_raw("i", "click", '{"ref": "1"}')]) > count_tokens("ok")
