"""Workflows and run history for MCP clients: list and run workflow files, list and read past runs.

A workflow run from MCP goes through the session's guarded desktop, so the session policy, approvals and
audit log apply to it as to every other action; its own apps and sites must lie inside the session's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deskhand.errors import DeskhandError, PolicyDenied, WorkflowError
from deskhand.policy.rules import Policy
from deskhand.runner.run import Runner, StepInfo
from deskhand.surfaces.mcp.policy import describe_policy
from deskhand.surfaces.mcp.session import McpSession
from deskhand.workflows.inputs import coerce_inputs
from deskhand.workflows.model import Workflow
from deskhand.workflows.parse import load_workflow


class Library:
    """Workflows under ``folder`` (paths are taken relative to it) and the session's run store."""

    def __init__(self, session: McpSession, folder: Path, *, timeout: float) -> None:
        self.session = session
        self.folder = folder
        self.timeout = timeout

    def _path(self, path: str, *, is_dir: bool = False) -> Path:
        candidate = Path(path).expanduser()
        if not candidate.is_absolute():
            candidate = self.folder / candidate
        exists = candidate.is_dir() if is_dir else candidate.is_file()
        if not exists:
            what = "folder" if is_dir else "workflow file"
            raise WorkflowError(
                f"No {what} at {str(candidate)!r}.",
                hint=f"Paths are relative to {str(self.folder)!r}; list_workflows shows the ones there are.",
            )
        return candidate

    def list_workflows(self, folder: str | None = None) -> list[dict[str, Any]]:
        where = self.folder if folder is None else self._path(folder, is_dir=True)
        found: list[dict[str, Any]] = []
        for file in sorted(where.glob("*.md")):
            try:
                workflow = load_workflow(file, allow_free_form=False)
            except WorkflowError:
                continue  # READMEs and notes are Markdown too
            found.append(
                {
                    "path": str(file),
                    "name": workflow.name,
                    "description": workflow.description,
                    "apps": list(workflow.apps),
                    "inputs": {name: spec.type for name, spec in workflow.inputs.items()},
                }
            )
        return found

    def run_workflow(self, path: str, inputs: dict[str, Any]) -> str:
        session = self.session
        workflow = load_workflow(self._path(path), allow_free_form=False)
        values = coerce_inputs(workflow, inputs, where="inputs")
        self._require_inside_session(workflow)
        guarded, guard = session.guarded, session.guarded.guard
        session_policy = guard.policy
        # The workflow's own policy (its preapproved and confirm steps, its secrets) while it runs: it lies
        # inside the session's, checked above.
        policy = Policy.from_workflow(workflow)

        def on_step(info: StepInfo) -> None:
            guarded.begin_step(policy.for_step(info.run_id, info.step))

        # The runner handles placeholders only; the guard swaps in the values when it types.
        runner = Runner(
            session.desktop,
            session.launcher,
            session.store,
            timeout=self.timeout,
            capture=session.capture,
            should_stop=lambda: guard.kill.requested,
            on_step=on_step,
        )
        with session.lock, session.step(f"run workflow {workflow.name}"):
            guard.policy = policy
            try:
                outcome = runner.run(workflow, values)
            finally:
                guard.policy = session_policy
            text = json.dumps(outcome.to_json(), indent=1, default=str)
            if outcome.status != "succeeded":
                error = outcome.error or {}
                raise DeskhandError(
                    f"The workflow {workflow.name!r} {outcome.status} at step {error.get('step')}: "
                    f"{error.get('message')}",
                    hint=str(error.get("suggestion") or error.get("hint") or f"See get_run {outcome.run_id!r}."),
                )
        return session.redact(text)

    def _require_inside_session(self, workflow: Workflow) -> None:
        """A workflow run from MCP may use only what the session allows: its apps, sites and secrets."""
        allowed = self.session.policy
        outside = [
            *(f"the app {a!r}" for a in workflow.apps if not allowed.allows_app(a)),
            *(f"the site {s!r}" for s in workflow.sites if not allowed.allows_site(s)),
            *(f"the secret {n!r}" for n in workflow.secrets if not allowed.allows_secret(n)),
        ]
        if outside:
            raise PolicyDenied(
                f"Refused to run {workflow.name!r}: it uses {', '.join(outside)}, which this session does not "
                f"allow ({describe_policy(allowed)}).",
                hint="Restart the server with them in --apps / --sites / --secrets, or use `deskhand run`.",
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
