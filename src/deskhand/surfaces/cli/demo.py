"""`deskhand demo`: the main job, end to end, offline, on a virtual desktop of its own.

A bundled web CRM is served on loopback and opened in Chromium; the contacts of a bundled CSV are entered
one by one through its form (a workflow run once per row, no model); a summary is typed into mousepad and
saved through its own dialog. Then the demo checks its own result: the CRM's records and the saved file.
"""

from __future__ import annotations

import json
import time
from importlib import resources
from pathlib import Path
from typing import Any

import typer

from deskhand.app.session import open_run_session
from deskhand.runner.batch import run_batch
from deskhand.runs.home import deskhand_home
from deskhand.workflows.inputs import coerce_inputs, coerce_rows, load_rows
from deskhand.workflows.parse import load_workflow


def _demo_files(work: Path) -> tuple[Path, Path, Path]:
    """Copy the bundled workflows and CSV to a folder of ours, so their lock files can live beside them."""
    work.mkdir(parents=True, exist_ok=True)
    package = resources.files("deskhand.demo")
    copies = []
    for name in ("workflows/add-contact.md", "workflows/write-summary.md", "contacts.csv"):
        target = work / Path(name).name
        source = package.joinpath(name)
        if not target.exists() or target.read_bytes() != source.read_bytes():
            target.write_bytes(source.read_bytes())
            target.with_suffix(".lock").unlink(missing_ok=True)
        copies.append(target)
    return copies[0], copies[1], copies[2]


def demo(
    as_json: bool = typer.Option(False, "--json", help="Print the demo's result object."),
    timeout: float = typer.Option(15.0, help="Seconds to wait for each element."),
) -> None:
    """Enter contacts from a CSV into a web CRM through Chromium, then save a summary with mousepad."""
    from deskhand.demo.server import CrmServer  # the bundled CRM is only needed here
    from deskhand.demo.verify import record_problems

    started = time.monotonic()
    work = deskhand_home() / "demo"
    add_contact, write_summary, contacts_csv = _demo_files(work)
    summary_path = work / "summary.txt"
    summary_path.unlink(missing_ok=True)
    add_wf = load_workflow(add_contact, allow_free_form=False)
    summary_wf = load_workflow(write_summary, allow_free_form=False)
    result: dict[str, Any] = {"status": "failed", "checks": {}}
    with CrmServer() as crm:
        rows = coerce_rows(add_wf, [{**row, "crm_url": crm.url} for row in load_rows(contacts_csv)], contacts_csv)
        if not as_json:
            typer.echo(f"deskhand demo: a virtual desktop, the CRM at {crm.url}, {len(rows)} contacts to enter")
        with open_run_session("virtual", timeout=timeout) as session:

            def on_row(index: int, outcome: Any) -> None:
                if not as_json and outcome is not None:
                    typer.echo(f"  contact {index + 1}/{len(rows)}: {rows[index].get('name')} — {outcome.status}")

            batch = run_batch(session.runner, session.store, add_wf, rows, on_row=on_row)
            for outcome in batch.runs:
                outcome.report = session.report(outcome.run_id)
            result["batch"] = batch.to_json()
            records = crm.records()
            names = [c.name for c in records]
            problems = record_problems(records, load_rows(contacts_csv))
            result["checks"]["crm_records"] = not problems
            result["problems"] = problems
            summary = f"deskhand demo: entered {len(names)} contacts into the CRM: " + ", ".join(names) + "."
            final = None
            if batch.ok:
                inputs = coerce_inputs(summary_wf, {"summary": summary, "path": str(summary_path)})
                final = session.runner.run(summary_wf, inputs)
                final.report = session.report(final.run_id)
                result["summary_run"] = final.to_json()
            saved = summary_path.read_text(encoding="utf-8").strip() if summary_path.exists() else ""
            result["checks"]["summary_file"] = saved == summary
    ok = batch.ok and final is not None and final.status == "succeeded" and all(result["checks"].values())
    result["status"] = "succeeded" if ok else "failed"
    result["seconds"] = round(time.monotonic() - started, 1)
    result["report"] = final.report if final is not None else (batch.runs[-1].report if batch.runs else "")
    if as_json:
        typer.echo(json.dumps(result, indent=1))
    else:
        for problem in result.get("problems", []):
            typer.echo(f"  CRM check: {problem}", err=True)
        verdict = "all checked" if ok else "CHECK FAILED: " + ", ".join(k for k, v in result["checks"].items() if not v)
        typer.echo(
            f"demo {result['status']}: {len(records)} contacts in the CRM, summary saved to {summary_path} "
            f"({verdict}) in {result['seconds']} s. Report: {result['report']}"
        )
    raise typer.Exit(0 if ok else 1)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
