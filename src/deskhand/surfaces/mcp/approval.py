"""Approvals of irreversible actions in an MCP session: asked through MCP elicitation before the tool acts,
else through a fallback approver (the approval queue), else refused.

Elicitation has to happen before the call acts (on 2026-07-28 connections the client answers by retrying
the call), so a tool asks its question up front and the answer becomes a one-shot grant for that element;
the guard spends the grant when the action reaches the backend.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol

from deskhand.errors import ApprovalRejected


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """One irreversible action waiting for a yes: what it does, on what, in which run."""

    run_id: str
    action: str
    target: str
    backend_ref: str

    def question(self) -> str:
        return f"deskhand wants to {self.action} {self.target}. This cannot be undone. Allow it?"


class Approver(Protocol):
    """Answers an approval request (blocks until a person answers); True means go ahead."""

    def approve(self, request: ApprovalRequest) -> bool: ...


class SessionApprover:
    """Grants from elicitation first, then the fallback approver, else a refusal that says how to approve."""

    def __init__(self, fallback: Approver | None = None) -> None:
        self._fallback = fallback
        self._grants: set[str] = set()
        self._lock = threading.Lock()

    def grant(self, backend_ref: str) -> None:
        """A person said yes (through elicitation) to acting on this element once."""
        with self._lock:
            self._grants.add(backend_ref)

    def revoke_all(self) -> None:
        """Unused grants end with the call that asked for them."""
        with self._lock:
            self._grants.clear()

    def approve(self, request: ApprovalRequest) -> bool:
        with self._lock:
            if request.backend_ref in self._grants:
                self._grants.discard(request.backend_ref)
                return True
        if self._fallback is not None:
            return self._fallback.approve(request)
        return False

    def require(self, request: ApprovalRequest) -> None:
        if not self.approve(request):
            raise ApprovalRejected(
                f"Refused to {request.action} {request.target}: it cannot be undone and was not approved.",
                hint="Approve it when your MCP client asks (it needs elicitation support), or put the step "
                "in a workflow under `preapproved:` and call run_workflow.",
            )
