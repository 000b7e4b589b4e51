"""Every workflow in examples/workflows runs on real apps on a virtual desktop, with no model."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from deskhand.app.launcher import DesktopLauncher
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.demo.server import CrmServer
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Runner
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.workflows.inputs import coerce_inputs
from deskhand.workflows.parse import load_workflow

pytestmark = pytest.mark.desktop

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "workflows"


class Harness:
    def __init__(self, virtual: VirtualDesktop, folder: Path) -> None:
        self.virtual = virtual
        self.folder = folder
        self.desktop = Desktop(AtspiBackend(virtual.a11y_address, display=virtual.display), timeout=5.0)
        self.store = RunStore(folder / "runs.db")
        launcher = DesktopLauncher(self.desktop, virtual)
        self.runner = Runner(self.desktop, launcher, self.store, timeout=10.0)

    def run(self, example: str, /, **inputs: object) -> None:
        copy = self.folder / example
        shutil.copy(EXAMPLES / example, copy)
        workflow = load_workflow(copy, allow_free_form=False)
        outcome = self.runner.run(workflow, coerce_inputs(workflow, dict(inputs)))
        assert outcome.status == "succeeded", outcome.error
        assert copy.with_suffix(".lock").is_file()

    def close(self) -> None:
        self.store.close()
        self.desktop.close()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    with VirtualDesktop() as virtual:
        h = Harness(virtual, tmp_path)
        try:
            yield h
        finally:
            h.close()


def test_every_example_is_covered_here() -> None:
    covered = {"calculator-multiply.md", "mousepad-note.md", "zenity-form.md", "crm-add-contact.md"}
    assert {p.name for p in EXAMPLES.glob("*.md")} - {"README.md"} == covered


def test_calculator_multiply(harness: Harness) -> None:
    harness.run("calculator-multiply.md")


def test_mousepad_note(harness: Harness, tmp_path: Path) -> None:
    target = tmp_path / "note.txt"
    harness.run("mousepad-note.md", text="Call Ada about the Q3 figures.", path=str(target))
    assert target.read_text().strip() == "Call Ada about the Q3 figures."


def test_zenity_form(harness: Harness) -> None:
    command = [
        "zenity", "--forms", "--title", "Add contact", "--text", "Add a new contact.",
        "--add-entry", "Name", "--add-entry", "Email", "--add-combo", "Plan", "--combo-values", "Basic|Pro|Enterprise",
    ]  # fmt: skip
    app = harness.virtual.launch(command)
    harness.run("zenity-form.md", name="Grace Hopper", email="grace@example.com", plan="Enterprise")
    # zenity prints the answers when OK is pressed; its output goes to the launch log.
    log = Path(app.log_path)
    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(app.pid).wait(timeout=5.0)
    assert "Grace Hopper|grace@example.com|Enterprise" in log.read_text()


def test_crm_add_contact(harness: Harness) -> None:
    with CrmServer() as crm:
        harness.run(
            "crm-add-contact.md",
            crm_url=crm.url,
            name="Ada Lovelace",
            email="ada@example.com",
            company="Analytical Engines",
            plan="Pro",
            notes="Met at the conference.",
        )
        records = crm.records()
    assert [(c.name, c.email, c.plan) for c in records] == [("Ada Lovelace", "ada@example.com", "Pro")]
