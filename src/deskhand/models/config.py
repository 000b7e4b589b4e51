"""Choosing a model from a spec string: ``DESKHAND_MODEL``, or ``model`` in ``config.toml``.

Spec forms::

    anthropic:claude-sonnet-4-5                              key: ANTHROPIC_API_KEY
    openai:gpt-4.1                                           key: OPENAI_API_KEY
    openai-compatible:http://127.0.0.1:11434/v1#qwen2.5-vl   key: OPENAI_COMPATIBLE_API_KEY (optional)
    scripted:/path/transcript.yaml                           no key, no network

Keys read from ``<DESKHAND_HOME or ~/.config/deskhand>/config.toml`` (all optional)::

    model = "anthropic:claude-sonnet-4-5"
    stream = true                        # or DESKHAND_MODEL_STREAM=1
    anthropic_base_url = "https://…"     # or ANTHROPIC_BASE_URL
    openai_base_url = "https://…"        # or OPENAI_BASE_URL

Environment variables win over the file. An ``openai-compatible`` server gets its own key variable so an
OpenAI key is never sent to a third-party server by accident. Adapter modules (and their SDKs) are imported
only when chosen.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deskhand.errors import ModelError
from deskhand.models import failures
from deskhand.models.base import ChatModel

MODEL_VARIABLE = "DESKHAND_MODEL"
STREAM_VARIABLE = "DESKHAND_MODEL_STREAM"
ANTHROPIC_KEY_VARIABLE = "ANTHROPIC_API_KEY"
OPENAI_KEY_VARIABLE = "OPENAI_API_KEY"
COMPATIBLE_KEY_VARIABLE = "OPENAI_COMPATIBLE_API_KEY"

PROVIDERS = ("anthropic", "openai", "openai-compatible", "scripted")
VALID_FORMS = (
    "anthropic:<model> (e.g. anthropic:claude-sonnet-4-5)",
    "openai:<model> (e.g. openai:gpt-4.1)",
    "openai-compatible:<base url>#<model> (e.g. openai-compatible:http://127.0.0.1:11434/v1#qwen2.5-vl)",
    "scripted:<transcript path> (e.g. scripted:transcript.yaml)",
)
_FORMS_HINT = "Valid forms: " + "; ".join(VALID_FORMS)


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A parsed spec: ``target`` is the model id, or the transcript path for ``scripted``."""

    provider: str
    target: str
    base_url: str | None = None


def parse_model_spec(spec: str) -> ModelSpec:
    """Split a spec into its parts, or raise ModelError listing the valid forms."""
    provider, colon, rest = spec.strip().partition(":")
    rest = rest.strip()
    if not colon or provider not in PROVIDERS:
        raise ModelError(
            f"Unknown model spec {spec!r}: it must start with one of {', '.join(p + ':' for p in PROVIDERS)}",
            hint=_FORMS_HINT,
        )
    if provider == "openai-compatible":
        base_url, hash_mark, model = rest.rpartition("#")
        if not hash_mark or not model.strip() or not base_url.startswith(("http://", "https://")):
            raise ModelError(
                f"Model spec {spec!r} needs a server URL and a model name: openai-compatible:<base url>#<model>",
                hint="e.g. openai-compatible:http://127.0.0.1:11434/v1#qwen2.5-vl",
            )
        return ModelSpec(provider, model.strip(), base_url)
    if not rest:
        raise ModelError(f"Model spec {spec!r} names no model after {provider}:", hint=_FORMS_HINT)
    return ModelSpec(provider, rest)


def config_path(env: Mapping[str, str] = os.environ) -> Path:
    """Where config.toml lives: ``$DESKHAND_HOME`` or ``~/.config/deskhand``."""
    home = env.get("DESKHAND_HOME")
    base = Path(home) if home else Path(env.get("HOME") or Path.home()) / ".config" / "deskhand"
    return base / "config.toml"


def read_config(env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """The settings in config.toml ({} when there is no file)."""
    path = config_path(env)
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ModelError(f"Could not read {path}: {exc.strerror or exc}", hint="Check its permissions.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ModelError(f"{path} is not valid TOML: {exc}", hint='e.g. model = "anthropic:claude-sonnet-4-5"') from exc


def configured_model_spec(env: Mapping[str, str] = os.environ) -> str | None:
    """The model spec the user chose (DESKHAND_MODEL, else config.toml ``model``), or None when none is."""
    spec = env.get(MODEL_VARIABLE, "").strip()
    if spec:
        return spec
    value = read_config(env).get("model")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def model_from_spec(
    spec: str | None = None, *, env: Mapping[str, str] = os.environ, stream: bool | None = None
) -> ChatModel:
    """Build the model a spec names (the configured one when ``spec`` is None).

    Raises NeedsKey when the provider's key variable is not set, and ModelError for a spec that is
    missing or malformed.
    """
    chosen = spec if spec is not None else configured_model_spec(env)
    if chosen is None:
        raise ModelError(
            f"No model is configured: set {MODEL_VARIABLE} or model in {config_path(env)}",
            hint=_FORMS_HINT,
        )
    parsed = parse_model_spec(chosen)
    settings = read_config(env)
    if stream is None:
        stream = _truthy(env.get(STREAM_VARIABLE, settings.get("stream", False)))

    if parsed.provider == "scripted":
        from deskhand.models.scripted import ScriptedModel

        return ScriptedModel(parsed.target)
    if parsed.provider == "anthropic":
        from deskhand.models.anthropic import DEFAULT_BASE_URL, AnthropicModel

        key = _required_key(env, ANTHROPIC_KEY_VARIABLE)
        base_url = _setting(env, settings, "ANTHROPIC_BASE_URL", "anthropic_base_url") or DEFAULT_BASE_URL
        return AnthropicModel(parsed.target, api_key=key, base_url=base_url, stream=stream)

    from deskhand.models.openai_compat import OPENAI_BASE_URL, OpenAICompatModel

    if parsed.provider == "openai":
        key = _required_key(env, OPENAI_KEY_VARIABLE)
        base_url = _setting(env, settings, "OPENAI_BASE_URL", "openai_base_url") or OPENAI_BASE_URL
        return OpenAICompatModel(parsed.target, base_url=base_url, api_key=key, provider="openai", stream=stream)
    return OpenAICompatModel(
        parsed.target,
        base_url=parsed.base_url or OPENAI_BASE_URL,
        api_key=env.get(COMPATIBLE_KEY_VARIABLE) or None,
        key_variable=COMPATIBLE_KEY_VARIABLE,
        provider="openai-compatible",
        stream=stream,
    )


def _required_key(env: Mapping[str, str], variable: str) -> str:
    key = env.get(variable, "").strip()
    if not key:
        raise failures.key_missing(variable)
    return key


def _setting(env: Mapping[str, str], settings: Mapping[str, Any], variable: str, key: str) -> str | None:
    value = env.get(variable) or settings.get(key)
    return str(value).strip() if value else None


def _truthy(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}
