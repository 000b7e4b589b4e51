"""`deskhand run WORKFLOW.md [--inputs rows.csv] [--input k=v]`: run a workflow, once or per row."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.progress import Progress

from deskhand.app.notify import set_aside_notices
from deskhand.app.session import RunSession, open_run_session
from deskhand.errors import InputError
from deskhand.models.config import configured_model_spec
from deskhand.runner.batch import BatchOutcome, SetAside, run_batch
from deskhand.runner.heal import Heal
from deskhand.runner.run import RunOutcome
from deskhand.runner.sheet_rows import rows_fingerprint, rows_from_sheet
from deskhand.runs.claims import RowClaims
from deskhand.runs.fingerprint import file_fingerprint
from deskhand.surfaces.cli.run_fleet import run_fleet_batch
from deskhand.surfaces.cli.run_parallel import run_parallel_batch, worker_options
from deskhand.workflows.inputs import coerce_inputs, coerce_rows, load_rows, parse_input_pairs
from deskhand.workflows.model import Workflow
from deskhand.workflows.parse import load_workflow


def _print_outcome(outcome: RunOutcome) -> None:
    for step in outcome.steps:
        mark = {"succeeded": "ok", "failed": "FAILED", "blocked": "BLOCKED"}.get(step.status, step.status)
        healed = "  (healed)" if step.healed else ""
        typer.echo(f"  {step.n:>2}. {step.sentence}  [{mark}, {step.ms:.0f} ms]{healed}")
        for heal in step.heals:
            typer.echo(f"      healed → {heal.get('proposal')}  ({'; '.join(heal.get('why') or [])})")
        for name, value in step.read.items():
            typer.echo(f"      {name} = {value!r}")
    if outcome.error:
        typer.echo(f"\n{outcome.error['message']}", err=True)
        if outcome.error.get("hint"):
            typer.echo(f"  hint: {outcome.error['hint']}", err=True)
        if outcome.error.get("candidates"):
            typer.echo("  on screen: " + "; ".join(outcome.error["candidates"]), err=True)
        for number, item in enumerate(outcome.error.get("suggestions") or [], start=1):
            place = "before it" if item.get("mode") == "insert" else "instead"
            typer.echo(f"  suggestion {number} ({place}): {item['sentence']}", err=True)
            for reason in item.get("reasons") or []:
                typer.echo(f"      - {reason}", err=True)
        if outcome.error.get("suggestions"):
            typer.echo(f"  apply it: deskhand fix {outcome.run_id}", err=True)
        elif outcome.error.get("suggestion"):
            typer.echo(f"  try writing: {outcome.error['suggestion']}", err=True)
    typer.echo(f"run {outcome.run_id}: {outcome.status} — report: {outcome.report}")


def _ask_about_heal(heal: Heal) -> bool:
    """A heal of a step that cannot be undone goes ahead only on a person's yes (never by `preapproved`)."""
    typer.echo(
        f"\nStep {heal.step or ''} no longer finds its element; the lock's fingerprint points at another:", err=True
    )
    typer.echo(f"  {heal.describe()}", err=True)
    typer.echo(f"  proposed sentence: {heal.proposal}", err=True)
    typer.echo(f"  this step means {heal.irreversible!r}, which cannot be undone.", err=True)
    return typer.confirm("Go ahead with this element?", default=False, err=True)


def run(
    workflow_file: Path = typer.Argument(..., help="The workflow (Markdown with YAML front matter)."),
    inputs_file: Path = typer.Option(None, "--inputs", help="A CSV, JSON, .xlsx or .ods file: one run per row."),
    inputs_sheet: str = typer.Option(
        None, "--inputs-sheet", help="An app or window with a spreadsheet open: one run per row of its used area."
    ),
    input_pairs: list[str] = typer.Option([], "--input", help="key=value (applies to every row)."),
    desktop: str = typer.Option("auto", "--desktop", help="current | virtual (default: current if set)."),
    timeout: float = typer.Option(10.0, help="Seconds to wait for each element."),
    as_json: bool = typer.Option(False, "--json", help="Print the run object(s) as JSON."),
    no_lock: bool = typer.Option(False, "--no-lock", help="Ignore wf.lock and resolve every step afresh."),
    repair: bool = typer.Option(
        False,
        "--repair",
        help="Carry out a failed reversible step by its first checked suggestion (healed, for review); "
        "stop at the first step that needs a person.",
    ),
    approve: str = typer.Option(
        "auto",
        "--approve",
        help="Who approves irreversible actions: terminal | deny | queue (default: terminal "
        "when interactive, else deny).",
    ),
    parallel: str = typer.Option(
        None,
        "--parallel",
        help="With --inputs: run rows on N virtual desktops at once (N or auto = min(cores, "
        "(free memory - 512 MiB) / 768 MiB, rows)); one batch, resumed by the same command.",
    ),
    claim_pass: str = typer.Option(None, "--claim-pass", hidden=True, help="A --parallel worker's pass token."),
    broker: str = typer.Option(
        None,
        "--broker",
        help="With --inputs: send the rows to `deskhand worker`s over this Redis (redis://HOST:6379/0) and follow "
        "them; the workflow is signed with the fleet key (DESKHAND_FLEET_KEY or fleet_key in config.toml).",
    ),
) -> None:
    """Run a workflow on real apps. Exit 0: all runs succeeded; 1: a run failed; 2: bad input (nothing ran)."""
    # Sentences outside the step language need a model; without one they are errors naming file:line.
    workflow = load_workflow(workflow_file, allow_free_form=configured_model_spec() is not None)
    extra = parse_input_pairs(input_pairs)
    if inputs_sheet is not None:
        _run_sheet_batch(workflow, inputs_sheet, extra, desktop, timeout, approve, as_json)
    if inputs_file is not None:
        rows = coerce_rows(workflow, [{**row, **extra} for row in load_rows(inputs_file)], inputs_file)
    else:
        rows = [coerce_inputs(workflow, extra, where="--input")]
    if broker is not None:
        if inputs_file is None or parallel is not None:
            raise InputError(
                "--broker sends the rows of a batch to workers: it needs --inputs, and cannot be used with --parallel.",
                hint="deskhand run wf.md --inputs rows.csv --broker redis://HOST:6379/0",
            )
        raw = [{**row, **extra} for row in load_rows(inputs_file)]
        coerce_rows(workflow, raw, inputs_file)  # every row checked here, before any is sent
        run_fleet_batch(workflow, workflow_file, inputs_file, raw, broker, timeout, as_json)
    if parallel is not None:
        if inputs_file is None:
            raise InputError(
                "--parallel runs the rows of a batch, and no --inputs file was given.",
                hint="Add --inputs rows.csv (or .json, .xlsx, .ods); one run per row.",
            )
        worker_args = worker_options(approve, timeout, input_pairs, no_lock=no_lock, repair=repair)
        run_parallel_batch(workflow, workflow_file, inputs_file, rows, parallel, worker_args, as_json)
    choice: Any = {"auto": "auto", "current": "current", "virtual": "virtual"}.get(desktop, "auto")
    with open_run_session(choice, timeout=timeout, approve=approve) as session:
        if approve == "terminal" or (approve == "auto" and sys.stdin.isatty()):
            session.runner.approve_heal = _ask_about_heal
        if inputs_file is None:
            outcome = session.runner.run(workflow, rows[0], use_lock=not no_lock, repair=repair)
            outcome.report = session.report(outcome.run_id)
            if as_json:
                typer.echo(json.dumps(outcome.to_json(), indent=1))
            else:
                _print_outcome(outcome)
            raise typer.Exit(0 if outcome.status == "succeeded" else 1)
        # A --parallel worker runs only the rows it claims for its pass (the command that started it closes the batch).
        claims = RowClaims(session.store.path, claim_pass) if claim_pass else None
        with Progress(transient=True, disable=as_json) as progress:
            task = progress.add_task(f"{workflow.name}", total=len(rows))

            def on_row(index: int, outcome: RunOutcome | None) -> None:
                progress.advance(task)

            batch = run_batch(
                session.runner,
                session.store,
                workflow,
                rows,
                inputs_file_hash=file_fingerprint(inputs_file),
                intents=session.intents,
                on_row=on_row,
                on_set_aside=_set_aside_notices(session, workflow),
                claim=None if claims is None else claims.claim,
                finish=claims is None,
            )
        _say_batch(session, batch, as_json)


def _run_sheet_batch(
    workflow: Workflow, window: str, extra: dict[str, str], desktop: str, timeout: float, approve: str, as_json: bool
) -> None:
    """Rows from an open sheet: read through the guard with the workflow's policy (its app must be allowed)."""
    choice: Any = {"auto": "auto", "current": "current", "virtual": "virtual"}.get(desktop, "auto")
    with open_run_session(choice, timeout=timeout, approve=approve) as session:
        runner = session.runner_for(workflow)
        read = rows_from_sheet(runner.desktop, window)
        rows = coerce_rows(workflow, [{**row, **extra} for row in read], f"{window} (sheet)")
        batch = run_batch(
            runner,
            session.store,
            workflow,
            rows,
            inputs_file_hash=rows_fingerprint(read),
            intents=session.intents,
            on_set_aside=_set_aside_notices(session, workflow),
        )
        _say_batch(session, batch, as_json)


def _say_batch(session: RunSession, batch: BatchOutcome, as_json: bool) -> NoReturn:
    """Each row's run with its report, as JSON or lines (and how to resume); exits 1 unless every row passed."""
    for outcome in batch.runs:
        outcome.report = session.report(outcome.run_id)
    if as_json:
        typer.echo(json.dumps(batch.to_json(), indent=1))
    else:
        for outcome in batch.runs:
            _print_outcome(outcome)
        _print_resume(batch)
    raise typer.Exit(0 if batch.ok else 1)


def _set_aside_notices(session: RunSession, workflow: Workflow) -> Callable[[SetAside], object]:
    notifier = session.notifier
    return set_aside_notices(notifier, workflow) if notifier is not None else lambda item: None


def _print_resume(batch: BatchOutcome) -> None:
    """What a resumed batch did with rows an earlier, interrupted command had started."""
    done = [i for i in batch.skipped if i not in batch.verified and i not in batch.unsure]
    if done:
        typer.echo(f"skipped rows already done: {', '.join(str(i + 1) for i in done)}")
    if batch.verified:
        typer.echo(
            "rows an interrupted run had already done (verify: found them): "
            + ", ".join(str(i + 1) for i in batch.verified)
        )
    for item in batch.set_aside:
        typer.echo(f"row {item.row + 1} set aside for a person: {item.reason}", err=True)
    for row in batch.unchecked:
        typer.echo(f"row {row + 1}: stopped while verify: was checking it; run the same command again", err=True)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
