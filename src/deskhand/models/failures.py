"""The errors both provider adapters raise, worded once so they read the same whatever the provider."""

from __future__ import annotations

from deskhand.errors import ModelUnavailable, NeedsKey

# How long a provider's own error text may be before we cut it: the message must stay one readable line.
_MAX_DETAIL = 300


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_DETAIL else flat[: _MAX_DETAIL - 1] + "…"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def key_missing(variable: str) -> NeedsKey:
    """The key variable is unset: one line naming it."""
    return NeedsKey(
        f"{variable} is not set; export it or choose another model with DESKHAND_MODEL",
        hint="For a local model: DESKHAND_MODEL=openai-compatible:http://127.0.0.1:11434/v1#qwen2.5-vl",
    )


def key_rejected(provider: str, url: str, variable: str, status: int, detail: str) -> NeedsKey:
    """The server refused the key (HTTP 401/403)."""
    return NeedsKey(
        f"{_capitalised(provider)} at {url} refused the API key from {variable} (HTTP {status}: {_one_line(detail)})",
        hint=f"Check the value of {variable} (a fresh key from the provider's console), "
        "or choose another model with DESKHAND_MODEL.",
    )


def key_missing_for_server(url: str, variable: str, status: int, detail: str) -> NeedsKey:
    """A server we sent no key to (a key is optional for it) asked for one."""
    return NeedsKey(
        f"The server at {url} wants an API key (HTTP {status}: {_one_line(detail)}); {variable} is not set",
        hint=f"export {variable}=<the server's key>, or choose another model with DESKHAND_MODEL.",
    )


def unreachable(provider: str, url: str, detail: str, *, hint: str) -> ModelUnavailable:
    """No HTTP answer at all: refused connection, DNS failure, timeout."""
    return ModelUnavailable(f"Could not reach {provider} at {url}: {_one_line(detail)}", hint=hint)


def http_error(provider: str, url: str, status: int, detail: str) -> ModelUnavailable:
    """The server answered with an HTTP error other than an authentication one."""
    if status == 429:
        hint = "The provider is rate limiting; wait a minute or lower the request rate."
    elif status == 404:
        hint = "The model name or the base URL is probably wrong; check DESKHAND_MODEL."
    elif status >= 500:
        hint = "The provider had a server error; try again shortly."
    else:
        hint = "The provider rejected the request; the detail above says why."
    return ModelUnavailable(f"{_capitalised(provider)} at {url} answered HTTP {status}: {_one_line(detail)}", hint=hint)


def stream_error(provider: str, url: str, detail: str) -> ModelUnavailable:
    """The server started answering, then sent an error event in the stream (often: overloaded)."""
    return ModelUnavailable(
        f"{_capitalised(provider)} at {url} broke off its streamed answer with an error: {_one_line(detail)}",
        hint="This is usually temporary (the provider is overloaded); try again shortly.",
    )


def unusable_answer(provider: str, url: str, detail: str) -> ModelUnavailable:
    """The server answered 200 but with something we cannot read."""
    return ModelUnavailable(
        f"{_capitalised(provider)} at {url} sent an answer that could not be read: {_one_line(detail)}",
        hint="Check that the base URL points at a server speaking this provider's API.",
    )
