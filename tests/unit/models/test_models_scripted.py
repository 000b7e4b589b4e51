"""The scripted model: replay, request recording, malformed entries and exhaustion."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from deskhand.errors import ModelError
from deskhand.models.base import ChatModel
from deskhand.models.messages import ToolSpec, UserMessage
from deskhand.models.scripted import ScriptedModel

TRANSCRIPT = """\
delay_s: 0
replies:
  - text: Opening the menu.
    tool_calls:
      - name: click
        arguments: {ref: "12"}
    usage: {input_tokens: 900, output_tokens: 40}
  - tool_calls:
      - name: type_text
        id: my-id
        arguments: '{"text": "hi"'
  - text: Done.
"""

CLICK = ToolSpec("click", "Click.", {"type": "object"})


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_replays_yaml_in_order_and_records_requests(tmp_path: Path) -> None:
    model = ScriptedModel(write(tmp_path, "t.yaml", TRANSCRIPT))
    assert isinstance(model, ChatModel)
    assert model.remaining == 3

    first = model.complete([UserMessage("open it")], [CLICK], system="sys", max_tokens=99)
    assert first.text == "Opening the menu."
    assert [(c.id, c.name, dict(c.arguments)) for c in first.tool_calls] == [("call_1_1", "click", {"ref": "12"})]
    assert (first.usage.input_tokens, first.usage.output_tokens) == (900, 40)
    assert first.stop_reason == "tool_use"
    assert first.cost_usd == 0.0

    second = model.complete([UserMessage("go on")], [CLICK], system="sys")
    (bad,) = second.tool_calls
    assert (bad.id, bad.name, bad.arguments) == ("my-id", "type_text", {})
    assert bad.parse_error is not None

    third = model.complete([], [], system="")
    assert (third.text, third.tool_calls, third.stop_reason) == ("Done.", (), "end_turn")
    assert model.remaining == 0

    request = model.requests[0]
    assert (request.messages, request.tools, request.system, request.max_tokens) == (
        (UserMessage("open it"),),
        (CLICK,),
        "sys",
        99,
    )
    assert len(model.requests) == 3


def test_exhaustion_is_a_clear_model_error(tmp_path: Path) -> None:
    model = ScriptedModel(write(tmp_path, "t.json", json.dumps([{"text": "only one"}])))
    model.complete([], [], system="")
    with pytest.raises(ModelError) as caught:
        model.complete([], [], system="")
    assert "no reply left for request 2" in caught.value.message
    assert "t.json" in caught.value.message
    assert len(model.requests) == 2


def test_inline_transcript_and_delay() -> None:
    model = ScriptedModel([{"text": "slow"}], delay_s=0.05)
    started = time.perf_counter()
    reply = model.complete([], [], system="")
    assert time.perf_counter() - started >= 0.05
    assert reply.latency_ms >= 50
    assert model.name == "scripted:<inline transcript>"


def test_transcript_default_delay_and_per_reply_override(tmp_path: Path) -> None:
    text = "delay_s: 0.05\nreplies:\n  - text: slow\n  - text: fast\n    delay_s: 0\n"
    model = ScriptedModel(write(tmp_path, "t.yaml", text))
    assert model.complete([], [], system="").latency_ms >= 50
    assert model.complete([], [], system="").latency_ms < 50


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("- just a string\n", "reply 1: a reply must be a mapping"),
        ("- text: a\n  tool_calls: [{arguments: {}}]\n", "tool call 1 needs a name"),
        ("- text: a\n  colour: blue\n", "unknown keys ['colour']"),
        ("- usage: {input_tokens: -1}\n", "usage.input_tokens must be a number"),
        ("replies: 3\n", "has no list of replies"),
        ("- text: [unclosed\n", "is not valid"),
    ],
)
def test_malformed_transcripts_say_where(tmp_path: Path, text: str, complaint: str) -> None:
    with pytest.raises(ModelError) as caught:
        ScriptedModel(write(tmp_path, "bad.yaml", text))
    assert complaint in caught.value.message
    assert "bad.yaml" in caught.value.message


def test_missing_file_says_which(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"Could not read the scripted transcript .*nope\.yaml"):
        ScriptedModel(tmp_path / "nope.yaml")
