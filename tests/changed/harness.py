"""Running the changed-app suite: each case's workflow on version 1 (which writes the lock), then on the
changed version with ``repair``, then up to three rounds of ``deskhand fix`` (the first suggestion) and a
run again. Every run is judged by what the app received, not by the run's own report. The runs go through the
policy guard with each workflow's policy, as real runs do; what the guard asks is approved (a person saying yes)
and kept in ``Suite.asked``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.changed.cases import CONTACT_LINE, Case, wrong_posts
from tests.changed.site import Site

from deskhand.app.launcher import DesktopLauncher
from deskhand.app.session import PolicyLauncher
from deskhand.backends.composite import CompositeBackend
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.policy.approval import ApprovalRequest, CallbackApprover
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy
from deskhand.runner.fix import plan_fix
from deskhand.runner.run import Runner, RunOutcome, StepInfo
from deskhand.runs.store import RunStore
from deskhand.sandbox import LaunchedApp, VirtualDesktop
from deskhand.workflows.parse import load_workflow

QT_APP = Path(__file__).resolve().parent / "qt_contact.py"
MAX_ROUNDS = 3


@dataclass
class CaseResult:
    case: str
    change: str
    baseline_ok: bool = False
    healed_without_person: bool = False
    needed_person: bool = False
    first_suggestion_works: bool | None = None
    rounds: int | None = None  # rounds of `fix` until it worked (0: none needed); None: not repaired
    wrong: int = 0
    failed_step_ms: list[float] = field(default_factory=list)
    heals: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[list[dict[str, Any]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def repaired(self) -> bool:
        return self.rounds is not None


class Suite:
    """One virtual desktop, one Chromium (opened by the first workflow), one run store, for many cases."""

    def __init__(self, virtual: VirtualDesktop, site: Site, workdir: Path, *, timeout: float = 10.0) -> None:
        self.virtual, self.site, self.workdir = virtual, site, workdir
        self.asked: list[ApprovalRequest] = []
        self.guard = Guard(approver=CallbackApprover(self._approve))
        self.guarded = GuardedBackend(CompositeBackend(virtual.a11y_address, display=virtual.display), self.guard)
        self.desktop = Desktop(self.guarded, timeout=timeout)
        self.store = RunStore(workdir / "runs.db")
        launcher = PolicyLauncher(DesktopLauncher(self.desktop, virtual), self.guarded)
        self.runner = Runner(self.desktop, launcher, self.store, timeout=timeout, capture=False)
        self.runner.on_step = self._on_step

    def _approve(self, request: ApprovalRequest) -> bool:
        self.asked.append(request)
        return True

    def _on_step(self, info: StepInfo) -> None:
        """The workflow's policy in force for each step, as a run session sets it."""
        self.guard.policy = Policy.from_workflow(info.workflow)
        self.guarded.begin_step(self.guard.policy.for_step(info.run_id, info.step))

    def close(self) -> None:
        self.store.close()
        self.desktop.close()

    def run_case(self, case: Case) -> CaseResult:
        result = CaseResult(case.name, case.change)
        folder = self.workdir / case.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{case.app}.md"
        path.write_text(case.workflow.replace("BASE", self.site.base), encoding="utf-8")
        first, good = self._run(case, path, 1, repair=False)
        result.baseline_ok = first.status == "succeeded" and good
        if not result.baseline_ok:
            result.notes.append(f"version 1 did not run: {first.error}")
            return result
        outcome, good = self._run(case, path, case.version, repair=True, result=result)
        if outcome.status == "succeeded" and good:
            result.healed_without_person, result.rounds = True, 0
            return result
        result.needed_person = True
        for round_ in range(1, MAX_ROUNDS + 1):
            try:
                plan_fix(self.store.get_run(outcome.run_id)).apply()
            except DeskhandError as error:
                result.notes.append(f"round {round_}: {error.message}")
                break
            outcome, good = self._run(case, path, case.version, repair=True, result=result)
            if outcome.status == "succeeded" and good:
                result.rounds = round_
                break
        result.first_suggestion_works = result.rounds == 1
        return result

    def _run(
        self, case: Case, path: Path, version: int, *, repair: bool, result: CaseResult | None = None
    ) -> tuple[RunOutcome, bool]:
        out = self.workdir / f"{case.name}-contacts.jsonl"
        out.unlink(missing_ok=True)
        with self._app(case, version, out):
            outcome = self.runner.run(load_workflow(path, allow_free_form=False), {}, repair=repair)
        good, wrong = self._judge(case, out, version)
        if result is not None and (outcome.status != "succeeded" or not good):
            failed = next((s for s in outcome.steps if s.status != "succeeded"), None)
            where = f"step {failed.n} {failed.sentence!r}: {failed.reason}" if failed else "every step succeeded"
            judged = "the app got what was meant" if good else "the app did not get what was meant"
            result.notes.append(f"v{version} run {outcome.status} ({where}); {judged}")
        if result is not None:
            result.wrong += wrong
            result.heals += [h for s in outcome.steps for h in s.heals]
            if outcome.status != "succeeded" and outcome.steps:
                result.failed_step_ms.append(outcome.steps[-1].ms)
                result.suggestions.append(list((outcome.error or {}).get("suggestions") or []))
        return outcome, good

    def _judge(self, case: Case, out: Path, version: int) -> tuple[bool, int]:
        """(the app got exactly what the workflow means, how many wrong submissions it got)."""
        if case.app == "qt":
            lines = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
            wrong = sum(line != CONTACT_LINE for line in lines)
            return lines == [CONTACT_LINE], wrong
        posts = self.site.take_posts()
        wrong = wrong_posts(case, posts, version)
        return len(posts) == 1 and wrong == 0, wrong

    @contextmanager
    def _app(self, case: Case, version: int, out: Path) -> Iterator[None]:
        if case.app != "qt":
            self.site.versions[case.app] = version
            yield
            return
        app: LaunchedApp = self.virtual.launch([sys.executable, str(QT_APP), str(version), str(out)])
        try:
            yield
        finally:
            self.virtual.stop_app(app)


@contextmanager
def suite(workdir: Path, site: Site, *, timeout: float = 10.0) -> Iterator[Suite]:
    with VirtualDesktop() as virtual:
        running = Suite(virtual, site, workdir, timeout=timeout)
        try:
            yield running
        finally:
            running.close()
