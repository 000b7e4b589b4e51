"""One MCP session on one desktop: the compact view with refs, acting by ref, and what changed on screen.

Acting goes through the agent's :class:`~deskhand.agent.tools.ToolBox` (one implementation of "act on a ref
and read it back", over locators on the guarded backend), so the policy, approvals, secrets and audit of
:mod:`deskhand.policy.guard` apply exactly as in workflows. The core is synchronous (one pointer, one focus),
so every call holds the session lock. The session is one run in the run history (kind ``mcp``): each acting
call is a step with its snapshot and screenshot. Text leaving the session passes the guard's redactor.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from deskhand.agent.tools import ToolBox
from deskhand.errors import DeskhandError, LocatorTimeout, NoMatch, PolicyDenied, PolicyError
from deskhand.locate.desktop import Desktop
from deskhand.policy.approval import ApprovalRequest
from deskhand.policy.guard import GuardedBackend
from deskhand.policy.rules import ActionKind, Policy, StepPolicy
from deskhand.runner.run import Launcher
from deskhand.runs.store import RunStore
from deskhand.surfaces.mcp.approval import ElicitationApprover
from deskhand.surfaces.mcp.policy import describe_policy
from deskhand.surfaces.mcp.recording import Pending, ToolRecording
from deskhand.surfaces.mcp.settle import settle
from deskhand.tree.diff import diff_snapshots
from deskhand.tree.node import Node
from deskhand.tree.snapshot import RefTable, render
from deskhand.workflows.secret_text import with_secrets

MAX_DIFF_LINES = 60


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
        guarded: GuardedBackend,
        store: RunStore,
        approver: ElicitationApprover,
        launcher: Launcher,
        *,
        capture: bool = True,
    ) -> None:
        self.desktop = desktop
        self.guarded = guarded
        self.store = store
        self.approver = approver
        self.launcher = launcher
        self.capture = capture
        self.refs = RefTable()
        # The client names secrets in fill by {secret:name}; the guard types the ones the session allows.
        self.tools = ToolBox(desktop, self.refs, timeout=desktop.timeout, expand_text=with_secrets)
        self.lock = threading.RLock()
        self.run_id = store.start_run("", "mcp session", {"policy": describe_policy(self.policy)}, kind="mcp")
        self._steps = 0
        self._scopes: list[Scope] = []
        self._view = ""
        self._owners: dict[str, str] = {}  # backend ref → the app it was seen in (for the diff's scope)
        self.recording: ToolRecording | None = None  # between record_start and record_stop

    @property
    def policy(self) -> Policy:
        return self.guarded.guard.policy

    def redact(self, text: str) -> str:
        return self.guarded.guard.redactor(text)

    def audit_refusal(self, n: int, action: str, target: Mapping[str, Any], reason: str) -> None:
        """A refusal made above the guard (a workflow path outside the folders): named in the run record and
        the audit log, like the guard's own."""
        shown = self.redact(reason)
        self.store.record_event(self.run_id, n, "blocked", {"action": action, "target": dict(target), "reason": shown})
        audit = self.guarded.guard.audit
        if audit is not None:
            audit.append(self.run_id, n, f"refused {action}", dict(target), shown)

    # ---- lifecycle --------------------------------------------------------------------------------------
    def close(self, status: str = "succeeded") -> None:
        with self.lock:
            self.store.finish_run(self.run_id, status)

    @contextmanager
    def step(self, sentence: str) -> Iterator[int]:
        """Record one acting call as a step of the session's run (blocked, failed or succeeded)."""
        self._steps += 1
        n = self._steps
        shown = self.redact(sentence)
        self.store.start_step(self.run_id, n, shown)
        self.guarded.begin_step(StepPolicy(run_id=self.run_id, n=n, sentence=shown))
        started = time.perf_counter()
        status, reason = "succeeded", None
        try:
            yield n
        except PolicyError as refused:
            status, reason = "blocked", refused.message
            raise
        except DeskhandError as failure:
            status, reason = "failed", failure.message
            raise
        finally:
            self.approver.forget()
            self.store.finish_step(
                self.run_id,
                n,
                status,
                round((time.perf_counter() - started) * 1000),
                reason=reason,
                snapshot_text=self._view,
                screenshot_png=self._screenshot_or_none(),
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
                    "allowed": self.policy.allows_app(app.name),
                    "windows": [w.title for w in app.windows],
                }
                for app in self.desktop.apps()
            ]

    def _allowed_scopes(self, window: str | None = None) -> list[Scope]:
        return [Scope(a.name, window) for a in self.desktop.apps() if self.policy.allows_app(a.name)]

    def snapshot(self, app: str | None = None, window: str | None = None) -> str:
        """The compact outline (with refs) of one app, or of every allowed app that is running."""
        with self.lock:
            scopes = [Scope(app, window)] if app is not None else self._allowed_scopes(window)
            if not scopes:
                return (
                    f"No allowed app is running (this session allows {describe_policy(self.policy)}). "
                    "Start one with open_app."
                )
            self._view = self._render(scopes, strict=True)
            self._scopes = scopes
            return self.redact(self._view)

    def _render(self, scopes: list[Scope], *, strict: bool) -> str:
        parts: list[str] = []
        for scope in scopes:
            found = self.desktop.find_app(scope.app)
            if found is None:
                if strict:
                    self.desktop.snapshot(scope.app)  # raises AppNotFound with the running apps
                parts.append(f"(app {scope.app!r} is gone)")
                continue
            root = self.desktop.backend.snapshot(found.ref)  # the guard refuses apps outside the policy
            self._owners.update((node.ref, found.name) for node in root.walk())
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
            return self.redact(self._call("read", {"ref": ref}))

    def screenshot(self, window: str | None = None) -> bytes:
        with self.lock:
            if window is None:
                return self.desktop.backend.screenshot()
            for app in self.desktop.apps():
                for info in app.windows:
                    if _norm(window) in _norm(info.title):
                        if not self.policy.allows_app(app.name):
                            raise PolicyDenied(
                                f"Refused a screenshot of {info.title!r}: {app.name!r} is not an allowed app "
                                f"of this session ({describe_policy(self.policy)}).",
                                hint="Start the server with --apps NAME (or list it under apps: in --policy).",
                            )
                        return self.desktop.backend.screenshot(info.bounds)
            titles = [w.title for a in self.desktop.apps() for w in a.windows]
            raise NoMatch(f"No window titled {window!r} is on the desktop.", candidates=titles)

    def approval_request(self, kind: ActionKind, ref: str | None = None, keys: str = "") -> ApprovalRequest | None:
        """The request the guard would make for this action now, or None when it would not ask.

        Unknown refs and off-policy elements ask nothing: the call itself then fails with the clear error.
        """
        with self.lock:
            try:
                backend_ref = self.refs.resolve(ref) if ref is not None else None
                return self.guarded.approval_preview(kind, backend_ref, keys=keys)
            except DeskhandError:
                return None

    # ---- acting -----------------------------------------------------------------------------------------
    def open_app(self, name: str) -> str:
        """Start (or bring up) an allowed app, or open an allowed site in the browser; returns its snapshot."""
        with self.lock, self.step(f"open {name}"):
            shown = self.launcher.open_url(name) if "://" in name else self.launcher.open_app(name)
            self.tools.current_app = shown
            if self.recording is not None:
                self.recording.opened(name, shown)
            self._scopes = [Scope(shown)]
            self._view = self._render(self._scopes, strict=True)
            return self.redact(f"{shown} is open.\n{self._view}")

    def click(self, ref: str) -> str:
        return self._act(f"click {ref}", "click", {"ref": ref})

    def fill(self, ref: str, text: str) -> str:
        return self._act(f"fill {ref} with {text!r}", "fill", {"ref": ref, "text": text})

    def select(self, ref: str, option: str) -> str:
        return self._act(f"select {option!r} in {ref}", "select", {"ref": ref, "option": option})

    def check(self, ref: str, on: bool) -> str:
        return self._act(f"{'check' if on else 'uncheck'} {ref}", "check", {"ref": ref, "on": on})

    def scroll(self, ref: str, direction: str) -> str:
        return self._act(f"scroll {ref} {direction}", "scroll", {"ref": ref, "direction": direction})

    def press(self, keys: str) -> str:
        return self._act(f"press {keys}", "press", {"keys": keys})

    def wait_for(self, text: str, timeout: float) -> str:
        """Wait until ``text`` shows in the current view; returns what changed meanwhile."""
        with self.lock:
            scopes = self._scopes or self._allowed_scopes()
            before = self._view
            deadline = time.monotonic() + max(timeout, 0.0)
            wanted = _norm(text)
            while True:
                view = self._render(scopes, strict=False)
                if wanted in _norm(view):
                    self._view, self._scopes = view, scopes
                    if self.recording is not None:
                        self.recording.waited(text)
                    return self.redact(f"{text!r} is on screen.\n{changes(before, view)}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise LocatorTimeout(
                        f"{text!r} did not appear within {timeout:g} s in {', '.join(s.app for s in scopes)}.",
                        hint="Take a snapshot to see what is there, or wait longer.",
                    )
                self.desktop.backend.wait_for_change(min(remaining, 0.2))

    def _call(self, name: str, arguments: Mapping[str, Any]) -> str:
        """One ToolBox call; its error (unknown ref, refusal, failure) is raised as the DeskhandError it is."""
        result = self.tools.call(name, arguments)
        self.tools.actions.clear()  # no lock is learnt from an MCP session
        if result.is_error:
            raise result.error if result.error is not None else DeskhandError(result.text)
        return result.text

    def _act(self, sentence: str, name: str, arguments: Mapping[str, Any]) -> str:
        ref = arguments.get("ref")

        def act(backend_refs: list[str]) -> str:
            pending = self._understand(name, arguments, backend_refs)
            said = self._call(name, arguments)
            if pending is not None and self.recording is not None:
                self.recording.done(pending)
            return said

        return self.act_on(sentence, [ref] if isinstance(ref, str) else [], act, recorded=True)

    def _understand(self, name: str, arguments: Mapping[str, Any], backend_refs: list[str]) -> Pending | None:
        """While recording: the step this call will be, read before it acts."""
        if self.recording is None:
            return None
        backend_ref = backend_refs[0] if backend_refs else None
        app = self._owners.get(backend_ref, "") if backend_ref else ""
        app = app or str(self.tools.current_app or "") or (self._scopes[0].app if self._scopes else "")
        return self.recording.understand(name, dict(arguments), backend_ref, app)

    def act_on(
        self, sentence: str, refs: Sequence[str], act: Callable[[list[str]], str | None], *, recorded: bool = False
    ) -> str:
        """One acting call as a step: ``act`` gets the backend refs behind ``refs``; returns what it says and
        the snapshot diff (pointer and window tools act through the guard's seams, not the ToolBox; while
        recording, they are named as left out unless ``recorded``)."""
        if self.recording is not None and not recorded:
            self.recording.left_out.append(sentence.split(" ")[0])
        with self.lock, self.step(sentence):
            scopes = list(self._scopes)
            backend_refs = [self.refs.resolve(ref) for ref in refs]
            for backend_ref in backend_refs:
                owner = self._owners.get(backend_ref)
                if owner is not None and all(s.app != owner for s in scopes):
                    scopes.append(Scope(owner))
            before = self._view if scopes == self._scopes else self._render(scopes, strict=False)
            version = self.desktop.backend.version()
            done = act(backend_refs) or f"Done: {sentence}."
            settle(self.desktop.backend, version)
            self._view, self._scopes = self._render(scopes, strict=False), scopes
            return self.redact(f"{done}\n{changes(before, self._view)}")


def changes(before: str, after: str) -> str:
    """The snapshot diff as the client reads it, cut to MAX_DIFF_LINES."""
    diff = diff_snapshots(before, after)
    if diff.empty:
        return "No visible change."
    lines = diff.render().splitlines()
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"… {len(lines) - MAX_DIFF_LINES} more changed lines (take a snapshot)"]
    return "Changes (+ added, - removed, ~ changed):\n" + "\n".join(lines)
