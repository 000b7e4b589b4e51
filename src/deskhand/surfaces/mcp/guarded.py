"""A Backend that enforces the session policy on every input event and writes each one to the audit log.

Perception passes straight through; anything that acts (click, type, press, select, check, scroll…) is
checked first: the element's app must be allowed, an irreversible click needs an approval, and the event
is appended to the audit log with its value redacted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from deskhand.backends.base import AppInfo, Backend, MouseButton, ScrollDirection
from deskhand.runs.audit import AuditLog
from deskhand.surfaces.mcp.approval import ApprovalRequest, SessionApprover
from deskhand.surfaces.mcp.policy import SessionPolicy, is_irreversible_label
from deskhand.tree.match import describe
from deskhand.tree.node import Bounds, Node


@dataclass
class AuditContext:
    """Which run and step the next input event belongs to (the session or a workflow run moves it on)."""

    run_id: str = ""
    step: int | None = None
    preapproved: bool = False


def app_key(ref: str) -> str:
    """The part of a backend ref that names its application (AT-SPI refs are ``bus|path``)."""
    return ref.split("|", 1)[0]


class GuardedBackend:
    """Wraps a Backend; the name of every method is the Backend protocol's."""

    def __init__(
        self,
        inner: Backend,
        policy: SessionPolicy,
        approver: SessionApprover,
        audit: AuditLog,
        context: AuditContext,
        redact: Callable[[str], str],
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.policy = policy
        self.approver = approver
        self.audit = audit
        self.context = context
        self.redact = redact
        # Element ref → its app's ref, learnt from snapshots: browser page refs (cdp:…) do not name their app.
        self._owners: dict[str, str] = {}

    # ---- perception: straight through ------------------------------------------------------------------
    def applications(self) -> list[AppInfo]:
        return self.inner.applications()

    def snapshot(self, app_ref: str) -> Node:
        root = self.inner.snapshot(app_ref)
        self._owners.update((node.ref, app_ref) for node in root.walk())
        return root

    def refresh(self, ref: str) -> Node:
        return self.inner.refresh(ref)

    def version(self) -> int:
        return self.inner.version()

    def invalidate(self, app_ref: str | None = None) -> None:
        self.inner.invalidate(app_ref)

    def wait_for_change(self, timeout: float) -> bool:
        return self.inner.wait_for_change(timeout)

    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        return self.inner.screenshot(bounds)

    def close(self) -> None:
        self.inner.close()

    # ---- checks ----------------------------------------------------------------------------------------
    def app_of(self, ref: str) -> AppInfo | None:
        key = app_key(self._owners.get(ref, ref))
        return next((a for a in self.inner.applications() if app_key(a.ref) == key), None)

    def focused_app(self) -> AppInfo | None:
        """The app whose window is active (where typed keys go), if the desktop says."""
        return next((a for a in self.inner.applications() if any(w.active for w in a.windows)), None)

    def _check_app(self, app: AppInfo | None, doing: str) -> None:
        if app is None:
            self.policy.require_app("an unknown application", doing=doing)
            return
        self.policy.require_app(app.name, *(w.title for w in app.windows), doing=doing)

    def _check_element(self, ref: str, doing: str) -> Node:
        self._check_app(self.app_of(ref), doing)
        return self.inner.refresh(ref)

    def _check_irreversible(self, node: Node, action: str) -> None:
        label = node.name or node.description
        if self.context.preapproved or not is_irreversible_label(label):
            return
        request = ApprovalRequest(self.context.run_id, action, self.redact(describe(node)), node.ref)
        self._audit("approval-asked", node, None)
        self.approver.require(request)
        self._audit("approval-granted", node, None)

    def _audit(self, action: str, node: Node | None, value: str | None, **extra: Any) -> None:
        target: dict[str, Any] = dict(extra)
        if node is not None:
            target.update(ref=node.ref, role=node.role, name=self.redact(node.name))
        self.audit.append(
            self.context.run_id,
            self.context.step,
            action,
            target,
            None if value is None else self.redact(value),
        )

    # ---- input: checked and audited --------------------------------------------------------------------
    def click(self, ref: str, *, button: MouseButton = "left", count: int = 1) -> None:
        node = self._check_element(ref, "click")
        self._check_irreversible(node, "click")
        self._audit("click", node, None, button=button, count=count)
        self.inner.click(ref, button=button, count=count)

    def focus(self, ref: str) -> None:
        node = self._check_element(ref, "focus")
        self._audit("focus", node, None)
        self.inner.focus(ref)

    def set_text(self, ref: str, text: str) -> None:
        node = self._check_element(ref, "type")
        self._audit("set_text", node, text)
        self.inner.set_text(ref, text)

    def type_text(self, text: str) -> None:
        self._check_app(self.focused_app(), "type")
        self._audit("type", None, text)
        self.inner.type_text(text)

    def press(self, keys: str) -> None:
        self._check_app(self.focused_app(), f"press {keys}")
        self._audit("press", None, keys)
        self.inner.press(keys)

    def select_option(self, ref: str, option: str) -> None:
        node = self._check_element(ref, "select")
        self._audit("select", node, option)
        self.inner.select_option(ref, option)

    def set_checked(self, ref: str, on: bool) -> None:
        node = self._check_element(ref, "check")
        self._audit("check" if on else "uncheck", node, None)
        self.inner.set_checked(ref, on)

    def scroll(self, ref: str, direction: ScrollDirection, amount: int = 3) -> None:
        node = self._check_element(ref, "scroll")
        self._audit("scroll", node, None, direction=direction, amount=amount)
        self.inner.scroll(ref, direction, amount)

    def scroll_into_view(self, ref: str) -> None:
        node = self._check_element(ref, "scroll")
        self._audit("scroll_into_view", node, None)
        self.inner.scroll_into_view(ref)

    def activate_window(self, ref: str) -> None:
        self._check_app(self.app_of(ref), "raise a window")
        self._audit("activate_window", None, None, ref=ref)
        self.inner.activate_window(ref)
