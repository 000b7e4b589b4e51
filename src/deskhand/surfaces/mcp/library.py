"""Workflows and run history for MCP clients: list and run workflow files, list and read past runs.

A workflow run from MCP goes through the session's guarded desktop, so the session policy, approvals and
audit log apply to it as to every other action; its own apps and sites must lie inside the session's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deskhand.errors import DeskhandError, PolicyDenied, WorkflowError
from deskhand.runner.run import Runner, StepInfo
from deskhand.surfaces.mcp.session import McpSession
from deskhand.workflows.inputs import coerce_inputs
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
        for app in workflow.apps:
            if not session.policy.allows_app(app):
                raise PolicyDenied(
                    f"Refused to run {workflow.name!r}: it uses {app!r}, which this session does not allow "
                    f"({session.policy.describe()}).",
                    hint="Restart the server with that app in --apps, or run the workflow with `deskhand run`.",
                )
        for site in workflow.sites:
            session.policy.require_site(site)
        context = session.context

        def on_step(info: StepInfo) -> None:
            context.run_id, context.step, context.preapproved = info.run_id, info.step.n, info.preapproved

        runner = Runner(
            session.desktop,
            session.launcher,
            session.store,
            lambda name: session.secrets.fill_in("{secret:" + name + "}"),
            timeout=self.timeout,
            capture=session.capture,
            on_step=on_step,
        )
        with session.lock, session.step(f"run workflow {workflow.name}"):
            try:
                outcome = runner.run(workflow, values)
            finally:
                context.run_id, context.preapproved = session.run_id, False
            text = json.dumps(outcome.to_json(), indent=1, default=str)
            if outcome.status != "succeeded":
                error = outcome.error or {}
                raise DeskhandError(
                    f"The workflow {workflow.name!r} {outcome.status} at step {error.get('step')}: "
                    f"{error.get('message')}",
                    hint=str(error.get("suggestion") or error.get("hint") or f"See get_run {outcome.run_id!r}."),
                )
        return session.secrets.redact(text)

    def list_runs(self, limit: int) -> list[dict[str, Any]]:
        runs = self.session.store.list_runs(limit=max(1, min(limit, 200)))
        return [{**run.to_json(), "kind": run.kind} for run in runs]

    def get_run(self, run_id: str) -> dict[str, Any]:
        record = self.session.store.get_run(run_id)
        data = record.to_json()
        data["kind"] = record.kind
        data["screenshots"] = [str(s.screenshot_path) for s in record.steps if s.screenshot_path]
        return data
