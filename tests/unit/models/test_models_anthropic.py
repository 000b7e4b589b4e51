"""The Anthropic adapter, driven through the official SDK against a local fake of the Messages API."""

from __future__ import annotations

import base64
import json

import pytest
from tests.fakes.providers import ErrorReply, FakeAnthropic, FakeToolCall, RawReply, Reply, unused_url

from deskhand.errors import ModelUnavailable, NeedsKey
from deskhand.models.anthropic import AnthropicModel
from deskhand.models.messages import (
    AssistantMessage,
    Message,
    ToolCall,
    ToolResultMessage,
    ToolSpec,
    UserMessage,
)

CLICK = ToolSpec("click", "Click an element by ref.", {"type": "object", "properties": {"ref": {"type": "string"}}})
PNG = b"\x89PNG\r\n\x1a\nfake-pixels"


def make_model(base_url: str, *, stream: bool, model: str = "claude-sonnet-4-6") -> AnthropicModel:
    return AnthropicModel(model, api_key="sk-ant-test-key", base_url=base_url, stream=stream, max_retries=0)


@pytest.fixture(params=[False, True], ids=["plain", "stream"])
def stream(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_text_reply_with_usage_and_cost(stream: bool) -> None:
    reply = Reply(text="The window is open and ready.", input_tokens=1000, output_tokens=200)
    with FakeAnthropic([reply]) as server:
        answer = make_model(server.base_url, stream=stream).complete(
            [UserMessage("Is it open?")], [CLICK], system="You drive apps."
        )
    assert answer.text == "The window is open and ready."
    assert answer.tool_calls == ()
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (1000, 200)
    assert answer.stop_reason == "end_turn"
    assert answer.model == "claude-sonnet-4-6"
    # Sonnet list price: $3 in, $15 out per million tokens.
    assert answer.cost_usd == pytest.approx((1000 * 3 + 200 * 15) / 1e6)
    assert answer.latency_ms > 0


def test_tool_call_arguments_are_assembled(stream: bool) -> None:
    arguments = {"ref": "btn-42", "note": "a long value that spans several stream deltas"}
    reply = Reply(text="Clicking.", tool_calls=[FakeToolCall("click", arguments, id="toolu_1")])
    with FakeAnthropic([reply]) as server:
        answer = make_model(server.base_url, stream=stream).complete([UserMessage("go")], [CLICK], system="s")
    assert answer.text == "Clicking."
    assert answer.stop_reason == "tool_use"
    (call,) = answer.tool_calls
    assert (call.id, call.name, dict(call.arguments), call.parse_error) == ("toolu_1", "click", arguments, None)


def test_request_carries_system_tools_and_max_tokens(stream: bool) -> None:
    with FakeAnthropic([Reply(text="ok")]) as server:
        make_model(server.base_url, stream=stream).complete(
            [UserMessage("hello")], [CLICK], system="Be brief.", max_tokens=321
        )
        (request,) = server.requests
    body = request.body
    assert request.path == "/v1/messages"
    # This SDK sends the key as a bearer token; older ones used x-api-key.
    assert "sk-ant-test-key" in (request.headers.get("x-api-key", ""), request.headers.get("authorization", "")[7:])
    assert body["system"] == "Be brief."
    assert body["max_tokens"] == 321
    assert body["model"] == "claude-sonnet-4-6"
    assert body["tools"] == [
        {"name": "click", "description": "Click an element by ref.", "input_schema": dict(CLICK.parameters)}
    ]
    assert body.get("stream", False) is stream


def test_history_with_images_and_tool_results_is_sent_as_content_blocks() -> None:
    call = ToolCall("toolu_9", "click", {"ref": "7"}, '{"ref": "7"}')
    history: list[Message] = [
        UserMessage("Open the menu", image_png=PNG),
        AssistantMessage("On it.", (call,)),
        ToolResultMessage("toolu_9", "clicked", image_png=PNG),
        UserMessage("and now?"),
    ]
    with FakeAnthropic([Reply(text="done")]) as server:
        make_model(server.base_url, stream=False).complete(history, [CLICK], system="s")
        messages = server.requests[0].body["messages"]
    png_b64 = base64.b64encode(PNG).decode()
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png_b64}}
    assert [turn["role"] for turn in messages] == ["user", "assistant", "user"]
    assert messages[0]["content"] == [image, {"type": "text", "text": "Open the menu"}]
    assert messages[1]["content"] == [
        {"type": "text", "text": "On it."},
        {"type": "tool_use", "id": "toolu_9", "name": "click", "input": {"ref": "7"}},
    ]
    # The tool result comes first in the user turn that follows the tool call, then the new words.
    result, words = messages[2]["content"]
    assert result == {
        "type": "tool_result",
        "tool_use_id": "toolu_9",
        "content": [{"type": "text", "text": "clicked"}, image],
        "is_error": False,
    }
    assert words == {"type": "text", "text": "and now?"}


def test_malformed_tool_json_in_stream_is_reported_not_raised() -> None:
    bad = FakeToolCall("click", '{"ref": "btn", oops}', id="toolu_bad")
    with FakeAnthropic([Reply(tool_calls=[bad])]) as server:
        answer = make_model(server.base_url, stream=True).complete([UserMessage("go")], [CLICK], system="s")
    (call,) = answer.tool_calls
    assert call.name == "click"
    assert call.arguments == {}
    assert call.raw_arguments == '{"ref": "btn", oops}'
    assert call.parse_error is not None and "not valid JSON" in call.parse_error


def test_non_object_tool_input_is_reported(stream: bool) -> None:
    with FakeAnthropic([Reply(tool_calls=[FakeToolCall("click", "[1, 2]")])]) as server:
        answer = make_model(server.base_url, stream=stream).complete([UserMessage("go")], [CLICK], system="s")
    (call,) = answer.tool_calls
    assert call.arguments == {}
    assert call.parse_error is not None and "JSON object" in call.parse_error


def test_unknown_tool_name_is_returned_as_is(stream: bool) -> None:
    reply = Reply(tool_calls=[FakeToolCall("launch_rocket", {"when": "now"})])
    with FakeAnthropic([reply]) as server:
        answer = make_model(server.base_url, stream=stream).complete([UserMessage("go")], [CLICK], system="s")
    assert [call.name for call in answer.tool_calls] == ["launch_rocket"]
    assert answer.tool_calls[0].arguments == {"when": "now"}


def test_tool_call_without_arguments_gets_an_empty_object(stream: bool) -> None:
    with FakeAnthropic([Reply(tool_calls=[FakeToolCall("screenshot", {})])]) as server:
        answer = make_model(server.base_url, stream=stream).complete([UserMessage("go")], [CLICK], system="s")
    assert answer.tool_calls[0].arguments == {}
    assert answer.tool_calls[0].parse_error is None


def test_rejected_key_is_a_clear_needs_key(stream: bool) -> None:
    with FakeAnthropic([ErrorReply(401, "invalid x-api-key")]) as server:
        model = make_model(server.base_url, stream=stream)
        with pytest.raises(NeedsKey) as caught:
            model.complete([UserMessage("go")], [], system="s")
    message = caught.value.message
    assert "ANTHROPIC_API_KEY" in message
    assert "HTTP 401" in message and "invalid x-api-key" in message
    assert "sk-ant-test-key" not in str(caught.value)


def test_server_error_carries_the_provider_message(stream: bool) -> None:
    with FakeAnthropic([ErrorReply(500, "upstream exploded")]) as server, pytest.raises(ModelUnavailable) as caught:
        make_model(server.base_url, stream=stream).complete([UserMessage("go")], [], system="s")
    assert "HTTP 500" in caught.value.message and "upstream exploded" in caught.value.message
    assert server.base_url in caught.value.message


def test_bad_request_names_the_status_and_reason() -> None:
    expected = pytest.raises(ModelUnavailable, match=r"HTTP 400: invalid_request_error: max_tokens: must be positive")
    with FakeAnthropic([ErrorReply(400, "max_tokens: must be positive")]) as server, expected:
        make_model(server.base_url, stream=False).complete([UserMessage("go")], [], system="s")


def test_server_down_names_the_url(stream: bool) -> None:
    url = unused_url()
    with pytest.raises(ModelUnavailable) as caught:
        make_model(url, stream=stream).complete([UserMessage("go")], [], system="s")
    assert url in caught.value.message
    assert caught.value.hint


def test_garbage_body_is_model_unavailable() -> None:
    with FakeAnthropic([RawReply("this is not json")]) as server, pytest.raises(ModelUnavailable) as caught:
        make_model(server.base_url, stream=False).complete([UserMessage("go")], [], system="s")
    assert server.base_url in caught.value.message


def test_unknown_model_is_free() -> None:
    with FakeAnthropic([Reply(text="hi", input_tokens=5000, output_tokens=5000)]) as server:
        answer = make_model(server.base_url, stream=False, model="my-local-claude").complete(
            [UserMessage("go")], [], system="s"
        )
    assert answer.cost_usd == 0.0
    assert answer.usage.total_tokens == 10000


def test_error_event_mid_stream_is_reported_as_such() -> None:
    start = {
        "type": "message_start",
        "message": {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-6",
            "content": [],
            "stop_reason": None,
            "usage": {"input_tokens": 3, "output_tokens": 1},
        },
    }
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    body = f"event: message_start\ndata: {json.dumps(start)}\n\nevent: error\ndata: {json.dumps(error)}\n\n"
    raw = RawReply(body, content_type="text/event-stream")
    with FakeAnthropic([raw]) as server, pytest.raises(ModelUnavailable) as caught:
        make_model(server.base_url, stream=True).complete([UserMessage("go")], [], system="s")
    assert "broke off its streamed answer" in caught.value.message
    assert "overloaded_error: Overloaded" in caught.value.message


def test_stream_without_events_is_unusable() -> None:
    expected = pytest.raises(ModelUnavailable, match="without a message_start event")
    with FakeAnthropic([RawReply("", content_type="text/event-stream")]) as server, expected:
        make_model(server.base_url, stream=True).complete([UserMessage("go")], [], system="s")


def test_connection_dropped_mid_stream_is_model_unavailable() -> None:
    stream_text = FakeAnthropic().render_stream(Reply(text="a long answer"), {"model": "claude-sonnet-4-6"})
    dropped = RawReply(stream_text, content_type="text/event-stream", cut_after=len(stream_text) // 2)
    with FakeAnthropic([dropped]) as server, pytest.raises(ModelUnavailable) as caught:
        make_model(server.base_url, stream=True).complete([UserMessage("go")], [], system="s")
    assert f"Could not reach the Anthropic API at {server.base_url}" in caught.value.message
