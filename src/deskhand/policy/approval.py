"""Asking a person before an irreversible action: the request, the hash it is bound to, the approvers.

A request shows the step, the target, the values of the form being submitted (every text field, combo,
check box and radio of the target's window, as a person would read them: secrets as their placeholder,
passwords as bullets) and a screenshot. When the action submits a web form it also shows what the browser
would send — the method, the destination (the form's action, resolved) and every name=value pair of the
form data, hidden fields included (:func:`sent_fields`). Its ``digest`` is the SHA-256 of all of that; the
guard reads it all again right before acting, and a different digest voids the approval.

Approvers: :class:`TerminalApprover` (asks on the terminal), :class:`DenyApprover` (the default with no
one to ask), :class:`CallbackApprover` (tests, embedding) and the queue in
:mod:`deskhand.policy.approval_queue` (answered from the web page or the MCP server).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from deskhand.backends.forms import FormSubmission
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State

_UNSHOWN = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})  # controls, formats, separators, unassigned

FIELD_ROLES = frozenset(
    {Role.TEXTBOX, Role.SEARCHBOX, Role.COMBOBOX, Role.SPINBUTTON, Role.CHECKBOX, Role.RADIO, Role.SWITCH}
)


@dataclass(frozen=True, slots=True)
class FieldValue:
    label: str
    role: str
    value: str


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    run_id: str
    step: int | None
    sentence: str
    action: str
    target: str
    reason: str
    fields: tuple[FieldValue, ...]
    digest: str
    screenshot_png: bytes | None = field(default=None, repr=False)
    # What a web form submission sends: method, destination URL, and every field (hidden ones too).
    method: str = ""
    destination: str = ""
    sent: tuple[FieldValue, ...] = ()

    def text(self) -> str:
        """What a person reads before answering (what the screen gave with its invisible characters spelled out:
        see :func:`plainly`)."""
        p = plainly
        lines = [
            f"deskhand wants to {self.action} {p(self.target)}",
            f"  run {self.run_id}, step {self.step}: {p(self.sentence)}",
            f"  why it asks: {p(self.reason)}",
        ]
        if self.fields:
            lines.append("  the form holds:")
            lines.extend(f"    {p(f.label or f.role)}: {p(f.value)}" for f in self.fields)
        if self.destination:
            lines.append(f"  it sends ({p(self.method.upper())} to {p(self.destination)}):")
            lines.extend(f"    {p(f.label)}={p(f.value)}" for f in self.sent)
        lines.append(f"  approval bound to {self.digest[:16]}…")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        """The request as the approval queue, the run record and the surfaces show it (texts as :func:`plainly`
        spells them; the digest binds the values themselves)."""
        p = plainly
        return {
            "run_id": self.run_id,
            "step": self.step,
            "sentence": p(self.sentence),
            "action": self.action,
            "target": p(self.target),
            "reason": p(self.reason),
            "fields": [{"label": p(f.label), "role": f.role, "value": p(f.value)} for f in self.fields],
            "method": p(self.method),
            "destination": p(self.destination),
            "sent": [{"name": p(f.label), "value": p(f.value)} for f in self.sent],
            "digest": self.digest,
        }


def plainly(text: str) -> str:
    """``text`` with every character that is not shown as itself spelled out (``\\n``, ``\\u202e``): a page's
    value must not draw lines of its own into the question (a hidden field holding "\\n  it sends (POST to
    …)"), reverse what follows it (a right-to-left override), or hide in a zero-width character."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch == " " or unicodedata.category(ch) not in _UNSHOWN else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def field_value(node: Node) -> str:
    if node.role in (Role.CHECKBOX, Role.RADIO, Role.SWITCH):
        return "on" if (State.CHECKED in node.states or State.PRESSED in node.states) else "off"
    if State.PASSWORD in node.states:
        return "•" * len(node.value or "")
    if node.role == Role.COMBOBOX and not node.value:
        return node.name
    return node.value or ""


def form_fields(window: Node, shown: Callable[[str], str]) -> tuple[FieldValue, ...]:
    """The fields of ``window`` with their values as a person would read them (``shown`` hides secrets)."""
    fields = []
    for node in window.walk():
        if node.role in FIELD_ROLES:
            label = node.name or node.placeholder
            fields.append(FieldValue(shown(label), str(node.role), shown(field_value(node))))
    return tuple(fields)


def sent_fields(submission: FormSubmission, shown: Callable[[str], str]) -> tuple[FieldValue, ...]:
    """The pairs a submission sends, as shown to a person (passwords as bullets, secrets as placeholders).

    The role holds what the digest binds: the shown value, or for a password a keyed hash of the value
    itself (so a changed password voids the approval, and the digest reveals nothing of it)."""
    out = []
    for sent in submission.fields:
        if sent.secret:
            sealed = hmac.new(_seal_key(), sent.value.encode("utf-8"), hashlib.sha256).hexdigest()
            out.append(FieldValue(shown(sent.name), f"password {sealed}", "•" * len(sent.value)))
        else:
            out.append(FieldValue(shown(sent.name), "field", shown(sent.value)))
    return tuple(out)


@functools.cache
def _seal_key() -> bytes:
    """A key of this process only: password values are bound to an approval without being stored."""
    return secrets.token_bytes(32)


def approval_digest(
    action: str,
    target: str,
    fields: tuple[FieldValue, ...],
    *,
    method: str = "",
    destination: str = "",
    sent: tuple[FieldValue, ...] = (),
) -> str:
    body: dict[str, object] = {
        "action": action,
        "target": target,
        "fields": [[f.label, f.role, f.value] for f in fields],
    }
    if destination:
        body |= {"method": method, "destination": destination, "sent": [[f.label, f.role, f.value] for f in sent]}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Approver(Protocol):
    """Answers one request: True to go ahead. Must not raise for "no"."""

    def decide(self, request: ApprovalRequest) -> bool: ...


class DenyApprover:
    """No one to ask (a run without a terminal): every irreversible action is refused."""

    def decide(self, request: ApprovalRequest) -> bool:
        return False


@dataclass
class CallbackApprover:
    """Answers with a function; tests use it to approve, refuse, or change the screen in between."""

    answer: Callable[[ApprovalRequest], bool]
    asked: list[ApprovalRequest] = field(default_factory=list)

    def decide(self, request: ApprovalRequest) -> bool:
        self.asked.append(request)
        return self.answer(request)


@dataclass
class TerminalApprover:
    """Prints the request and asks ``Approve? [y/N]``; anything but yes is no."""

    read_line: Callable[[], str] = field(default=lambda: sys.stdin.readline())
    out: TextIO = field(default_factory=lambda: sys.stderr)

    def decide(self, request: ApprovalRequest) -> bool:
        self.out.write(request.text() + "\nApprove? [y/N] ")
        self.out.flush()
        try:
            answer = self.read_line()
        except (EOFError, OSError):
            return False
        return answer.strip().casefold() in ("y", "yes")
