"""`deskhand run wf.md --inputs rows.csv --broker redis://…`: the command side (one progress bar, the result as
a serial batch prints it). The work itself is app/fleet/submit.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NoReturn

import typer
from rich.progress import Progress

from deskhand.app.fleet.submit import FleetOutcome, submit_batch
from deskhand.runs.fingerprint import file_fingerprint
from deskhand.runs.store import RunStore
from deskhand.surfaces.cli.batch_result import end_batch, print_batch_result
from deskhand.workflows.model import Workflow


def run_fleet_batch(
    workflow: Workflow,
    workflow_file: Path,
    inputs_file: Path,
    raw_rows: Sequence[Mapping[str, object]],
    broker: str,
    timeout: float,
    as_json: bool,
) -> NoReturn:
    store = RunStore()
    try:
        with Progress(transient=True, disable=as_json) as progress:
            task = progress.add_task(f"{workflow.name} on {broker}", total=len(raw_rows))
            outcome = submit_batch(
                store,
                broker,
                workflow,
                workflow_file.read_text(encoding="utf-8"),
                raw_rows,
                inputs_hash=file_fingerprint(inputs_file),
                timeout=timeout,
                on_progress=lambda done: progress.update(task, completed=done),
                # With --json, stdout is the result alone: what the command says goes to stderr.
                say=(lambda line: typer.echo(line, err=True))
                if as_json
                else (lambda line: progress.console.print(line, markup=False, style="yellow")),
            )
    finally:
        store.close()
    end_batch(outcome, as_json=as_json, print_for_people=_print)


def _print(outcome: FleetOutcome) -> None:
    footer = f"batch {outcome.batch_id}: {len(outcome.rows)} rows, {len(outcome.sent)} sent to {outcome.broker}"
    print_batch_result(outcome.to_json(), footer=footer)
