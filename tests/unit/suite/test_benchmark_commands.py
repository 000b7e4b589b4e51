"""Every figure the docs quote names the script that prints it: each `python benchmarks/…` command written in
README.md, ARCHITECTURE.md and docs/ must be a script that exists and takes the options written with it, and
every benchmarks/ file the docs name must exist. A renamed script or a dropped option fails here, not in the
hands of someone trying to reproduce a figure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCS = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMAND = re.compile(r"`python3? (benchmarks/[\w]+\.py)([^`]*)`")
NAMED = re.compile(r"\bbenchmarks/([\w]+\.py)\b")
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)")
# The scripts declare their options with argparse; read them from the source (starting every script to ask
# for --help would take minutes on a loaded machine).
DECLARED = re.compile(r"add_argument\(\s*\"(--[a-z][a-z-]*)\"")


def commands() -> list[tuple[str, str, str]]:
    """(doc, script, options) of every command written in backticks; a command may wrap onto the next line."""
    found: list[tuple[str, str, str]] = []
    for doc in DOCS:
        text = " ".join(doc.read_text(encoding="utf-8").split())
        found += [(doc.name, script, rest.strip()) for script, rest in COMMAND.findall(text)]
    return found


def options_of(script: str) -> set[str]:
    return {"--help", *DECLARED.findall((ROOT / script).read_text(encoding="utf-8"))}


def test_the_docs_name_benchmark_commands() -> None:
    assert len(commands()) >= 15  # the pattern still finds them


@pytest.mark.parametrize(("doc", "script", "options"), commands(), ids=lambda v: str(v)[:40])
def test_each_command_runs_a_script_that_takes_its_options(doc: str, script: str, options: str) -> None:
    assert (ROOT / script).is_file(), f"{doc} names {script}, which does not exist"
    declared = options_of(script)
    for option in OPTION.findall(options):
        assert option in declared, f"{doc}: `python {script} {options}`: {script} has no {option}"


def test_every_benchmark_file_the_docs_name_exists() -> None:
    missing = sorted(
        {f"{doc.name}: benchmarks/{name}" for doc in DOCS for name in NAMED.findall(doc.read_text(encoding="utf-8"))}
        - {f"{doc.name}: benchmarks/{path.name}" for doc in DOCS for path in (ROOT / "benchmarks").glob("*.py")}
    )
    assert not missing, missing
