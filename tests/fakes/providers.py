"""Local fake model servers that speak the real Anthropic and OpenAI wire formats.

Each server listens on 127.0.0.1 at an ephemeral port in a background thread and answers from a queue of
scripted replies, so the official SDKs can be driven end to end with no network::

    with FakeAnthropic([Reply(text="hi"), ErrorReply(401)]) as server:
        model = AnthropicModel("claude-sonnet-4-5", api_key="k", base_url=server.base_url)
        ...
        server.requests[0].body   # every request body, for assertions and secret-canary scans

A request whose body says ``"stream": true`` is answered as server-sent events, split into small deltas
so that the client has to assemble text and tool-call arguments. An empty queue answers HTTP 500.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

# Small chunks make every streamed reply arrive in several deltas.
_TEXT_CHUNK = 8
_JSON_CHUNK = 7


@dataclass(frozen=True)
class FakeToolCall:
    """A tool call the fake model makes; ``arguments`` as a string is sent verbatim (malformed JSON)."""

    name: str
    arguments: Mapping[str, Any] | str = field(default_factory=dict)
    id: str | None = None


@dataclass(frozen=True)
class Reply:
    """A well-formed answer; ``usage=False`` leaves usage out, as some local servers do."""

    text: str = ""
    tool_calls: Sequence[FakeToolCall] = ()
    input_tokens: int = 12
    output_tokens: int = 7
    stop_reason: str | None = None
    model: str | None = None
    usage: bool = True


@dataclass(frozen=True)
class RawReply:
    """Bytes sent as they are, for malformed answers."""

    body: str
    status: int = 200
    content_type: str = "application/json"
    cut_after: int | None = None  # send only this many bytes, then drop the connection mid-answer


@dataclass(frozen=True)
class ErrorReply:
    """An HTTP error in the provider's own error format."""

    status: int
    message: str = "fake error"


ScriptedAnswer = Reply | RawReply | ErrorReply


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    raw_body: bytes
    body: Any  # the decoded JSON, or None when it was not JSON


@dataclass(frozen=True)
class _Response:
    status: int
    content_type: str
    body: bytes
    cut_after: int | None = None


class _FakeServer:
    """The shared machinery: a thread, a reply queue and a request log. Subclasses render the format."""

    endpoint = ""
    url_suffix = ""

    def __init__(self, replies: Iterable[ScriptedAnswer] = ()) -> None:
        self._replies: deque[ScriptedAnswer] = deque(replies)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.requests: list[RecordedRequest] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._base_url = ""

    @property
    def base_url(self) -> str:
        """The URL to give the SDK; it stays readable after the server stops, for assertions."""
        if not self._base_url:
            raise RuntimeError("the fake server has not started; use it as a context manager")
        return self._base_url

    def push(self, *replies: ScriptedAnswer) -> None:
        with self._lock:
            self._replies.extend(replies)

    def __enter__(self) -> _FakeServer:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self._base_url = f"http://{host!s}:{port}{self.url_suffix}"
        # A short poll interval keeps shutdown (and so every test) fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), name=type(self).__name__, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def next_id(self) -> int:
        return next(self._ids)

    def answer(self, method: str, path: str, headers: dict[str, str], raw_body: bytes) -> _Response:
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = None
        with self._lock:
            self.requests.append(RecordedRequest(method, path, headers, raw_body, body))
            reply = self._replies.popleft() if self._replies else ErrorReply(500, "fake server: no reply left")
        if method != "POST" or path.split("?")[0] != self.endpoint:
            return self.render_error(ErrorReply(404, f"fake server: no route {method} {path}"))
        if isinstance(reply, RawReply):
            return _Response(reply.status, reply.content_type, reply.body.encode(), reply.cut_after)
        if isinstance(reply, ErrorReply):
            return self.render_error(reply)
        request = body if isinstance(body, dict) else {}
        if request.get("stream"):
            return _Response(200, "text/event-stream", self.render_stream(reply, request).encode())
        return _Response(200, "application/json", json.dumps(self.render(reply, request)).encode())

    def render(self, reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def render_stream(self, reply: Reply, request: dict[str, Any]) -> str:
        raise NotImplementedError

    def render_error(self, error: ErrorReply) -> _Response:
        raise NotImplementedError


class FakeAnthropic(_FakeServer):
    """``POST /v1/messages``: JSON messages and the SSE event stream of the Messages API."""

    endpoint = "/v1/messages"

    def __enter__(self) -> FakeAnthropic:
        super().__enter__()
        return self

    def render(self, reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
        content: list[dict[str, Any]] = [{"type": "text", "text": reply.text}] if reply.text else []
        for call in reply.tool_calls:
            content.append({"type": "tool_use", "id": self._call_id(call), "name": call.name, "input": call.arguments})
        message = self._message_head(reply, request)
        message.update(content=content, stop_reason=_anthropic_stop(reply))
        if reply.usage:
            message["usage"] = {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens}
        return message

    def render_stream(self, reply: Reply, request: dict[str, Any]) -> str:
        head = self._message_head(reply, request)
        head.update(content=[], stop_reason=None, usage={"input_tokens": reply.input_tokens, "output_tokens": 1})
        events: list[tuple[str, dict[str, Any]]] = [("message_start", {"type": "message_start", "message": head})]
        events.append(("ping", {"type": "ping"}))
        index = 0
        if reply.text:
            events.append(_block_start(index, {"type": "text", "text": ""}))
            events.extend(
                _block_delta(index, {"type": "text_delta", "text": piece}) for piece in _chunks(reply.text, _TEXT_CHUNK)
            )
            events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
            index += 1
        for call in reply.tool_calls:
            block = {"type": "tool_use", "id": self._call_id(call), "name": call.name, "input": {}}
            events.append(_block_start(index, block))
            events.extend(
                _block_delta(index, {"type": "input_json_delta", "partial_json": piece})
                for piece in _chunks(_arguments_text(call), _JSON_CHUNK)
            )
            events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
            index += 1
        usage = {"output_tokens": reply.output_tokens}
        delta = {"stop_reason": _anthropic_stop(reply), "stop_sequence": None}
        events.append(("message_delta", {"type": "message_delta", "delta": delta, "usage": usage}))
        events.append(("message_stop", {"type": "message_stop"}))
        return "".join(f"event: {name}\ndata: {json.dumps(data)}\n\n" for name, data in events)

    def render_error(self, error: ErrorReply) -> _Response:
        kinds = {
            400: "invalid_request_error",
            401: "authentication_error",
            403: "permission_error",
            404: "not_found_error",
            429: "rate_limit_error",
            529: "overloaded_error",
        }
        kind = kinds.get(error.status, "api_error")
        body = {"type": "error", "error": {"type": kind, "message": error.message}}
        return _Response(error.status, "application/json", json.dumps(body).encode())

    def _message_head(self, reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
        model = reply.model or request.get("model", "claude-fake")
        return {"id": f"msg_fake{self.next_id()}", "type": "message", "role": "assistant", "model": model}

    def _call_id(self, call: FakeToolCall) -> str:
        return call.id or f"toolu_fake{self.next_id()}"


class FakeOpenAI(_FakeServer):
    """``POST /v1/chat/completions``: JSON completions and the SSE chunk stream ending in ``[DONE]``."""

    endpoint = "/v1/chat/completions"
    url_suffix = "/v1"

    def __enter__(self) -> FakeOpenAI:
        super().__enter__()
        return self

    def render(self, reply: Reply, request: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
        if reply.tool_calls:
            message["tool_calls"] = [
                {
                    "id": self._call_id(call),
                    "type": "function",
                    "function": {"name": call.name, "arguments": _arguments_text(call)},
                }
                for call in reply.tool_calls
            ]
        choice = {"index": 0, "message": message, "finish_reason": _openai_finish(reply), "logprobs": None}
        completion = self._head(reply, request, "chat.completion")
        completion["choices"] = [choice]
        if reply.usage:
            completion["usage"] = _openai_usage(reply)
        return completion

    def render_stream(self, reply: Reply, request: dict[str, Any]) -> str:
        include_usage = bool((request.get("stream_options") or {}).get("include_usage"))
        deltas: list[dict[str, Any]] = [{"role": "assistant", "content": ""}]
        deltas.extend({"content": piece} for piece in _chunks(reply.text, _TEXT_CHUNK))
        for index, call in enumerate(reply.tool_calls):
            first = {"index": index, "id": self._call_id(call), "type": "function"}
            first["function"] = {"name": call.name, "arguments": ""}
            deltas.append({"tool_calls": [first]})
            deltas.extend(
                {"tool_calls": [{"index": index, "function": {"arguments": piece}}]}
                for piece in _chunks(_arguments_text(call), _JSON_CHUNK)
            )
        chunks = []
        for delta in deltas:
            chunks.append(self._chunk(reply, request, [{"index": 0, "delta": delta, "finish_reason": None}]))
        chunks.append(self._chunk(reply, request, [{"index": 0, "delta": {}, "finish_reason": _openai_finish(reply)}]))
        if include_usage and reply.usage:
            final = self._chunk(reply, request, [])
            final["usage"] = _openai_usage(reply)
            chunks.append(final)
        lines = [f"data: {json.dumps(chunk)}\n\n" for chunk in chunks]
        return "".join(lines) + "data: [DONE]\n\n"

    def render_error(self, error: ErrorReply) -> _Response:
        code = {401: "invalid_api_key", 404: "model_not_found", 429: "rate_limit_exceeded"}.get(error.status)
        kind = "invalid_request_error" if error.status < 500 else "server_error"
        body = {"error": {"message": error.message, "type": kind, "param": None, "code": code}}
        return _Response(error.status, "application/json", json.dumps(body).encode())

    def _head(self, reply: Reply, request: dict[str, Any], kind: str) -> dict[str, Any]:
        model = reply.model or request.get("model", "gpt-fake")
        return {"id": f"chatcmpl-fake{self.next_id()}", "object": kind, "created": 1700000000, "model": model}

    def _chunk(self, reply: Reply, request: dict[str, Any], choices: list[dict[str, Any]]) -> dict[str, Any]:
        chunk = self._head(reply, request, "chat.completion.chunk")
        chunk["choices"] = choices
        return chunk

    def _call_id(self, call: FakeToolCall) -> str:
        return call.id or f"call_fake{self.next_id()}"


def unused_url(suffix: str = "") -> str:
    """A URL on 127.0.0.1 where nothing listens (a port just released), to test an unreachable server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{suffix}"


def _handler_for(fake: _FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self._serve("POST")

        def do_GET(self) -> None:
            self._serve("GET")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            response = fake.answer(method, self.path, headers, raw)
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if response.cut_after is None:
                self.wfile.write(response.body)
            else:
                self.wfile.write(response.body[: response.cut_after])
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

    return Handler


def _chunks(text: str, size: int) -> Iterator[str]:
    return (text[start : start + size] for start in range(0, len(text), size))


def _arguments_text(call: FakeToolCall) -> str:
    return call.arguments if isinstance(call.arguments, str) else json.dumps(call.arguments)


def _block_start(index: int, block: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "content_block_start", {"type": "content_block_start", "index": index, "content_block": block}


def _block_delta(index: int, delta: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}


def _anthropic_stop(reply: Reply) -> str:
    return reply.stop_reason or ("tool_use" if reply.tool_calls else "end_turn")


def _openai_finish(reply: Reply) -> str:
    return reply.stop_reason or ("tool_calls" if reply.tool_calls else "stop")


def _openai_usage(reply: Reply) -> dict[str, int]:
    total = reply.input_tokens + reply.output_tokens
    return {"prompt_tokens": reply.input_tokens, "completion_tokens": reply.output_tokens, "total_tokens": total}
