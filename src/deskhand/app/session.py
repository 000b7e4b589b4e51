"""Everything one `deskhand run` needs, put together: desktop, guard, launcher, run store, runner.

The runner, the launcher and every locator work on a :class:`~deskhand.policy.guard.GuardedBackend`, so
every read and input event of the run passes the workflow's policy. The policy, budgets and stop watch
follow the workflow being run: the runner's ``on_step`` hook sets them when a new run (or workflow) starts.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from deskhand.app.compose import DesktopChoice, DesktopSession, open_desktop
from deskhand.app.launcher import DesktopLauncher, pick_browser
from deskhand.app.network import BrowserNetwork
from deskhand.app.notify import EXIT_WAIT_S, WaitingNotices, session_notifier
from deskhand.database import Where, is_postgres
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.models.config import configured_model_spec, model_from_spec
from deskhand.notices.notifier import Notifier
from deskhand.policy.approval import Approver, DenyApprover, TerminalApprover
from deskhand.policy.approval_queue import ApprovalQueue, QueueApprover
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.killswitch import Budget, KillSwitch
from deskhand.policy.rules import Policy
from deskhand.policy.secrets import Redactor, SecretStore
from deskhand.runner.free_form import AgentSolver
from deskhand.runner.run import Runner, StepInfo
from deskhand.runs.audit import AuditLog
from deskhand.runs.home import default_store, deskhand_home
from deskhand.runs.intents import IntentLog
from deskhand.runs.report import write_report
from deskhand.runs.shared_audit import FleetAudit
from deskhand.runs.store import RunStore
from deskhand.workflows.model import Workflow

ApproveChoice = Literal["auto", "terminal", "deny", "queue"]
APPROVE_CHOICES: tuple[str, ...] = ("auto", "terminal", "deny", "queue")


def stop_dir() -> Path:
    """Where `deskhand stop` leaves its stop files."""
    return deskhand_home() / "stop"


def approvals_path() -> Where:
    """The fleet's PostgreSQL when ``DESKHAND_DB`` names one (any console answers any worker), else
    ``<home>/approvals.db``."""
    store = default_store()
    return store if is_postgres(store) else deskhand_home() / "approvals.db"


def choose_approver(choice: ApproveChoice | str, kill: KillSwitch, *, interactive: bool | None = None) -> Approver:
    """``auto``: ask on the terminal when there is one, else refuse; ``queue``: wait for the web page / MCP."""
    if choice == "auto":
        choice = "terminal" if (sys.stdin.isatty() if interactive is None else interactive) else "deny"
    if choice == "terminal":
        return TerminalApprover()
    if choice == "deny":
        return DenyApprover()
    if choice == "queue":
        return QueueApprover(ApprovalQueue(approvals_path()), should_stop=lambda: kill.requested)
    raise DeskhandError(f"{choice!r} is not a way to approve.", hint=f"Use one of: {', '.join(APPROVE_CHOICES)}.")


def budget_for(workflow: Workflow, default_minutes: float | None = None) -> Budget:
    limits = workflow.limits
    minutes = limits.max_minutes if limits.max_minutes is not None else default_minutes
    return Budget(
        max_steps=limits.max_steps,
        max_seconds=None if minutes is None else minutes * 60,
        max_spend_usd=limits.max_spend_usd,
    )


@dataclass
class PolicyLauncher:
    """Opens apps and pages only when the policy allows them: starting a process is an action too."""

    inner: DesktopLauncher
    guarded: GuardedBackend
    network: BrowserNetwork = field(init=False)

    def __post_init__(self) -> None:
        # Every Chromium this launcher opens or uses refuses off-list requests itself (app/network.py).
        self.network = BrowserNetwork(self.guarded)
        self.inner.guard_network = self.network.guard
        # The process an allowed launch started is the app the policy allowed, whatever the bus calls it
        # (`LibreOffice Calc` runs as `soffice`).
        self.inner.on_opened = self.guarded.admit_started

    def open_app(self, name: str) -> str:
        # The program by whichever of its names the workflow lists (`soffice` allows "LibreOffice Calc").
        names = self.inner.program_names(name)
        policy = self.guarded.guard.policy
        program = next((n for n in names if policy.allows_app(n)), names[0] if names else "")
        self.guarded.check_launch(name, program=program)
        return self.inner.open_app(name)

    def open_url(self, url: str, browser: str = "") -> str:
        kind = pick_browser(browser)
        self.guarded.check_launch(kind, url)
        # A browser deskhand starts is told the sites too (Firefox blocks the rest at the network layer).
        return self.inner.open_url(url, kind, sites=self.guarded.guard.policy.sites)


@dataclass
class RunSession:
    session: DesktopSession
    store: RunStore
    runner: Runner
    guarded: GuardedBackend
    default_minutes: float | None = None
    notices: WaitingNotices | None = None
    intents: IntentLog | None = None
    _exits: ExitStack = field(default_factory=ExitStack)
    _workflow: Workflow | None = None
    _run_id: str = ""

    @property
    def guard(self) -> Guard:
        return self.guarded.guard

    def runner_for(self, workflow: Workflow) -> Runner:
        """The runner, with the policy and budgets of ``workflow`` in force (``run`` also does this itself)."""
        self._apply(workflow)
        return self.runner

    def _apply(self, workflow: Workflow) -> None:
        self._workflow = workflow
        self.guard.policy = Policy.from_workflow(workflow)
        self.guard.budget = budget_for(workflow, self.default_minutes)

    def on_step(self, info: StepInfo) -> None:
        if info.workflow is not self._workflow:
            self._apply(info.workflow)
        if info.run_id != self._run_id:
            # A new run (a batch row): budgets start again.
            self._run_id = info.run_id
            self.guard.budget.restart()
        self.guarded.begin_step(self.guard.policy.for_step(info.run_id, info.step))
        if self.notices is not None:
            self.notices.step = info

    @property
    def notifier(self) -> Notifier | None:
        return self.notices.notifier if self.notices is not None else None

    def report(self, run_id: str) -> str:
        path = write_report(self.store, run_id)
        self.store.set_report_path(run_id, path)
        return str(path)

    def close(self) -> None:
        try:
            self._exits.close()
            if self.notices is not None:
                self.notices.notifier.wait(EXIT_WAIT_S)
        finally:
            self.session.close()
            self.store.close()
            if self.intents is not None:
                self.intents.close()

    def __enter__(self) -> RunSession:
        # Ctrl-C asks the guard to stop (no input after it); a second Ctrl-C interrupts at once.
        self._exits.enter_context(self.guard.kill.catch_sigint())
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class _SpendingRecorder:
    """Records each model call in the run store and counts its cost against the run's spend budget."""

    store: RunStore
    guard: Guard

    def record_model_call(
        self,
        run_id: str,
        step: int | None,
        provider: str,
        model: str,
        input_tokens: int,
        output_tokens: int,
        latency_ms: int,
        cost_usd: float | None,
    ) -> None:
        self.store.record_model_call(run_id, step, provider, model, input_tokens, output_tokens, latency_ms, cost_usd)
        self.guard.budget.add_spend(cost_usd or 0.0)

    def record_event(self, run_id: str, step: int | None, kind: str, data: Mapping[str, Any]) -> None:
        self.store.record_event(run_id, step, kind, data)


def _model_solver(store: RunStore, guard: Guard) -> AgentSolver | None:
    """Free-form steps get a model only when one is configured (DESKHAND_MODEL or the config file)."""
    spec = configured_model_spec()
    if spec is None:
        return None
    return AgentSolver(model_from_spec(spec), recorder=_SpendingRecorder(store, guard))


def open_run_session(
    choice: DesktopChoice = "auto",
    *,
    timeout: float = 10.0,
    capture: bool = True,
    approve: ApproveChoice | str = "auto",
    max_minutes: float | None = None,
    machine: str = "",
) -> RunSession:
    """``machine``: a fleet desktop's name ("host, desktop 2 (pid 812)"); its actions, and those of every run of a
    PostgreSQL store, also go to the store's audit table (runs/shared_audit.py)."""
    session = open_desktop(choice, timeout=timeout)
    try:
        redactor = Redactor()
        store = RunStore(redact=redactor)
        # `deskhand stop` files on this machine, and `deskhand fleet stop` in the store every machine shares.
        kill = KillSwitch(stop_dir(), fleet=store.fleet_stop_reason)
        local_audit = AuditLog()
        shared = bool(machine) or is_postgres(store.path)
        notices = WaitingNotices(choose_approver(approve, kill), session_notifier(store, redactor))
        intents = IntentLog(store.path)
        guard = Guard(
            approver=notices,
            redactor=redactor,
            store=SecretStore(),
            kill=kill,
            audit=FleetAudit(local_audit, store, machine) if shared else local_audit,
            events=store,
            intents=intents,
        )
        guarded = GuardedBackend(session.desktop.backend, guard)
        desktop = Desktop(guarded, timeout=session.desktop.timeout)
        launcher = PolicyLauncher(DesktopLauncher(desktop, session.starter), guarded)
        # The runner handles placeholders only; the guard swaps in values when it types.
        runner = Runner(
            desktop,
            launcher,
            store,
            timeout=timeout,
            capture=capture,
            should_stop=lambda: kill.requested,
            stop_reason=lambda: kill.reason,
            free_form=_model_solver(store, guard),
            on_finish=notices.notifier.run_ended,
        )
        run_session = RunSession(
            session, store, runner, guarded, default_minutes=max_minutes, notices=notices, intents=intents
        )
        runner.on_step = run_session.on_step
    except BaseException:
        session.close()
        raise
    return run_session
