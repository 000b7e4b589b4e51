"""`deskhand run wf.md --inputs rows.csv --parallel N`: the command side (options for workers, one progress
bar, the merged result). The work itself is app/parallel.py."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from rich.progress import Progress

from deskhand.app.parallel import ParallelOutcome, desktops_for, run_parallel
from deskhand.errors import InputError
from deskhand.runs.fingerprint import file_fingerprint
from deskhand.runs.store import RunStore
from deskhand.surfaces.cli.batch_result import end_batch, print_batch_result
from deskhand.workflows.model import Workflow


def worker_options(approve: str, timeout: float, input_pairs: list[str], *, no_lock: bool, repair: bool) -> list[str]:
    """The worker's own options. Workers have no terminal: `auto` approval means deny there, as it does for
    any run without one; `queue` works (approvals wait in the queue, per row)."""
    if approve == "terminal":
        raise InputError(
            "--parallel workers have no terminal to ask on, so --approve terminal cannot be used with it.",
            hint="Use --approve queue (answer in `deskhand serve` or `deskhand approvals`) or --approve deny.",
        )
    args = ["--approve", "deny" if approve == "auto" else approve, "--timeout", str(timeout)]
    for pair in input_pairs:
        args += ["--input", pair]
    return args + (["--no-lock"] if no_lock else []) + (["--repair"] if repair else [])


def run_parallel_batch(
    workflow: Workflow,
    workflow_file: Path,
    inputs_file: Path,
    rows: list[dict[str, object]],
    spec: str,
    worker_args: list[str],
    as_json: bool,
) -> NoReturn:
    desktops = desktops_for(spec, len(rows))
    store = RunStore()
    try:
        with Progress(transient=True, disable=as_json) as progress:
            task = progress.add_task(f"{workflow.name} on {desktops} desktops", total=len(rows))
            outcome = run_parallel(
                store,
                workflow_file,
                inputs_file,
                workflow_key=workflow.path,
                inputs_hash=file_fingerprint(inputs_file),
                rows=len(rows),
                desktops=desktops,
                worker_args=worker_args,
                on_progress=lambda done: progress.update(task, completed=done),
            )
    finally:
        store.close()
    end_batch(outcome, as_json=as_json, print_for_people=_print)


def _print(outcome: ParallelOutcome) -> None:
    # A desktop that ended before its result did not start, or was killed.
    ended = [
        f"desktop {worker.number} ended with exit {worker.code}: {worker.stderr[-1500:]}"
        for worker in outcome.workers
        if worker.batch is None
    ]
    footer = f"batch {outcome.batch_id}: {len(outcome.rows)} rows on {outcome.desktops} desktops"
    print_batch_result(outcome.to_json(), ended=ended, footer=footer)
