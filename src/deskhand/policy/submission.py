"""What an action would send, judged before the guard lets it through: a web form's submission, and the
secrets in typed text.

The page is asked (:mod:`deskhand.backends.forms`) what pressing the element would submit; the form's
destination is then judged against ``sites`` like any navigation, a POST is irreversible whatever its
button says, and the approval shows and binds every field, the method and the destination.
"""

from __future__ import annotations

from dataclasses import replace

from deskhand.backends.base import Backend
from deskhand.backends.forms import FormAccess, FormSubmission, How, supports_forms
from deskhand.errors import NodeGone
from deskhand.policy.approval import ApprovalRequest
from deskhand.policy.key_effects import chord_effect
from deskhand.policy.rules import ActionKind, Decision, Policy, Target
from deskhand.policy.targets import Seen
from deskhand.workflows.keys import parse_chord
from deskhand.workflows.secret_text import secret_names


def submission_of(backend: Backend, kind: ActionKind, seen: Seen, keys: str) -> FormSubmission | None:
    """The form ``kind`` on the element in ``seen`` would submit, or None (no form, not a web page, or a
    backend that cannot tell)."""
    if seen.node is None or not seen.in_web_page or not supports_forms(backend):
        return None
    chord = parse_chord(keys) if kind == "press" else None
    effect = chord_effect(chord) if chord is not None else "none"
    # Any spelling of Enter (KP_Enter, Return, with modifiers) submits like Enter; Space presses a button.
    how: How | None = (
        "click" if kind == "click" or effect == "activate" else "enter" if effect in ("enter", "send") else None
    )
    if how is None:
        return None
    try:
        forms: FormAccess = backend  # type: ignore[assignment]  # checked by supports_forms
        return forms.form_submission(seen.node.ref, how)
    except NodeGone:
        return None


def aimed_at(target: Target, submission: FormSubmission | None) -> Target:
    """``target`` with the submission's destination (judged against ``sites``) and method."""
    if submission is None:
        return target
    destination = submission.action if submission.method != "dialog" else target.destination
    return replace(target, destination=destination, form_method=submission.method)


def what_changed(before: ApprovalRequest, after: ApprovalRequest) -> list[str]:
    """How the request read again differs from the approved one, for the refusal's reason."""
    changed = [
        f"{now.label}: {was.value!r} → {now.value!r}"
        for was, now in zip(before.fields, after.fields, strict=False)
        if was != now
    ]
    if (before.method, before.destination) != (after.method, after.destination):
        changed.append(f"sent to: {before.method} {before.destination} → {after.method} {after.destination}")
    sent_before = {(f.label, f.role, f.value) for f in before.sent}
    sent_after = {(f.label, f.role, f.value) for f in after.sent}
    changed += [f"sent {label}={value!r} (new)" for label, _, value in sorted(sent_after - sent_before)]
    changed += [f"sent {label}={value!r} (gone)" for label, _, value in sorted(sent_before - sent_after)]
    return changed


def undeclared_secret(text: str, policy: Policy) -> Decision | None:
    """A refusal when ``text`` would type a secret the policy does not declare (checked before anything is
    logged or sent, so the refusal is recorded like any other)."""
    names = [name for name in secret_names(text) if not policy.allows_secret(name)]
    if not names:
        return None
    return Decision(
        "deny",
        f"the secret {names[0]!r} is not declared by this workflow, so it cannot be typed",
        hint=f"Add {names[0]} under secrets: in the front matter if the workflow needs it.",
    )
