"""Approvals in an MCP session: MCP elicitation first, then the approval queue, else refused.

Elicitation has to happen before the tool call acts (on 2026-07-28 connections the client answers by
retrying the call), so the tool asks up front with the request the guard would make
(:meth:`GuardedBackend.approval_preview`) and the answer is kept under that request's digest. When the guard
then asks :meth:`ElicitationApprover.decide`, an answer for the same digest (the same action on the same form
values) is spent; any other request goes to the fallback approver (the queue the web page and `deskhand`
answer), and with none it is refused.
"""

from __future__ import annotations

import threading

from deskhand.policy.approval import ApprovalRequest, Approver


def question(request: ApprovalRequest) -> str:
    """What the person reads in the client's elicitation prompt (the answer is bound to ``request.digest``)."""
    lines = [f"deskhand wants to {request.action} {request.target}.", f"Why it asks: {request.reason}."]
    if request.fields:
        lines.append("The form holds:")
        lines.extend(f"  {f.label or f.role}: {f.value}" for f in request.fields)
    if request.destination:
        lines.append(f"It sends ({request.method.upper()} to {request.destination}):")
        lines.extend(f"  {f.label}={f.value}" for f in request.sent)
    lines.append("This cannot be undone. Allow it?")
    return "\n".join(lines)


class ElicitationApprover:
    """An :class:`~deskhand.policy.approval.Approver` fed by elicitation answers, with a fallback."""

    def __init__(self, fallback: Approver | None = None) -> None:
        self.fallback = fallback
        self._answers: dict[str, bool] = {}
        self._asked: dict[tuple[str, str], str] = {}  # (action, ref or keys) → the digest the person saw
        self._lock = threading.Lock()

    def expect(self, call: tuple[str, str], digest: str) -> None:
        """A question about ``call`` went out, showing the request with ``digest``."""
        with self._lock:
            self._asked[call] = digest

    def settle(self, call: tuple[str, str], approved: bool) -> None:
        """The answer to the question about ``call`` came; nothing happens if none was asked."""
        with self._lock:
            digest = self._asked.pop(call, None)
            if digest is not None:
                self._answers[digest] = approved

    def answer(self, digest: str, approved: bool) -> None:
        """A person answered (through elicitation) the request with this digest."""
        with self._lock:
            self._answers[digest] = approved

    def forget(self) -> None:
        """Unspent answers end with the call that asked for them."""
        with self._lock:
            self._answers.clear()
            self._asked.clear()

    def decide(self, request: ApprovalRequest) -> bool:
        with self._lock:
            answered = self._answers.pop(request.digest, None)
        if answered is not None:
            return answered
        return self.fallback.decide(request) if self.fallback is not None else False
