"""One MCP session on one desktop: the compact view with refs, acting by ref, and what changed on screen.

The core is synchronous (one pointer, one focus), so every call holds the session lock. The session is one
run in the run history (kind ``mcp``): each acting call is a step with its snapshot and screenshot.
Everything returned passes through the secret book, so a secret's value never leaves the session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from deskhand.backends.base import AppInfo, ScrollDirection
from deskhand.errors import ActionFailed, DeskhandError, LocatorTimeout, NoMatch, PolicyError
from deskhand.locate.desktop import Desktop
from deskhand.runner.run import Launcher
from deskhand.runs.store import RunStore
from deskhand.surfaces.mcp.approval import SessionApprover
from deskhand.surfaces.mcp.guarded import AuditContext, GuardedBackend, app_key
from deskhand.surfaces.mcp.policy import SessionPolicy, is_irreversible_label
from deskhand.surfaces.mcp.secrets import SecretBook
from deskhand.tree.diff import diff_snapshots
from deskhand.tree.match import describe
from deskhand.tree.node import Node
from deskhand.tree.roles import State
from deskhand.tree.snapshot import RefTable, render

MAX_DIFF_LINES = 60
FIRST_CHANGE_S = 0.3
QUIET_S = 0.05
SETTLE_LIMIT_S = 1.0


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class Scope:
    """What the client looks at: one app (optionally one of its windows)."""

    app: str
    window: str | None = None


class McpSession:
    """Perception and acting for MCP tools; every public method returns text (or PNG bytes) for the client."""

    def __init__(
        self,
        desktop: Desktop,
        guard: GuardedBackend,
        store: RunStore,
        policy: SessionPolicy,
        approver: SessionApprover,
        secrets: SecretBook,
        launcher: Launcher,
        *,
        capture: bool = True,
    ) -> None:
        self.desktop = desktop
        self.launcher = launcher
        self.guard = guard
        self.store = store
        self.policy = policy
        self.approver = approver
        self.secrets = secrets
        self.capture = capture
        self.context: AuditContext = guard.context
        self.refs = RefTable()
        self.lock = threading.RLock()
        self.run_id = store.start_run("", "mcp session", {"policy": policy.describe()}, kind="mcp")
        self.context.run_id = self.run_id
        self._steps = 0
        self._scopes: list[Scope] = []
        self._view = ""

    # ---- lifecycle --------------------------------------------------------------------------------------
    def close(self, status: str = "succeeded") -> None:
        with self.lock:
            self.store.finish_run(self.run_id, status)

    @contextmanager
    def step(self, sentence: str) -> Iterator[None]:
        """Record one acting call as a step of the session's run (blocked, failed or succeeded)."""
        self._steps += 1
        n = self._steps
        self.context.run_id, self.context.step, self.context.preapproved = self.run_id, n, False
        self.store.start_step(self.run_id, n, self.secrets.redact(sentence))
        started = time.perf_counter()
        status, reason = "succeeded", None
        try:
            yield
        except PolicyError as refused:
            status, reason = "blocked", refused.message
            raise
        except DeskhandError as failure:
            status, reason = "failed", failure.message
            raise
        finally:
            self.approver.revoke_all()
            shot = self._screenshot_or_none()
            self.store.finish_step(
                self.run_id,
                n,
                status,
                round((time.perf_counter() - started) * 1000),
                reason=reason,
                snapshot_text=self._view,
                screenshot_png=shot,
            )

    def _screenshot_or_none(self) -> bytes | None:
        if not self.capture:
            return None
        try:
            return self.desktop.backend.screenshot()
        except DeskhandError:
            return None

    # ---- looking ----------------------------------------------------------------------------------------
    def list_apps(self) -> list[dict[str, Any]]:
        with self.lock:
            return [
                {
                    "name": app.name,
                    "allowed": self.policy.allows_app(app.name, *(w.title for w in app.windows)),
                    "windows": [w.title for w in app.windows],
                }
                for app in self.desktop.apps()
            ]

    def snapshot(self, app: str | None = None, window: str | None = None) -> str:
        """The compact outline (with refs) of one app, or of every allowed app that is running."""
        with self.lock:
            if app is not None:
                scopes = [Scope(app, window)]
            else:
                allowed = [a for a in self.desktop.apps() if self._allowed(a)]
                scopes = [Scope(a.name, window) for a in allowed]
                if not scopes:
                    return self.secrets.redact(
                        f"No allowed app is running (this session allows {self.policy.describe()}). "
                        "Start one with open_app."
                    )
            self._view = self._render(scopes, strict=True)
            self._scopes = scopes
            return self.secrets.redact(self._view)

    def _allowed(self, app: AppInfo) -> bool:
        return self.policy.allows_app(app.name, *(w.title for w in app.windows))

    def _render(self, scopes: list[Scope], *, strict: bool) -> str:
        parts: list[str] = []
        for scope in scopes:
            found = self.desktop.find_app(scope.app)
            if found is None:
                if strict:
                    self.desktop.snapshot(scope.app)  # raises AppNotFound with the running apps
                parts.append(f"(app {scope.app!r} is gone)")
                continue
            self.policy.require_app(found.name, *(w.title for w in found.windows), doing=f"look at {scope.app!r}")
            root = self.desktop.backend.snapshot(found.ref)
            parts.append(self._render_window(root, scope, strict=strict))
        return "\n".join(parts)

    def _render_window(self, root: Node, scope: Scope, *, strict: bool) -> str:
        if scope.window is None:
            return render(root, self.refs)
        wanted = _norm(scope.window)
        windows = [w for w in root.children if _norm(w.name) == wanted] or [
            w for w in root.children if wanted in _norm(w.name)
        ]
        if not windows:
            if strict:
                raise NoMatch(
                    f"{scope.app!r} has no window titled {scope.window!r}.",
                    candidates=[w.name for w in root.children if w.name],
                )
            return f"(window {scope.window!r} of {scope.app!r} is gone)"
        return "\n".join(render(w, self.refs) for w in windows)

    def read(self, ref: str) -> str:
        with self.lock:
            node = self._element(ref, doing="read")
            text = node.value if node.value is not None else node.name
            if State.PASSWORD in node.states:
                text = "••••"
            return self.secrets.redact(text)

    def screenshot(self, window: str | None = None) -> bytes:
        with self.lock:
            if window is None:
                return self.desktop.backend.screenshot()
            for app in self.desktop.apps():
                for info in app.windows:
                    if _norm(window) in _norm(info.title):
                        self.policy.require_app(app.name, info.title, doing=f"take a screenshot of {info.title!r}")
                        return self.desktop.backend.screenshot(info.bounds)
            titles = [w.title for a in self.desktop.apps() for w in a.windows]
            raise NoMatch(f"No window titled {window!r} is on the desktop.", candidates=titles)

    def _element(self, ref: str, *, doing: str) -> Node:
        backend_ref = self.refs.resolve(ref)
        app = self.guard.app_of(backend_ref)
        if app is None:
            raise NoMatch(
                f"The element {ref} is gone (its application closed).",
                hint="Take a new snapshot and use a ref from it.",
            )
        self.policy.require_app(app.name, *(w.title for w in app.windows), doing=doing)
        return self.desktop.backend.refresh(backend_ref)

    def approval_question(self, action: str, ref: str) -> tuple[str, str] | None:
        """(question, backend ref) when acting on ``ref`` cannot be undone and needs a yes; else None.

        Unknown refs and off-policy elements ask nothing: the call itself then fails with the clear error.
        """
        with self.lock:
            try:
                node = self._element(ref, doing=action)
            except DeskhandError:
                return None
            if not is_irreversible_label(node.name or node.description):
                return None
            target = self.secrets.redact(describe(node))
            return f"deskhand wants to {action} {target}. This cannot be undone. Allow it?", node.ref

    # ---- acting -----------------------------------------------------------------------------------------
    def open_app(self, name: str) -> str:
        """Start (or bring up) an allowed app, or open an allowed site in the browser; returns its snapshot."""
        with self.lock, self.step(f"open {name}"):
            if "://" in name:
                self.policy.require_site(name)
                shown = self.launcher.open_url(name)
            else:
                self.policy.require_app(name, doing=f"open {name!r}")
                shown = self.launcher.open_app(name)
            self._scopes = [Scope(shown)]
            self._view = self._render(self._scopes, strict=True)
            return self.secrets.redact(f"{shown} is open.\n{self._view}")

    def click(self, ref: str) -> str:
        return self._act(f"click {ref}", ref, lambda backend_ref: self.desktop.backend.click(backend_ref))

    def fill(self, ref: str, text: str) -> str:
        def fill_in(backend_ref: str) -> None:
            value = self.secrets.fill_in(text)
            self.desktop.backend.set_text(backend_ref, value)
            self._read_back(backend_ref, lambda n: _holds_text(n, value), "to hold the text")

        return self._act(f"fill {ref} with {text!r}", ref, fill_in)

    def select(self, ref: str, option: str) -> str:
        def choose(backend_ref: str) -> None:
            self.desktop.backend.select_option(backend_ref, option)
            wanted = _norm(option)
            self._read_back(backend_ref, lambda n: _shows_option(n, wanted), f"to show {option!r}")

        return self._act(f"select {option!r} in {ref}", ref, choose)

    def check(self, ref: str, on: bool) -> str:
        def set_checked(backend_ref: str) -> None:
            self.desktop.backend.set_checked(backend_ref, on)
            self._read_back(backend_ref, lambda n: _is_checked(n) == on, "to be checked" if on else "to be unchecked")

        return self._act(f"{'check' if on else 'uncheck'} {ref}", ref, set_checked)

    def scroll(self, ref: str, direction: ScrollDirection) -> str:
        return self._act(
            f"scroll {ref} {direction}", ref, lambda backend_ref: self.desktop.backend.scroll(backend_ref, direction)
        )

    def press(self, keys: str) -> str:
        return self._act(f"press {keys}", None, lambda _: self.desktop.backend.press(keys))

    def wait_for(self, text: str, timeout: float) -> str:
        """Wait until ``text`` shows in the current view; returns what changed meanwhile."""
        with self.lock:
            scopes = self._scopes or [Scope(a.name) for a in self.desktop.apps() if self._allowed(a)]
            before = self._view
            deadline = time.monotonic() + max(timeout, 0.0)
            wanted = _norm(text)
            while True:
                view = self._render(scopes, strict=False)
                if wanted in _norm(view):
                    self._view, self._scopes = view, scopes
                    return self.secrets.redact(f"{text!r} is on screen.\n{_changes(before, view)}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise LocatorTimeout(
                        f"{text!r} did not appear within {timeout:g} s in {', '.join(s.app for s in scopes)}.",
                        hint="Take a snapshot to see what is there, or wait longer.",
                    )
                self.desktop.backend.wait_for_change(min(remaining, 0.2))

    def _act(self, sentence: str, ref: str | None, action: Callable[[str], None]) -> str:
        with self.lock, self.step(sentence):
            backend_ref = ""
            scopes = list(self._scopes)
            if ref is not None:
                backend_ref = self.refs.resolve(ref)
                app = self.guard.app_of(backend_ref)
                if app is None:
                    raise NoMatch(f"The element {ref} is gone (its app closed).", hint="Take a new snapshot.")
                if not any(app_key(found.ref) == app_key(app.ref) for s in scopes if (found := self._find(s.app))):
                    scopes.append(Scope(app.name))
            before = self._view if scopes == self._scopes else self._render(scopes, strict=False)
            version = self.desktop.backend.version()
            action(backend_ref)
            self._settle(version)
            self._view, self._scopes = self._render(scopes, strict=False), scopes
            return self.secrets.redact(f"done: {sentence}\n{_changes(before, self._view)}")

    def _find(self, name: str) -> AppInfo | None:
        return self.desktop.find_app(name)

    def _settle(self, version: int) -> None:
        """Wait for the screen to react: the first accessibility event (briefly), then a quiet moment."""
        backend = self.desktop.backend
        start = time.monotonic()
        while backend.version() == version and time.monotonic() - start < FIRST_CHANGE_S:
            backend.wait_for_change(FIRST_CHANGE_S - (time.monotonic() - start))
        while time.monotonic() - start < SETTLE_LIMIT_S and backend.wait_for_change(QUIET_S):
            pass

    def _read_back(self, backend_ref: str, holds: Callable[[Node], bool], wanted: str) -> None:
        backend = self.desktop.backend
        deadline = time.monotonic() + self.desktop.timeout
        while True:
            node = backend.refresh(backend_ref)
            if holds(node):
                return
            if time.monotonic() >= deadline:
                raise ActionFailed(
                    f"Expected {self.secrets.redact(describe(node))} {wanted}, but it did not change.",
                    hint="The app may reformat or reject the value; take a snapshot to see it.",
                )
            backend.wait_for_change(0.05)


def _changes(before: str, after: str) -> str:
    diff = diff_snapshots(before, after)
    if diff.empty:
        return "No visible change."
    lines = diff.render().splitlines()
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"… {len(lines) - MAX_DIFF_LINES} more changed lines (take a snapshot)"]
    return "Changes (+ added, - removed, ~ changed):\n" + "\n".join(lines)


def _is_checked(node: Node) -> bool:
    return State.CHECKED in node.states or State.PRESSED in node.states


def _holds_text(node: Node, text: str) -> bool:
    value = node.value or ""
    if State.PASSWORD in node.states and value != text:
        return len(value) == len(text)
    return value == text


def _shows_option(node: Node, wanted: str) -> bool:
    if wanted and (wanted in _norm(node.value or "") or wanted == _norm(node.name)):
        return True
    return any(
        child is not node and State.SELECTED in child.states and _norm(child.name) == wanted for child in node.walk()
    )
