"""Approvals, as the guard asks for them: a request bound to what the person saw, checked again before acting.

An "ask" decision becomes an :class:`~deskhand.policy.approval.ApprovalRequest` (the form's fields, where a
submission sends and what, a screenshot); the answer is bound to the request's digest, which is computed again
from a fresh read right before the action: a form that changed after its approval voids it. A step listed under
``confirm`` needs one go-ahead for its actions, except for an irreversible one of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from deskhand.backends.base import Backend
from deskhand.errors import ApprovalRejected, PolicyError
from deskhand.policy.approval import ApprovalRequest, approval_digest, form_fields, sent_fields
from deskhand.policy.guard_means import Guard
from deskhand.policy.rules import ActionKind, Decision, StepPolicy
from deskhand.policy.submission import submission_of, what_changed
from deskhand.policy.targets import Seen, see_focus, see_ref


class GuardApprovals:
    """The approval half of :class:`~deskhand.policy.guard.GuardedBackend`."""

    inner: Backend
    guard: Guard
    step: StepPolicy
    _focused: str | None
    _confirmed_step: int | None
    _record: Callable[[str, Mapping[str, Any]], None]
    _refuse: Callable[..., None]
    screenshot: Callable[..., bytes]
    _decide: Callable[..., Decision]
    _decide_at_point: Callable[..., tuple[Seen, Decision]]

    def approval_preview(self, kind: ActionKind, ref: str | None = None, *, keys: str = "") -> ApprovalRequest | None:
        """The request the guard would put to its approver if ``kind`` ran on ``ref`` (or the focus) now,
        without a screenshot; None when it would not ask (allowed outright, or refused).

        For surfaces that must ask before the call acts (MCP elicitation): the answer is bound to the
        request's digest, which the guard computes again when the action comes."""
        # Judged as the action will be (what lies under the pointer, browser commands, the form it submits).
        if ref is not None:
            seen, decision = self._decide_at_point(kind, see_ref(self.inner, ref), None)
        else:
            seen = see_focus(self.inner, self._focused)
            decision = self._decide(kind, seen, keys)
        if decision.verdict != "ask" or self._covered_by_confirmation(decision):
            return None
        return self._request(kind, seen, decision, keys=keys, with_screenshot=False)

    def _covered_by_confirmation(self, decision: Decision) -> bool:
        # A confirmed step needs no second go-ahead, except for an irreversible action of its own.
        return not decision.meaning and self._confirmed_step == self.step.n and self.step.n is not None

    def _approve(
        self, kind: ActionKind, seen: Seen, decision: Decision, look_again: Callable[[], Seen], keys: str
    ) -> None:
        request = self._request(kind, seen, decision, keys=keys)
        approved = self.guard.approver.decide(request)
        self._record("approval", {"approved": approved, "digest": request.digest, **request.to_json()})
        if not approved:
            self._refuse(
                kind,
                seen,
                replace(decision, reason=f"not approved: {decision.reason}"),
                ApprovalRejected,
            )
        self.guard.kill.check()
        # Bound to what the person saw: read it again right before acting.
        now = self._request(kind, look_again(), decision, keys=keys, with_screenshot=False)
        if now.digest != request.digest:
            changed = what_changed(request, now)
            self._refuse(
                kind,
                seen,
                replace(
                    decision,
                    reason="the approval is void: the form changed after it was approved"
                    + (f" ({'; '.join(changed)})" if changed else ""),
                    hint="Run the step again and approve the values it shows then.",
                ),
                ApprovalRejected,
            )
        if not decision.meaning:
            self._confirmed_step = self.step.n

    def _request(
        self, kind: ActionKind, seen: Seen, decision: Decision, *, keys: str = "", with_screenshot: bool = True
    ) -> ApprovalRequest:
        form = seen.form_root()
        fields = form_fields(form, self.guard.redactor) if form is not None else ()
        submission = submission_of(self.inner, kind, seen, keys)
        sent = sent_fields(submission, self.guard.redactor) if submission is not None else ()
        method, destination = (submission.method, submission.action) if submission is not None else ("", "")
        target = seen.target().describe()
        shot = None
        if with_screenshot:
            try:
                shot = self.screenshot()
            except PolicyError:
                raise
            except Exception:  # a missing screenshot must not block the question itself
                shot = None
        return ApprovalRequest(
            run_id=self.step.run_id,
            step=self.step.n,
            sentence=self.guard.redactor(self.step.sentence),
            action=kind,
            target=self.guard.redactor(target),
            reason=self.guard.redactor(decision.reason),
            fields=fields,
            digest=approval_digest(kind, target, fields, method=method, destination=destination, sent=sent),
            screenshot_png=shot,
            method=method,
            destination=self.guard.redactor(destination),
            sent=sent,
        )
