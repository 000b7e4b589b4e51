"""notify: and retries: in the front matter, DESKHAND_NOTIFY and config.toml: good values read, bad ones
refused at load with file:line (or the variable's name) and the fix."""

from __future__ import annotations

import pytest

from deskhand.errors import DeskhandError, InputError, WorkflowError
from deskhand.notices.settings import notice_settings
from deskhand.workflows.model import Retries
from deskhand.workflows.parse import parse_workflow

STEPS = "1. Open mousepad\n"


def parse(front: str):  # type: ignore[no-untyped-def]
    return parse_workflow(f"---\nname: w\n{front}---\n{STEPS}", "w.md")


def test_notify_and_retries_are_read() -> None:
    flow = parse(
        'notify: ["json://127.0.0.1:8000/hook", "mailto://user:pw@example.com"]\n'
        "retries: {attempts: 3, backoff: 500ms}\n"
    )
    assert flow.notify == ("json://127.0.0.1:8000/hook", "mailto://user:pw@example.com")
    assert flow.retries == Retries(3, 0.5)
    assert parse("notify: ntfy://deskhand-alerts\nretries: 2\n").notify == ("ntfy://deskhand-alerts",)
    assert parse("").retries == Retries(1, 0.0)


@pytest.mark.parametrize(
    ("front", "line", "words"),
    [
        ('notify:\n  - "json://127.0.0.1:8000/"\n  - "mailtoo://user:pw@example.com"\n', 5, "mailtoo"),
        ("notify: [example.com]\n", 3, "no scheme"),
        ('notify: ["json://"]\n', 3, "apprise does not understand"),
        ("retries: {attempts: 0}\n", 3, "from 1 to 10"),
        ("retries:\n  attempts: 2\n  backoff: soon\n", 5, "duration such as 2s"),
        ("retries: {tries: 2}\n", 3, "Unknown key 'tries'"),
    ],
)
def test_bad_values_are_refused_at_their_line(front: str, line: int, words: str) -> None:
    with pytest.raises(WorkflowError) as caught:
        parse(front)
    assert caught.value.line == line and caught.value.file == "w.md"
    assert words in str(caught.value)


def test_a_password_in_a_bad_url_is_not_shown() -> None:
    with pytest.raises(WorkflowError) as caught:
        parse('notify: ["mailtoo://user:hunter2@example.com"]\n')
    assert "hunter2" not in str(caught.value) and "user:***@" in str(caught.value)


def test_environment_and_config_urls() -> None:
    env = {"DESKHAND_NOTIFY": "json://127.0.0.1:9/a ntfy://topic", "DESKHAND_CONSOLE_URL": "http://h:1"}
    settings = notice_settings(env, {"notify": ["json://127.0.0.1:9/default"]})
    assert settings.always_urls == ("json://127.0.0.1:9/a", "ntfy://topic")
    assert settings.urls_for(parse("")) == ("json://127.0.0.1:9/default", "json://127.0.0.1:9/a", "ntfy://topic")
    assert settings.urls_for(parse("notify: [ntfy://mine]\n"))[0] == "ntfy://mine"
    assert settings.console_url == "http://h:1"
    with pytest.raises(DeskhandError, match="DESKHAND_NOTIFY"):
        notice_settings({"DESKHAND_NOTIFY": "nonsense"}, {})
    with pytest.raises(InputError, match=r"config\.toml: 'slack://' in 'notify'"):
        notice_settings({"DESKHAND_HOME": "/nowhere"}, {"notify": ["slack://"]})
