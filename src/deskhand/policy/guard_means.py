"""What the guard enforces with: the policy, the approver, secrets, the kill switch and budgets, and where it
logs; the session makes one per run and may swap the policy per workflow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from deskhand.policy.approval import Approver, DenyApprover
from deskhand.policy.intent_hook import IntentSink
from deskhand.policy.killswitch import Budget, KillSwitch
from deskhand.policy.rules import Policy
from deskhand.policy.secrets import Redactor, SecretStore


class AuditSink(Protocol):
    """Where input events are logged (deskhand.runs.audit.AuditLog fits)."""

    def append(
        self, run_id: str, step: int | None, action: str, target: Mapping[str, Any], value_redacted: str | None
    ) -> object: ...


class EventSink(Protocol):
    """Where refusals and approvals are recorded in the run (deskhand.runs.store.RunStore fits)."""

    def record_event(self, run_id: str, step: int | None, kind: str, data: Mapping[str, Any]) -> None: ...


@dataclass
class Guard:
    """What the guard enforces with; the session makes one per run and may swap the policy per workflow."""

    policy: Policy = field(default_factory=Policy)
    approver: Approver = field(default_factory=DenyApprover)
    redactor: Redactor = field(default_factory=Redactor)
    store: SecretStore = field(default_factory=SecretStore)
    kill: KillSwitch = field(default_factory=KillSwitch)
    budget: Budget = field(default_factory=Budget)
    audit: AuditSink | None = None
    events: EventSink | None = None
    intents: IntentSink | None = None
