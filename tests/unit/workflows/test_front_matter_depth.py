"""Brackets nested thousands deep in the front matter are bad input: exit 2 naming file:line, no RecursionError."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deskhand.errors import WorkflowError
from deskhand.workflows.parse import load_workflow


def deep_flow(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_block(depth: int) -> str:
    return "\n" + "".join("  " * level + "- \n" for level in range(1, depth))


@pytest.mark.parametrize(("value", "line"), [(deep_flow(5000), 3), (deep_block(3000), 2)], ids=["flow", "block"])
def test_deep_nesting_is_a_clear_error_at_its_line(tmp_path: Path, value: str, line: int) -> None:
    path = tmp_path / "deep.md"
    path.write_text(f"---\nname: deep\napps: {value}\n---\n\n1. Press Enter\n", encoding="utf-8")
    with pytest.raises(WorkflowError, match="more than 64 levels deep") as raised:
        load_workflow(path)
    assert raised.value.line == line
    done = subprocess.run(
        [sys.executable, "-m", "deskhand", "run", str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {path}:{line}: The front matter nests") and "Traceback" not in done.stderr


def test_ordinary_nesting_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "ok.md"
    path.write_text("---\nname: ok\napps: [mousepad]\ninputs:\n  a: {type: string}\n---\n\n1. Press Enter\n")
    assert load_workflow(path).apps == ("mousepad",)
