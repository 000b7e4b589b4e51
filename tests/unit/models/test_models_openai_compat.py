"""The Chat Completions adapter, driven through the official SDK against a local fake of the API."""

from __future__ import annotations

import base64

import pytest
from tests.fakes.providers import ErrorReply, FakeOpenAI, FakeToolCall, RawReply, Reply, unused_url

from deskhand.errors import ModelUnavailable, NeedsKey
from deskhand.models.messages import (
    AssistantMessage,
    Message,
    ToolCall,
    ToolResultMessage,
    ToolSpec,
    UserMessage,
)
from deskhand.models.openai_compat import OpenAICompatModel

CLICK = ToolSpec("click", "Click an element by ref.", {"type": "object", "properties": {"ref": {"type": "string"}}})
TYPE = ToolSpec("type_text", "Type text.", {"type": "object", "properties": {"text": {"type": "string"}}})
PNG = b"\x89PNG\r\n\x1a\nfake-pixels"


def openai_model(base_url: str, *, stream: bool, model: str = "gpt-4.1") -> OpenAICompatModel:
    return OpenAICompatModel(model, base_url=base_url, api_key="sk-test-openai", stream=stream, max_retries=0)


def local_model(base_url: str, *, stream: bool) -> OpenAICompatModel:
    return OpenAICompatModel(
        "qwen2.5-vl",
        base_url=base_url,
        key_variable="OPENAI_COMPATIBLE_API_KEY",
        provider="openai-compatible",
        stream=stream,
        max_retries=0,
    )


@pytest.fixture(params=[False, True], ids=["plain", "stream"])
def stream(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_text_reply_with_usage_and_cost(stream: bool) -> None:
    reply = Reply(text="The dialog is closed now.", input_tokens=2000, output_tokens=100)
    with FakeOpenAI([reply]) as server:
        answer = openai_model(server.base_url, stream=stream).complete([UserMessage("status?")], [CLICK], system="s")
    assert answer.text == "The dialog is closed now."
    assert answer.tool_calls == ()
    assert answer.usage.input_tokens == 2000 and answer.usage.output_tokens == 100
    assert not answer.usage.estimated
    assert answer.stop_reason == "end_turn"
    assert answer.model == "gpt-4.1"
    # gpt-4.1 list price: $2 in, $8 out per million tokens.
    assert answer.cost_usd == pytest.approx((2000 * 2 + 100 * 8) / 1e6)


def test_parallel_tool_calls_are_assembled_by_index(stream: bool) -> None:
    calls = [
        FakeToolCall("click", {"ref": "menu-file"}, id="call_a"),
        FakeToolCall("type_text", {"text": "hello, a longer text split over many deltas"}, id="call_b"),
    ]
    with FakeOpenAI([Reply(tool_calls=calls)]) as server:
        answer = openai_model(server.base_url, stream=stream).complete([UserMessage("go")], [CLICK, TYPE], system="s")
    assert answer.stop_reason == "tool_use"
    assert [(c.id, c.name, dict(c.arguments), c.parse_error) for c in answer.tool_calls] == [
        ("call_a", "click", {"ref": "menu-file"}, None),
        ("call_b", "type_text", {"text": "hello, a longer text split over many deltas"}, None),
    ]


def test_request_shape(stream: bool) -> None:
    with FakeOpenAI([Reply(text="ok")]) as server:
        openai_model(server.base_url, stream=stream).complete(
            [UserMessage("hi")], [CLICK], system="Be brief.", max_tokens=77
        )
        (request,) = server.requests
    body = request.body
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-test-openai"
    assert body["messages"] == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi"}]
    assert body["max_completion_tokens"] == 77 and "max_tokens" not in body
    assert body["tools"] == [
        {
            "type": "function",
            "function": {"name": "click", "description": CLICK.description, "parameters": dict(CLICK.parameters)},
        }
    ]
    if stream:
        assert body["stream"] is True
        assert body["stream_options"] == {"include_usage": True}


def test_compatible_server_gets_max_tokens_and_a_placeholder_key() -> None:
    with FakeOpenAI([Reply(text="ok")]) as server:
        model = local_model(server.base_url, stream=False)
        answer = model.complete([UserMessage("hi")], [], system="s", max_tokens=50)
        (request,) = server.requests
    assert request.body["max_tokens"] == 50
    assert request.headers["authorization"] == "Bearer not-needed"
    assert answer.cost_usd == 0.0
    assert model.name == f"openai-compatible:{server.base_url}#qwen2.5-vl"


def test_history_with_tool_results_and_screenshots() -> None:
    call = ToolCall("call_1", "click", {"ref": "7"}, '{"ref":"7"}')
    history: list[Message] = [
        UserMessage("Look", image_png=PNG),
        AssistantMessage("", (call,)),
        ToolResultMessage("call_1", "no such element", is_error=True, image_png=PNG),
        UserMessage("try again"),
    ]
    with FakeOpenAI([Reply(text="ok")]) as server:
        openai_model(server.base_url, stream=False).complete(history, [CLICK], system="")
        messages = server.requests[0].body["messages"]
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64," + base64.b64encode(PNG).decode()}}
    assert messages[0] == {"role": "user", "content": [{"type": "text", "text": "Look"}, image]}
    assert messages[1] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "click", "arguments": '{"ref":"7"}'}}],
    }
    assert messages[2] == {"role": "tool", "tool_call_id": "call_1", "content": "ERROR: no such element"}
    # A tool message carries only text: its screenshot follows in a user message.
    assert messages[3] == {
        "role": "user",
        "content": [{"type": "text", "text": "Screenshot from tool call call_1:"}, image],
    }
    assert messages[4] == {"role": "user", "content": "try again"}


def test_malformed_tool_json_is_reported_not_raised(stream: bool) -> None:
    bad = FakeToolCall("click", '{"ref": "btn"', id="call_bad")
    with FakeOpenAI([Reply(tool_calls=[bad])]) as server:
        answer = openai_model(server.base_url, stream=stream).complete([UserMessage("go")], [CLICK], system="s")
    (call,) = answer.tool_calls
    assert (call.id, call.name, call.arguments, call.raw_arguments) == ("call_bad", "click", {}, '{"ref": "btn"')
    assert call.parse_error is not None and "not valid JSON" in call.parse_error


def test_unknown_tool_name_is_returned_as_is(stream: bool) -> None:
    with FakeOpenAI([Reply(tool_calls=[FakeToolCall("format_disk", {"drive": "c"})])]) as server:
        answer = openai_model(server.base_url, stream=stream).complete([UserMessage("go")], [CLICK], system="s")
    assert answer.tool_calls[0].name == "format_disk"
    assert answer.tool_calls[0].arguments == {"drive": "c"}


def test_missing_usage_is_estimated(stream: bool) -> None:
    with FakeOpenAI([Reply(text="a short answer", usage=False)]) as server:
        answer = local_model(server.base_url, stream=stream).complete(
            [UserMessage("a question of several words")], [CLICK], system="You drive apps."
        )
    assert answer.usage.estimated
    assert answer.usage.input_tokens > 10
    assert 0 < answer.usage.output_tokens < 10


def test_rejected_key_is_a_clear_needs_key(stream: bool) -> None:
    with FakeOpenAI([ErrorReply(401, "Incorrect API key provided")]) as server, pytest.raises(NeedsKey) as caught:
        openai_model(server.base_url, stream=stream).complete([UserMessage("go")], [], system="s")
    assert "OPENAI_API_KEY" in caught.value.message
    assert "Incorrect API key provided" in caught.value.message
    assert "sk-test-openai" not in str(caught.value)


def test_keyless_server_asking_for_a_key_names_the_variable() -> None:
    with FakeOpenAI([ErrorReply(401, "auth required")]) as server, pytest.raises(NeedsKey) as caught:
        local_model(server.base_url, stream=False).complete([UserMessage("go")], [], system="s")
    assert "OPENAI_COMPATIBLE_API_KEY is not set" in caught.value.message
    assert server.base_url in caught.value.message


def test_server_error_carries_the_provider_message(stream: bool) -> None:
    with FakeOpenAI([ErrorReply(500, "model crashed")]) as server, pytest.raises(ModelUnavailable) as caught:
        openai_model(server.base_url, stream=stream).complete([UserMessage("go")], [], system="s")
    assert "HTTP 500: model crashed" in caught.value.message


def test_unknown_model_404_hints_at_the_spec() -> None:
    answer = ErrorReply(404, "model 'qwen9' not found")
    with FakeOpenAI([answer]) as server, pytest.raises(ModelUnavailable) as caught:
        local_model(server.base_url, stream=False).complete([UserMessage("go")], [], system="s")
    assert "model 'qwen9' not found" in caught.value.message
    assert "DESKHAND_MODEL" in caught.value.hint


def test_server_down_names_the_url(stream: bool) -> None:
    url = unused_url("/v1")
    with pytest.raises(ModelUnavailable) as caught:
        local_model(url, stream=stream).complete([UserMessage("go")], [], system="s")
    assert url in caught.value.message
    assert "server running" in caught.value.hint


@pytest.mark.parametrize(
    "raw",
    [
        RawReply("<html>proxy error</html>"),
        RawReply('{"object": "chat.completion", "choices": []}'),
        RawReply("data: {not json\n\n", content_type="text/event-stream"),
    ],
    ids=["html", "no-choices", "bad-sse"],
)
def test_unreadable_answers_are_model_unavailable(raw: RawReply) -> None:
    with FakeOpenAI([raw]) as server, pytest.raises(ModelUnavailable) as caught:
        openai_model(server.base_url, stream=raw.content_type == "text/event-stream").complete(
            [UserMessage("go")], [], system="s"
        )
    assert "could not be read" in caught.value.message


def test_error_chunk_mid_stream_is_reported_as_such() -> None:
    body = 'data: {"error": {"message": "context length exceeded", "type": "server_error"}}\n\n'
    raw = RawReply(body, content_type="text/event-stream")
    with FakeOpenAI([raw]) as server, pytest.raises(ModelUnavailable) as caught:
        openai_model(server.base_url, stream=True).complete([UserMessage("go")], [], system="s")
    assert "broke off its streamed answer with an error: context length exceeded" in caught.value.message


def test_connection_dropped_mid_stream_is_model_unavailable() -> None:
    stream_text = FakeOpenAI().render_stream(Reply(text="a long answer"), {"model": "gpt-4.1"})
    dropped = RawReply(stream_text, content_type="text/event-stream", cut_after=len(stream_text) // 2)
    with FakeOpenAI([dropped]) as server, pytest.raises(ModelUnavailable) as caught:
        openai_model(server.base_url, stream=True).complete([UserMessage("go")], [], system="s")
    assert server.base_url in caught.value.message
