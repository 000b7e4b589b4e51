"""A runner on a virtual desktop through the guard, as a person's run has it, for tests that run whole
workflows on apps read by sight (GTK 4's unlisted widgets, apps with no accessibility at all)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from deskhand.app.launcher import DesktopLauncher
from deskhand.backends.base import Backend
from deskhand.locate.desktop import Desktop
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.runner.run import Runner, RunOutcome, StepInfo
from deskhand.runs.store import RunStore
from deskhand.sandbox import VirtualDesktop
from deskhand.workflows.parse import load_workflow


class GuardedRig:
    """``backend`` under the guard (its events kept in a run store in the desktop's folder), a Desktop and a
    Runner over it; each step gets its workflow's policy, as a run does."""

    def __init__(self, virtual: VirtualDesktop, backend: Backend, *, timeout: float) -> None:
        self.virtual = virtual
        self.store = RunStore(virtual.temp_dir / "runs.db")
        self.guarded = GuardedBackend(backend, Guard(events=self.store))
        self.desktop = Desktop(self.guarded, timeout=timeout)
        self.runner = Runner(self.desktop, DesktopLauncher(self.desktop, virtual), self.store, timeout=timeout)
        self.runner.on_step = self.on_step

    def on_step(self, info: StepInfo) -> None:
        policy = Policy.from_workflow(info.workflow)
        self.guarded.guard.policy = policy
        self.guarded.begin_step(policy.for_step(info.run_id, info.step))

    def run_text(self, folder: Path, text: str, *, use_lock: bool = False) -> RunOutcome:
        """Run the workflow ``text``, written to ``folder``/wf.md."""
        path = folder / "wf.md"
        path.write_text(text, encoding="utf-8")
        return self.runner.run(load_workflow(path), {}, use_lock=use_lock)

    def run_steps(self, folder: Path, name: str, app: str, *steps: str, front: str = "") -> RunOutcome:
        """Run ``steps`` as a workflow named ``name`` on ``app`` (``front``: more front matter lines)."""
        body = "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))
        return self.run_text(folder, f"---\nname: {name}\napps: [{app}]\n{front}---\n{body}\n")

    def close(self) -> None:
        self.store.close()
        self.desktop.close()


Rig = TypeVar("Rig", bound=GuardedRig)


@contextmanager
def rig_on_own_desktop(make: Callable[[VirtualDesktop], Rig], *, launch: Sequence[str] = ()) -> Iterator[Rig]:
    """A desktop of the test's own with ``launch`` started on it (given 40 s), and the rig ``make`` builds on
    it; the rig is closed and the desktop torn down after."""
    with VirtualDesktop() as virtual:
        if launch:
            virtual.launch(launch, timeout=40)
        made = make(virtual)
        try:
            yield made
        finally:
            made.close()
