"""A stop during a long Type: the text in the real editor stops short, nothing typed arrives after the stop, and
the step and the run end "stopped", never "succeeded"."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.injection.fixtures import home, providers, session, sites

from deskhand.app.session import RunSession, stop_dir
from deskhand.policy.killswitch import request_stop
from deskhand.runs.audit import AuditLog
from deskhand.tree.node import Node
from deskhand.workflows.parse import load_workflow

__all__ = ["home", "providers", "session", "sites"]
pytestmark = pytest.mark.desktop

LINE = "the quick brown fox jumps over the lazy dog 0123456789\n"


def editor_text(session: RunSession) -> str:
    """What the editor holds, read below the guard."""
    backend = session.guarded.inner
    for app in backend.applications():
        if app.name.casefold() == "mousepad":
            views = [n for n in backend.snapshot(app.ref).walk() if is_text_view(n)]
            if views:
                return views[0].value or ""
    return ""


def is_text_view(node: Node) -> bool:
    return node.role in ("textbox", "document") and "multiline" in node.states


def when(test: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(0.05)
    return False


def test_deskhand_stop_during_a_long_type_leaves_the_text_short_and_the_step_stopped(
    session: RunSession, home: Path, tmp_path: Path
) -> None:
    text = LINE * 80  # 4,400 characters
    path = tmp_path / "long-type.md"
    path.write_text(
        "---\nname: long-type\ninputs:\n  text: {type: string}\napps: [mousepad]\n---\n\n"
        '1. Open mousepad\n2. Type "{text}"\n',
        encoding="utf-8",
    )
    workflow = load_workflow(path)
    runner = session.runner_for(workflow)
    stopped_at: dict[str, float] = {}

    def stop_while_typing() -> None:
        # `deskhand stop RUN` once the editor shows some of the text.
        assert when(lambda: session.guarded.step.n == 2 and len(editor_text(session)) > 200, 60)
        stopped_at["wall"] = time.time()
        request_stop(stop_dir(), session.guarded.step.run_id)

    stopper = threading.Thread(target=stop_while_typing)
    stopper.start()
    try:
        outcome = runner.run(workflow, {"text": text}, use_lock=False)
    finally:
        stopper.join()
        session.guard.kill.reset()
    assert "wall" in stopped_at, "the stop never came: the editor showed none of the text"
    assert outcome.status == "stopped", outcome.error
    assert [s.status for s in outcome.steps] == ["succeeded", "stopped"]
    record = session.store.get_run(outcome.run_id).to_json()
    assert record["status"] == "stopped" and record["steps"][1]["status"] == "stopped"

    # The editor holds a beginning of the text, and nothing more arrives after the stop.
    shown = editor_text(session)
    time.sleep(1.5)
    later = editor_text(session)
    assert later == shown
    assert 200 < len(shown) < len(text) - 500, len(shown)
    assert text.startswith(shown)

    # Every event of the step was let through before the stop.
    entries = [e for e in AuditLog(home / "audit.jsonl").tail(2000) if e["run_id"] == outcome.run_id]
    assert [e for e in entries if e["step"] == 2 and e["action"] == "type_text"]
