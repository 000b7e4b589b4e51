"""Workflows and run history for MCP clients: list and run workflow files, list and read past runs.

A workflow run from MCP goes through the session's guarded desktop, so the session policy, approvals and
audit log apply to it as to every other action; its own apps and sites must lie inside the session's, and
its ``preapproved:`` steps are not honoured (the client could have written them). Workflow paths are
confined to the folders the server was started with: resolved (``..`` and symlinks followed) and refused
when they land outside.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from deskhand.app.notify import WaitingNotices
from deskhand.errors import DeskhandError, PolicyDenied, PolicyError, WorkflowError
from deskhand.notices.notifier import Notifier
from deskhand.policy.rules import Policy
from deskhand.runner.run import Runner, StepInfo
from deskhand.surfaces.mcp.policy import describe_policy
from deskhand.surfaces.mcp.session import McpSession
from deskhand.workflows.inputs import coerce_inputs
from deskhand.workflows.model import Workflow
from deskhand.workflows.parse import load_workflow


class Library:
    """Workflows under the configured ``folders`` (and only there) and the session's run store."""

    def __init__(
        self,
        session: McpSession,
        folders: Sequence[Path],
        *,
        timeout: float,
        notifier: Notifier | None = None,
        waiting: WaitingNotices | None = None,
    ) -> None:
        self.session = session
        self.notifier = notifier
        self.waiting = waiting
        # Resolved once: a folder's own symlinks are the operator's; what a client names is checked against these.
        self.folders = tuple(folder.expanduser().resolve() for folder in folders)
        self.timeout = timeout

    def _inside(self, path: str, *, is_dir: bool) -> Path:
        """``path`` (relative to a workflows folder, or absolute inside one) resolved, symlinks followed, and
        refused unless the result lies inside a configured folder."""
        what = "folder" if is_dir else "workflow file"
        shown = ", ".join(str(f) for f in self.folders)
        inside = False
        for folder in self.folders:
            candidate = (folder / path).resolve()  # an absolute path replaces folder; ".." and links resolve
            if not candidate.is_relative_to(folder):
                continue
            inside = True
            if candidate.is_dir() if is_dir else candidate.is_file():
                return candidate
        if inside:
            raise WorkflowError(
                f"No {what} at {path!r} in the workflows folders ({shown}).",
                hint="list_workflows shows the workflows this server may run.",
            )
        raise PolicyDenied(
            f"Refused the {what} {path!r}: it is outside the workflows folders this server was started with ({shown})",
            hint="Only workflows inside those folders can be listed or run; list_workflows shows them.",
        )

    def list_workflows(self, folder: str | None = None) -> list[dict[str, Any]]:
        wheres = self.folders if folder is None else (self._inside_or_refuse(f"list workflows in {folder}", folder),)
        found: list[dict[str, Any]] = []
        for where in wheres:
            for file in sorted(where.glob("*.md")):
                if not file.resolve().is_relative_to(where):
                    continue  # a link out of the folder is not a workflow of it
                try:
                    workflow = load_workflow(file, allow_free_form=False)
                except WorkflowError:
                    continue  # READMEs and notes are Markdown too
                found.append(
                    {
                        "path": str(file.relative_to(where)),
                        "name": workflow.name,
                        "description": workflow.description,
                        "apps": list(workflow.apps),
                        "inputs": {name: spec.type for name, spec in workflow.inputs.items()},
                    }
                )
        return found

    def _inside_or_refuse(self, sentence: str, path: str) -> Path:
        """A folder for list_workflows; a refusal is recorded as a blocked step of the session."""
        with self.session.lock, self.session.step(sentence) as n:
            try:
                return self._inside(path, is_dir=True)
            except PolicyError as refused:
                self.session.audit_refusal(n, "list_workflows", {"path": path}, refused.message)
                raise

    def run_workflow(self, path: str, inputs: dict[str, Any]) -> str:
        session = self.session
        with session.lock, session.step(f"run workflow {path}") as n:
            try:
                workflow = load_workflow(self._inside(path, is_dir=False), allow_free_form=False)
                values = coerce_inputs(workflow, inputs, where="inputs")
                self._require_inside_session(workflow)
            except PolicyError as refused:
                session.audit_refusal(n, "run_workflow", {"path": path}, refused.message)
                raise
            return self._run(workflow, values)

    def _run(self, workflow: Workflow, values: dict[str, object]) -> str:
        session = self.session
        guarded, guard = session.guarded, session.guarded.guard
        session_policy = guard.policy
        # The workflow narrows the session, never widens it: its apps, sites and secrets lie inside the
        # session's (checked before), its confirm steps ask more, and its preapproved steps are ignored — a
        # client that may not submit directly cannot write itself a workflow that may.
        policy = replace(Policy.from_workflow(workflow), preapproved=())

        def on_step(info: StepInfo) -> None:
            guarded.begin_step(policy.for_step(info.run_id, info.step))
            if self.waiting is not None:
                self.waiting.step = info

        # The runner handles placeholders only; the guard swaps in the values when it types.
        runner = Runner(
            session.desktop,
            session.launcher,
            session.store,
            timeout=self.timeout,
            capture=session.capture,
            should_stop=lambda: guard.kill.requested,
            on_step=on_step,
            on_finish=self.notifier.run_ended if self.notifier is not None else lambda run_id, workflow: None,
        )
        guard.policy = policy
        try:
            outcome = runner.run(workflow, values)
        finally:
            guard.policy = session_policy
        text = json.dumps(outcome.to_json(), indent=1, default=str)
        if outcome.status != "succeeded":
            error = outcome.error or {}
            message = (
                f"The workflow {workflow.name!r} {outcome.status} at step {error.get('step')}: {error.get('message')}"
            )
            if any(step.status == "blocked" for step in outcome.steps):
                raise PolicyDenied(message, hint=f"See get_run {outcome.run_id!r}.")
            raise DeskhandError(
                message,
                hint=str(error.get("suggestion") or error.get("hint") or f"See get_run {outcome.run_id!r}."),
            )
        return session.redact(text)

    def _require_inside_session(self, workflow: Workflow) -> None:
        """A workflow run from MCP may use only what the session allows: its apps, sites and secrets."""
        allowed = self.session.policy
        outside = [
            *(f"the app {a!r}" for a in workflow.apps if not allowed.allows_app(a)),
            *(f"the site {s!r}" for s in workflow.sites if not allowed.covers_site(s)),
            *(f"the secret {n!r}" for n in workflow.secrets if not allowed.allows_secret(n)),
        ]
        if outside:
            raise PolicyDenied(
                f"Refused to run {workflow.name!r}: it uses {', '.join(outside)}, which this session does not "
                f"allow ({describe_policy(allowed)}).",
                hint="A workflow run over MCP gets no more than the session's policy.",
            )

    def list_runs(self, limit: int) -> list[dict[str, Any]]:
        runs = self.session.store.list_runs(limit=max(1, min(limit, 200)))
        return [{**run.to_json(), "kind": run.kind} for run in runs]

    def get_run(self, run_id: str) -> dict[str, Any]:
        record = self.session.store.get_run(run_id)
        data = record.to_json()
        data["kind"] = record.kind
        data["screenshots"] = [str(s.screenshot_path) for s in record.steps if s.screenshot_path]
        return data
