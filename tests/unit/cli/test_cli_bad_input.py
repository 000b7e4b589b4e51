"""The `deskhand` command on bad input: one clear line naming file:line and the fix, exit code 2, nothing run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def deskhand(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESKHAND_HOME": str(home)}
    for name in ("DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS", "DESKHAND_MODEL"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "deskhand", *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_version(tmp_path: Path) -> None:
    done = deskhand("--version", home=tmp_path)
    assert done.returncode == 0
    assert done.stdout.startswith("deskhand ")


def test_malformed_workflow_names_file_and_line_and_exits_2(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.md"
    workflow.write_text('---\nname: x\ninput:\n  a: {type: string}\n---\n1. Click "OK"\n')
    done = deskhand("run", str(workflow), home=tmp_path)
    assert done.returncode == 2
    assert f"{workflow}:3" in done.stderr
    assert "inputs" in done.stderr  # the nearest valid key is suggested
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "runs.db").exists() or "r-" not in deskhand("runs", "list", home=tmp_path).stdout


def test_sentence_outside_the_language_without_a_model_exits_2(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.md"
    workflow.write_text("---\nname: x\n---\n1. Tap on Save please\n")
    done = deskhand("run", str(workflow), home=tmp_path)
    assert done.returncode == 2
    assert f"{workflow}:4" in done.stderr
    assert 'Click "Save' in done.stderr


def test_a_template_in_sites_is_refused_at_load_with_file_and_line_and_exits_2(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.md"
    workflow.write_text(
        "---\nname: x\ninputs:\n  base: {type: string}\napps: [chromium]\nsites:\n  - '{base}'\n---\n"
        "1. Open {base} in the browser\n"
    )
    done = deskhand("run", str(workflow), "--input", "base=https://evil.example", home=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"{workflow}:7" in done.stderr and "policy never comes from inputs" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_sentence_far_from_the_language_gets_no_made_up_suggestion(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.md"
    workflow.write_text("---\nname: x\n---\n1. Frobnicate the widget thoroughly\n")
    done = deskhand("run", str(workflow), home=tmp_path)
    assert done.returncode == 2
    assert f"{workflow}:4" in done.stderr
    assert "Save the file" not in done.stderr and "Did you mean" not in done.stderr, done.stderr


def test_csv_without_a_needed_column_exits_2_before_anything_runs(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.md"
    workflow.write_text('---\nname: x\ninputs:\n  email: {type: string, required: true}\n---\n1. Type "{email}"\n')
    rows = tmp_path / "rows.csv"
    rows.write_text("name\nAda\n")
    done = deskhand("run", str(workflow), "--inputs", str(rows), home=tmp_path)
    assert done.returncode == 2
    assert "email" in done.stderr
    assert "rows.csv" in done.stderr


def test_wrong_input_type_exits_2(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.md"
    workflow.write_text('---\nname: x\ninputs:\n  seats: {type: number, required: true}\n---\n1. Type "{seats}"\n')
    done = deskhand("run", str(workflow), "--input", "seats=many", home=tmp_path)
    assert done.returncode == 2
    assert "seats" in done.stderr and "number" in done.stderr


def test_unknown_run_id_exits_1_with_a_hint(tmp_path: Path) -> None:
    done = deskhand("runs", "show", "r-nope", home=tmp_path)
    assert done.returncode == 1
    assert "deskhand runs list" in done.stderr
