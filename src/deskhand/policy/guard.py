"""The guard: a Backend around the real one, through which every read and every input event passes.

It sits below every source of actions (step language, lock replay, model tool calls, MCP), so none of
them can act outside the policy. Before each input event it: checks the kill switch and budgets; looks
at the target on screen (app, window, web page, form); asks :class:`~deskhand.policy.rules.Policy`; on
"ask", gets an approval bound to the form's values and re-reads them right before acting; swaps secret
placeholders for values only then; and appends the event to the audit log. Reads of apps outside the
policy are refused; web pages of sites outside it are hidden; secret values read back from the screen
become their placeholders again — in trees, app and window lists and errors alike (:mod:`.scrub`) — and
screenshots are masked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, cast

from deskhand.backends.base import (
    AppInfo,
    Backend,
    KeptVersions,
    MatchingSnapshots,
    MouseButton,
    ScrollDirection,
    TextReadBack,
    offers,
)
from deskhand.backends.selection import SelectionText, supports_selection_text
from deskhand.errors import AuditUnavailable, PolicyDenied, PolicyError
from deskhand.policy.browser_commands import browser_command_refusal, middle_click_refusal
from deskhand.policy.click_point import click_point, controls_under
from deskhand.policy.destinations import target_of
from deskhand.policy.guard_approvals import GuardApprovals
from deskhand.policy.guard_means import Guard
from deskhand.policy.guarded_tables import GuardedTables
from deskhand.policy.judged import Judged, JudgedElements
from deskhand.policy.kept_finds import KeptFinds
from deskhand.policy.key_effects import typed_pieces
from deskhand.policy.masking import mask_regions, secret_regions
from deskhand.policy.network_refusals import NetworkRefusals
from deskhand.policy.pointer_guard import PointerGuard
from deskhand.policy.rules import NO_STEP, ActionKind, Decision, StepPolicy, is_browser
from deskhand.policy.scrub import scrub_apps, scrub_errors, scrub_tree
from deskhand.policy.secrets import Redactor, SecretResolver
from deskhand.policy.submission import aimed_at, submission_of, undeclared_secret
from deskhand.policy.targets import Seen, hide_web_pages, see_focus, see_kept, see_ref
from deskhand.policy.typed_text import TypedText
from deskhand.policy.uploads import GuardedUploads
from deskhand.tree.node import Bounds, Node
from deskhand.workflows.keys import parse_chord

# Guard lives in guard_means.py (the approvals mixin needs them); importers know them from here.
__all__ = ["Guard", "GuardedBackend"]

_STOP_POLL_S = 0.1
_POINTER_KINDS = frozenset({"click", "drag"})  # the pointer goes down on a point: what lies there is pressed
_STRICTNESS = {"allow": 0, "ask": 1, "deny": 2}


class GuardedBackend(TypedText, PointerGuard, GuardedTables, GuardApprovals, GuardedUploads):
    """Implements the Backend protocol; see the module doc."""

    def __init__(self, inner: Backend, guard: Guard) -> None:
        self.inner = inner
        self.guard = guard
        self.name = f"guarded {inner.name}"
        self.step: StepPolicy = NO_STEP
        self._confirmed_step: int | None = None
        self._focused: str | None = None
        self._typed: dict[str, tuple[str, str]] = {}  # ref -> (text with placeholders, text typed)
        self._noted: set[tuple[int | None, str]] = set()
        self._finds = KeptFinds()  # elements looked up in a kept tree, while it stays the same
        self._judged = JudgedElements()  # what the policy said of acting on them, while nothing changed
        self._versions = cast(KeptVersions, inner).kept_version if offers(inner, KeptVersions) else None
        self.network_refusals = NetworkRefusals()
        self.secrets = SecretResolver(guard.store, guard.redactor, lambda name: guard.policy.allows_secret(name))

    # ---- run and step ---------------------------------------------------------------------------------
    def begin_step(self, step: StepPolicy) -> None:
        """Called before each step (the runner's on_step): events are attributed to it, budgets counted."""
        self.step = step
        self.guard.budget.count_step()
        self.guard.kill.watch_run(step.run_id)

    # ---- reads ----------------------------------------------------------------------------------------
    @property
    def redactor(self) -> Redactor:
        return self.guard.redactor

    @scrub_errors
    def applications(self) -> list[AppInfo]:
        self.guard.kill.check()
        return scrub_apps(self.inner.applications(), self.guard.redactor)

    def in_scope(self, app: AppInfo) -> bool:
        """Whether a search that names no app may look in ``app`` (AppsInScope): the apps the policy lets
        it read, judged by the name a read of it is judged by."""
        return self.guard.policy.allows_app(app.name)

    @scrub_errors
    def snapshot(self, app_ref: str) -> Node:
        self.guard.kill.check()
        self._record_network_refusals()
        return self._guard_read(app_ref, self.inner.snapshot(app_ref))

    def snapshot_matching(self, app_ref: str, needle: str, *, by_label: bool = False) -> Node:
        """The inner backend's cut-down read (see MatchingSnapshots), judged like a whole one."""
        if not offers(self.inner, MatchingSnapshots):
            return self.snapshot(app_ref)
        self.guard.kill.check()
        return self._guard_read(
            app_ref, cast(MatchingSnapshots, self.inner).snapshot_matching(app_ref, needle, by_label=by_label)
        )

    def _guard_read(self, app_ref: str, root: Node) -> Node:
        seen = Seen(root, root.app or self._app_name(app_ref, root), root)
        self._check_read(seen)
        if is_browser(seen.app):
            address = seen.target().origin
            if address is None or not self.guard.policy.allows_site(address):
                shown = address or "a page whose address cannot be read yet"
                self._note("read", seen, f"web content of {shown} hidden: not in this workflow's sites")
                root = hide_web_pages(root, f"[hidden by deskhand: {shown} is not in this workflow's sites]")
        return self._scrub(root)

    @scrub_errors
    def refresh(self, ref: str) -> Node:
        self.guard.kill.check()
        seen = see_ref(self.inner, ref)
        self._check_element_read(seen)
        assert seen.node is not None
        return self._scrub(seen.node)

    def _check_element_read(self, seen: Seen) -> None:
        self._check_read(seen)
        if seen.in_web_page and not self._site_ok(seen):
            decision = self.guard.policy.classify("read", seen.target(), self.step)
            self._refuse("read", seen, decision, PolicyDenied)

    def _app_name(self, app_ref: str, root: Node) -> str:
        named = [a.name for a in self.inner.applications() if a.ref == app_ref]
        return named[0] if named else root.name

    def invalidate(self, app_ref: str | None = None) -> None:
        self.inner.invalidate(app_ref)

    def version(self) -> int:
        return self.inner.version()

    def wait_for_change(self, timeout: float) -> bool:
        """Waits in slices, so a stop asked for during a wait is noticed within one slice."""
        remaining = max(timeout, 0.0)
        self._record_network_refusals()
        while True:
            self.guard.kill.check()
            slice_s = min(remaining, _STOP_POLL_S)
            if self.inner.wait_for_change(slice_s):
                return True
            remaining -= slice_s
            if remaining <= 0:
                return False

    @scrub_errors
    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        self.guard.kill.check()
        return mask_regions(self.inner.screenshot(bounds), self._masked_regions(), bounds)

    def close(self) -> None:
        self.inner.close()

    # ---- the text offered for an app's selection (backends.selection) ---------------------------------
    def claim_selection(self) -> None:
        self.guard.kill.check()
        if supports_selection_text(self.inner):
            cast(SelectionText, self.inner).claim_selection()

    @scrub_errors
    def selection_text(self, ref: str, timeout: float) -> str | None:
        """Read like the table's cells: the policy's read check on ``ref``, secrets redacted."""
        self.guard.kill.check()
        self._check_read(see_kept(self.inner, ref, self._finds))
        if not supports_selection_text(self.inner):
            return None
        text = cast(SelectionText, self.inner).selection_text(ref, timeout)
        return self.guard.redactor(text) if text is not None and self.guard.redactor.values else text

    # ---- input events ---------------------------------------------------------------------------------
    @scrub_errors
    def click(self, ref: str, *, button: MouseButton = "left", count: int = 1) -> None:
        self._enforce("click", ref, value=f"{button} x{count}", button=button)
        self._focused = ref
        with self._sending():
            self.inner.click(ref, button=button, count=count)

    @scrub_errors
    def focus(self, ref: str) -> None:
        self._enforce("focus", ref)
        self._focused = ref
        self.inner.focus(ref)

    @scrub_errors
    def set_text(self, ref: str, text: str) -> None:
        typed = self._judge_set_text(ref, text)[1]
        with self._sending():
            self.inner.set_text(ref, typed)

    @scrub_errors
    def set_text_and_read(self, ref: str, text: str) -> Node:
        """``set_text``, judged as such; then the element as read back, judged and scrubbed as a refresh."""
        seen, typed = self._judge_set_text(ref, text)
        with self._sending():
            if offers(self.inner, TextReadBack):
                node = cast(TextReadBack, self.inner).set_text_and_read(ref, typed)
            else:
                self.inner.set_text(ref, typed)
                node = self.inner.refresh(ref)
        self._check_element_read(seen)
        return self._scrub(node)

    def _judge_set_text(self, ref: str, text: str) -> tuple[Seen, str]:
        """Judge writing ``text`` into ``ref``; what it sees and the text to write (secrets filled in)."""
        seen = self._enforce("set_text", ref, value=text)
        self._judge_chooser_text("set_text", seen, text)
        typed = self.secrets.resolve(text)
        self._check_typed_text("set_text", seen, text, typed)
        for key, before in self._keys_in_field_text(seen, typed):
            # A control character in a field's text is the key it produces: "\n" in a one-line field is Enter.
            self._judge(
                "press", seen, lambda: see_ref(self.inner, ref), value=key.spelling, keys=key.spelling, typed=before
            )
        self._remember_typed(ref, text, typed)
        self._focused = ref
        return seen, typed

    @scrub_errors
    def type_text(self, text: str) -> None:
        """Types plain runs in chunks (a stop is obeyed between two) and control characters as the keys they
        produce, each judged as a press on what has the focus when it is sent."""
        seen = self._enforce_focus("type_text", value=text)
        self._judge_chooser_text("type_text", seen, text)
        typed = self.secrets.resolve(text)
        self._check_typed_text("type_text", seen, text, typed)
        pieces, _ = typed_pieces(typed)
        judged = self._judge_keys_ahead(seen, pieces)
        if seen.node is not None:
            self._remember_typed(seen.node.ref, text, typed)
        with self._sending():
            self._send_pieces(seen, pieces, judged)

    @scrub_errors
    def press(self, keys: str) -> None:
        chord = parse_chord(keys)
        spelled = chord.spelling if chord is not None else keys
        self._enforce_focus("press", value=spelled, keys=spelled)
        assert chord is not None  # a chord that does not parse is refused by the policy
        with self._sending():
            self.inner.press(chord.spelling)

    @scrub_errors
    def select_option(self, ref: str, option: str) -> None:
        self._enforce("select_option", ref, value=option)
        self.inner.select_option(ref, option)

    @scrub_errors
    def set_checked(self, ref: str, on: bool) -> None:
        self._enforce("set_checked", ref, value="on" if on else "off")
        self.inner.set_checked(ref, on)

    @scrub_errors
    def scroll(self, ref: str, direction: ScrollDirection, amount: int = 3) -> None:
        self._enforce("scroll", ref, value=f"{direction} {amount}")
        self.inner.scroll(ref, direction, amount)

    @scrub_errors
    def scroll_into_view(self, ref: str) -> None:
        self._enforce("scroll_into_view", ref)
        self.inner.scroll_into_view(ref)

    @scrub_errors
    def activate_window(self, ref: str) -> None:
        self._enforce("activate_window", ref)
        self.inner.activate_window(ref)

    @scrub_errors
    def check_launch(self, app: str, url: str | None = None, *, program: str = "") -> None:
        """Refuse to start an app, or open a page, outside the policy (and audit the ones allowed). An app
        is allowed by its name or by the program its desktop entry runs (``program``: `libreoffice` for
        "LibreOffice Calc")."""
        self._preflight()
        policy = self.guard.policy
        allowed_program = program and not policy.allows_app(app) and policy.allows_app(program)
        seen = Seen(None, program if allowed_program else app)
        decision = self.guard.policy.classify("open", replace(seen.target(), destination=url), self.step)
        if decision.verdict == "deny":
            self._refuse("open", seen, decision, PolicyDenied)
        if self.guard.audit is not None:
            self.guard.audit.append(self.step.run_id, self.step.n, "open", {"app": app}, url)

    def admit_started(self, opened_as: str, app: str) -> None:
        """``app`` is the process that opening ``opened_as`` (allowed: ``check_launch``) started: it counts
        as an allowed app for the rest of the workflow's runs, and the audit says so."""
        policy = self.guard.policy
        if policy.allows_app(app):
            return
        self.guard.policy = policy.admitting(app)
        if self.guard.audit is not None:
            self.guard.audit.append(self.step.run_id, self.step.n, "admit", {"app": app, "opened_as": opened_as}, None)

    # ---- enforcement ----------------------------------------------------------------------------------
    def _enforce(
        self,
        kind: ActionKind,
        ref: str,
        *,
        value: str | None = None,
        offset: tuple[int, int] | None = None,
        button: MouseButton = "left",
    ) -> Seen:
        self._preflight()
        if button == "middle":
            middle = see_kept(self.inner, ref, self._finds)
            refused = middle_click_refusal(middle)
            if refused is not None:
                self._refuse(kind, middle, refused, PolicyDenied)
        # The version is taken before the element is looked at: a change meanwhile leaves the judgement kept
        # under a version that is already old (judged.py).
        version = self._versions(ref) if self._versions is not None else None
        policy, step = self.guard.policy, self.step
        judged = self._judged.get(kind, ref, version, policy, step) if offset is None else None
        if judged is None:
            seen, decision = self._decide_at_point(kind, see_kept(self.inner, ref, self._finds), offset)
            judged = Judged(seen, decision, version, policy, step)
            if version is not None and offset is None and seen.node is not None and seen.node.ref == ref:
                self._judged.keep(kind, ref, judged)
        pressed = judged.seen.node.ref if judged.seen.node is not None else ref
        self._go_ahead(kind, judged.seen, judged.decision, lambda: see_ref(self.inner, pressed), value=value)
        return judged.seen

    def _decide_at_point(self, kind: ActionKind, seen: Seen, offset: tuple[int, int] | None) -> tuple[Seen, Decision]:
        """The policy's word on ``kind`` on ``seen``; for a press of the pointer, the strictest word on it and
        on the controls inside it under the point pressed (click_point.py), with the element it is about."""
        decision = self._decide(kind, seen)
        point = click_point(seen.node, offset) if kind in _POINTER_KINDS and seen.node is not None else None
        if point is None:
            return seen, decision
        for inside in controls_under(seen, point):
            said = self._decide(kind, inside)
            if _STRICTNESS[said.verdict] > _STRICTNESS[decision.verdict]:
                seen, decision = inside, said
        return seen, decision

    def _enforce_focus(self, kind: ActionKind, *, value: str, keys: str = "") -> Seen:
        self._preflight()
        seen = see_focus(self.inner, self._focused)
        self._judge(kind, seen, lambda: see_focus(self.inner, self._focused), value=value, keys=keys)
        return seen

    def _redact(self, text: str) -> str:
        return self.guard.redactor(text)

    def _stop_check(self) -> None:
        self.guard.kill.check()

    def _record_network_refusals(self) -> None:
        for url in self.network_refusals.take():
            reason = self.guard.redactor(f"request to {url} refused by the browser: not in this workflow's sites")
            self._record("blocked", {"action": "request", "target": {"url": url}, "reason": reason})
            if self.guard.audit is not None:
                self.guard.audit.append(self.step.run_id, self.step.n, "refused request", {"url": url}, None)

    def _preflight(self) -> None:
        self._record_network_refusals()
        self.guard.kill.check()
        self.guard.budget.check()

    def _judge(
        self,
        kind: ActionKind,
        seen: Seen,
        look_again: Callable[[], Seen],
        *,
        value: str | None,
        keys: str = "",
        typed: str | None = None,
    ) -> None:
        self._go_ahead(kind, seen, self._decide(kind, seen, keys, typed), look_again, value=value, keys=keys)

    def _decide(self, kind: ActionKind, seen: Seen, keys: str = "", typed: str | None = None) -> Decision:
        """What the policy says of ``kind`` on what ``seen`` shows, before what the action brings is looked at."""
        refused = browser_command_refusal(kind, seen, keys)
        if refused is not None:
            return refused
        # A form submission is judged by where it sends and how (hidden fields and all), before it goes.
        target = aimed_at(target_of(kind, seen, keys, typed), submission_of(self.inner, kind, seen, keys))
        return self.guard.policy.classify(kind, target, self.step, keys=keys)

    def _go_ahead(
        self,
        kind: ActionKind,
        seen: Seen,
        decision: Decision,
        look_again: Callable[[], Seen],
        *,
        value: str | None,
        keys: str = "",
    ) -> None:
        """Judge what the action brings (a secret in its text), ask or refuse as decided, and log it: the last
        look before the event goes."""
        decision = undeclared_secret(value or "", self.guard.policy) or decision
        if decision.verdict == "deny":
            self._refuse(kind, seen, decision, PolicyDenied)
        if decision.verdict == "ask" and not self._covered_by_confirmation(decision):
            self._approve(kind, seen, decision, look_again, keys)
        self.guard.kill.check(fresh=True)  # the last look before the event goes: the fleet's stop too
        if self.guard.audit is not None:
            shown = None if value is None else self.guard.redactor(value)
            self.guard.audit.append(self.step.run_id, self.step.n, kind, self._fingerprint(seen), shown)
        if decision.meaning:
            self._intend(self.guard.intents, self.step, kind, self._fingerprint(seen), decision.meaning)

    def _refuse(self, kind: str, seen: Seen, decision: Decision, error: type[PolicyError]) -> None:
        reason = self.guard.redactor(decision.reason)
        target = self._fingerprint(seen)
        blocked: dict[str, Any] = {"action": kind, "target": target, "reason": reason}
        if self.guard.audit is not None:
            try:
                self.guard.audit.append(self.step.run_id, self.step.n, f"refused {kind}", target, reason)
            except AuditUnavailable as unaudited:
                blocked["audit"] = unaudited.message  # the refusal stands; the run record says it went unlogged
        self._record("blocked", blocked)
        raise error(reason[:1].upper() + reason[1:] + ".", hint=decision.hint)

    def _check_read(self, seen: Seen) -> None:
        if not self.guard.policy.allows_app(seen.app):
            decision = self.guard.policy.classify("read", seen.target(), self.step)
            self._refuse("read", seen, decision, PolicyDenied)

    def _site_ok(self, seen: Seen) -> bool:
        origin = seen.target().origin
        return origin is not None and self.guard.policy.allows_site(origin)

    def _note(self, kind: str, seen: Seen, reason: str) -> None:
        """Record a refused read once per step (waits read many times)."""
        key = (self.step.n, reason)
        if key not in self._noted:
            self._noted.add(key)
            self._record("blocked", {"action": kind, "target": {"app": seen.app}, "reason": reason})

    def _record(self, kind: str, data: Mapping[str, Any]) -> None:
        if self.guard.events is not None and self.step.run_id:
            self.guard.events.record_event(self.step.run_id, self.step.n, kind, data)

    def _fingerprint(self, seen: Seen) -> dict[str, str]:
        target = seen.target()
        fields = {"app": target.app, "role": target.role, "name": target.name, "window": target.window}
        if target.origin:
            # The page shown; "in" says whether the target is on it or on the browser's own controls.
            fields["origin"] = target.origin
            fields["in"] = "page" if target.in_web_page else "browser"
        return {k: self.guard.redactor(v) for k, v in fields.items()}

    # ---- secrets on screen ----------------------------------------------------------------------------
    def _remember_typed(self, ref: str, text: str, typed: str) -> None:
        if typed != text:
            self._typed[ref] = (text, typed)

    def _scrub(self, root: Node) -> Node:
        """Secret values read back from the screen become their placeholders again."""
        return scrub_tree(root, self._typed, self.guard.redactor)

    def _masked_regions(self) -> list[Bounds]:
        return secret_regions(self.inner, list(self._typed), self.guard.policy.allows_app)
