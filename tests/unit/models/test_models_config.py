"""Choosing a model from DESKHAND_MODEL or config.toml, and the errors a user sees when it goes wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.fakes.providers import FakeAnthropic, FakeOpenAI, Reply

from deskhand.errors import ModelError, NeedsKey
from deskhand.models.anthropic import AnthropicModel
from deskhand.models.config import (
    ModelSpec,
    configured_model_spec,
    model_from_spec,
    parse_model_spec,
)
from deskhand.models.messages import UserMessage
from deskhand.models.openai_compat import OpenAICompatModel
from deskhand.models.scripted import ScriptedModel


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "deskhand-home"


def env_with(home: Path, **variables: str) -> dict[str, str]:
    return {"DESKHAND_HOME": str(home), **variables}


def write_config(home: Path, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("anthropic:claude-sonnet-4-5", ModelSpec("anthropic", "claude-sonnet-4-5")),
        ("openai:gpt-4.1", ModelSpec("openai", "gpt-4.1")),
        (
            "openai-compatible:http://127.0.0.1:11434/v1#qwen2.5-vl",
            ModelSpec("openai-compatible", "qwen2.5-vl", "http://127.0.0.1:11434/v1"),
        ),
        ("scripted:/tmp/transcript.yaml", ModelSpec("scripted", "/tmp/transcript.yaml")),
        ("  openai:gpt-4o  ", ModelSpec("openai", "gpt-4o")),
    ],
)
def test_parse_valid_specs(spec: str, expected: ModelSpec) -> None:
    assert parse_model_spec(spec) == expected


def test_unknown_provider_lists_the_valid_forms() -> None:
    with pytest.raises(ModelError) as caught:
        parse_model_spec("gemini:pro")
    error = caught.value
    assert "'gemini:pro'" in error.message
    for form in ("anthropic:", "openai:", "openai-compatible:", "scripted:"):
        assert form in error.message and form in error.hint


@pytest.mark.parametrize(
    "spec",
    ["openai-compatible:http://127.0.0.1:11434/v1", "openai-compatible:localhost#m", "openai-compatible:http://x/#"],
)
def test_compatible_spec_needs_url_and_model(spec: str) -> None:
    with pytest.raises(ModelError, match="needs a server URL and a model name"):
        parse_model_spec(spec)


def test_spec_without_model_is_refused() -> None:
    with pytest.raises(ModelError, match="names no model"):
        parse_model_spec("anthropic:")


@pytest.mark.parametrize(
    ("spec", "variable"), [("anthropic:claude-sonnet-4-6", "ANTHROPIC_API_KEY"), ("openai:gpt-4.1", "OPENAI_API_KEY")]
)
def test_missing_key_is_one_clear_line(home: Path, spec: str, variable: str) -> None:
    with pytest.raises(NeedsKey) as caught:
        model_from_spec(spec, env=env_with(home, **{variable: "  "}))
    assert caught.value.message == (f"{variable} is not set; export it or choose another model with DESKHAND_MODEL")
    assert "\n" not in caught.value.message


def test_configured_spec_prefers_the_environment(home: Path) -> None:
    write_config(home, 'model = "openai:gpt-4.1"\n')
    assert configured_model_spec(env_with(home)) == "openai:gpt-4.1"
    assert configured_model_spec(env_with(home, DESKHAND_MODEL="scripted:x.yaml")) == "scripted:x.yaml"


def test_nothing_configured_is_none_and_building_says_how(home: Path) -> None:
    assert configured_model_spec(env_with(home)) is None
    with pytest.raises(ModelError) as caught:
        model_from_spec(env=env_with(home))
    assert "DESKHAND_MODEL" in caught.value.message
    assert str(home / "config.toml") in caught.value.message


def test_config_home_defaults_under_dot_config(tmp_path: Path) -> None:
    write_config(tmp_path / ".config" / "deskhand", 'model = "scripted:t.yaml"\n')
    assert configured_model_spec({"HOME": str(tmp_path)}) == "scripted:t.yaml"


def test_broken_config_names_the_file(home: Path) -> None:
    write_config(home, "model = \n")
    with pytest.raises(ModelError) as caught:
        configured_model_spec(env_with(home))
    assert str(home / "config.toml") in caught.value.message
    assert "not valid TOML" in caught.value.message


def test_anthropic_from_environment_talks_to_the_base_url(home: Path) -> None:
    with FakeAnthropic([Reply(text="hi")]) as server:
        env = env_with(
            home,
            DESKHAND_MODEL="anthropic:claude-sonnet-4-6",
            ANTHROPIC_API_KEY="sk-ant-from-env",
            ANTHROPIC_BASE_URL=server.base_url,
            DESKHAND_MODEL_STREAM="1",
        )
        model = model_from_spec(env=env)
        assert isinstance(model, AnthropicModel)
        assert model.name == "anthropic:claude-sonnet-4-6"
        assert model.stream
        assert model.complete([UserMessage("hello")], [], system="s").text == "hi"
    assert "sk-ant-from-env" in server.requests[0].headers["authorization"]


def test_base_url_and_stream_from_config_file(home: Path) -> None:
    with FakeOpenAI([Reply(text="from config")]) as server:
        write_config(home, f'model = "openai:gpt-4.1"\nopenai_base_url = "{server.base_url}"\nstream = true\n')
        model = model_from_spec(env=env_with(home, OPENAI_API_KEY="sk-openai-env"))
        assert isinstance(model, OpenAICompatModel)
        assert (model.name, model.stream, model.base_url) == ("openai:gpt-4.1", True, server.base_url)
        assert model.complete([UserMessage("hello")], [], system="s").text == "from config"


def test_compatible_server_never_gets_the_openai_key(home: Path) -> None:
    with FakeOpenAI([Reply(text="local")]) as server:
        env = env_with(home, OPENAI_API_KEY="sk-real-openai-secret")
        model = model_from_spec(f"openai-compatible:{server.base_url}#qwen2.5-vl", env=env)
        model.complete([UserMessage("hello")], [], system="s")
    assert "sk-real-openai-secret" not in server.requests[0].raw_body.decode()
    assert all("sk-real-openai-secret" not in value for value in server.requests[0].headers.values())


def test_compatible_server_key_is_sent_when_set(home: Path) -> None:
    with FakeOpenAI([Reply(text="local")]) as server:
        env = env_with(home, OPENAI_COMPATIBLE_API_KEY="sk-or-router")
        model_from_spec(f"openai-compatible:{server.base_url}#m", env=env).complete([UserMessage("x")], [], system="")
    assert server.requests[0].headers["authorization"] == "Bearer sk-or-router"


def test_explicit_stream_argument_wins(home: Path) -> None:
    env = env_with(home, ANTHROPIC_API_KEY="k", DESKHAND_MODEL_STREAM="1")
    model = model_from_spec("anthropic:claude-haiku-4-5", env=env, stream=False)
    assert isinstance(model, AnthropicModel) and not model.stream


def test_scripted_spec_builds_a_scripted_model(home: Path, tmp_path: Path) -> None:
    transcript = tmp_path / "t.yaml"
    transcript.write_text("- text: scripted hello\n", encoding="utf-8")
    model = model_from_spec(f"scripted:{transcript}", env=env_with(home))
    assert isinstance(model, ScriptedModel)
    assert model.complete([], [], system="").text == "scripted hello"


def test_choosing_a_model_does_not_load_other_sdks(tmp_path: Path) -> None:
    transcript = tmp_path / "t.yaml"
    transcript.write_text("- text: hi\n", encoding="utf-8")
    program = (
        "import sys\n"
        "from deskhand.models.config import model_from_spec\n"
        f"model_from_spec('scripted:{transcript}', env={{}})\n"
        "print(sorted(m for m in ('anthropic', 'openai') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
