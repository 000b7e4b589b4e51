"""Helpers for tests on LibreOffice: a private profile with corrections off, files written by the test,
and a runner whose backend is guarded like `deskhand run`'s (so the table seam is exercised through the guard)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.fixtures.workbooks import write_ods

from deskhand.app.launcher import DesktopLauncher
from deskhand.backends.composite import CompositeBackend
from deskhand.locate.desktop import Desktop
from deskhand.policy.approval import Approver, DenyApprover
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.runner.run import Runner, StepInfo
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.sandbox.launch import LaunchedApp
from deskhand.workflows.model import Workflow

# Registry settings of a fresh profile: no first-start dialogs, and nothing that rewrites typed text
# (the read-back would catch it, but a test wants to type exactly).
_SETTINGS = (
    ("org.openoffice.Office.Common/Misc", "ShowTipOfTheDay", "false"),
    ("org.openoffice.Office.Common/Misc", "FirstRun", "false"),
    ("org.openoffice.Office.Common/Misc", "CrashReport", "false"),
    ("org.openoffice.Office.Calc/Input", "AutoInput", "false"),
    ("org.openoffice.Office.Common/AutoCorrect", "UseReplacementTable", "false"),
    ("org.openoffice.Office.Common/AutoCorrect", "TwoCapitalsAtStart", "false"),
    ("org.openoffice.Office.Common/AutoCorrect", "CapitalAtStartSentence", "false"),
    ("org.openoffice.Office.Common/AutoCorrect", "ReplaceSingleQuote", "false"),
    ("org.openoffice.Office.Common/AutoCorrect", "ReplaceDoubleQuote", "false"),
    ("org.openoffice.Office.Common/AutoCorrect", "ChangeDash", "false"),
    ("org.openoffice.Office.Writer/AutoFunction/Completion", "Enable", "false"),
    ("org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"),
    ("org.openoffice.Office.Recovery/AutoSave", "Enabled", "false"),
)


def write_profile(folder: Path) -> Path:
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    items = "\n".join(
        f'<item oor:path="/{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>'
        for path, name, value in _SETTINGS
    )
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n",
        encoding="utf-8",
    )
    return folder


def launch_office(virtual: VirtualDesktop, *args: str) -> LaunchedApp:
    """LibreOffice on the gtk3 plugin (the only one on the bus) with a private profile."""
    profile = write_profile(virtual.temp_dir / "libreoffice")
    argv = ["env", "SAL_USE_VCLPLUGIN=gtk3", "soffice", "--norestore", "--nologo", "--nodefault"]
    return virtual.launch([*argv, f"-env:UserInstallation=file://{profile}", *args], timeout=90)


@dataclass
class Guarded:
    virtual: VirtualDesktop
    desktop: Desktop
    runner: Runner
    store: RunStore
    guarded: GuardedBackend


@contextmanager
def guarded_runner(
    approver: Approver | None = None, timeout: float = 15.0, size: tuple[int, int] = (1600, 1200)
) -> Iterator[Guarded]:
    """A 1600x1200 desktop (GTK's file chooser is ~840 px tall) and a runner acting through the guard."""
    with VirtualDesktop(size=size) as virtual, guarded_on(virtual, approver, timeout) as guarded:
        yield guarded


@contextmanager
def guarded_on(virtual: VirtualDesktop, approver: Approver | None = None, timeout: float = 15.0) -> Iterator[Guarded]:
    """A runner acting through the guard on ``virtual``, with a backend of its own (as each `deskhand run`)."""
    backend = CompositeBackend(virtual.a11y_address, display=virtual.display)
    store = RunStore(virtual.temp_dir / f"runs-{id(backend)}.db")
    guarded = GuardedBackend(backend, Guard(approver=approver or DenyApprover(), events=store))
    desktop = Desktop(guarded, timeout=timeout)
    runner = Runner(desktop, DesktopLauncher(desktop, virtual), store, timeout=timeout, capture=False)

    def on_step(info: StepInfo) -> None:
        policy = Policy.from_workflow(info.workflow)
        guarded.guard.policy = policy
        guarded.begin_step(policy.for_step(info.run_id, info.step))

    runner.on_step = on_step
    try:
        yield Guarded(virtual, desktop, runner, store, guarded)
    finally:
        store.close()
        desktop.close()


def workflow_file(folder: Path, name: str, apps: str, steps: list[str], header: str = "") -> Path:
    body = "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))
    path = folder / f"{name}.md"
    path.write_text(f"---\nname: {name}\napps: [{apps}]\n{header}---\n{body}\n", encoding="utf-8")
    return path


__all__ = [
    "Guarded",
    "Workflow",
    "guarded_on",
    "guarded_runner",
    "launch_office",
    "workflow_file",
    "write_ods",
    "write_profile",
]
