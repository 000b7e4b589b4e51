"""`deskhand record OUT.md`: watch a person do a task once and write it as a workflow."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

import typer
from rich.console import Console
from rich.markup import escape

from deskhand.app.compose import DesktopChoice
from deskhand.app.recording.session import record as record_session
from deskhand.app.recording.step import RecordedStep


def record(
    out: Path = typer.Argument(..., help="The workflow file to write (Markdown)."),
    app_names: list[str] = typer.Option([], "--app", help="Watch only this app (repeatable)."),
    desktop: str = typer.Option("current", "--desktop", help="current | virtual"),
    name: str = typer.Option("", "--name", help="The workflow's name (default: the file's name)."),
    inputs: str = typer.Option(
        "", "--inputs", help="name,email: what is typed into the fields with these labels becomes {name}, {email}."
    ),
) -> None:
    """Record what you do on the desktop until Ctrl-C, then write it in the step language."""
    if desktop not in ("current", "virtual"):
        raise typer.BadParameter("--desktop is current or virtual")
    console = Console(stderr=True, highlight=False)
    stop = threading.Event()
    count = 0

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    def on_step(step: RecordedStep) -> None:
        nonlocal count
        count += 1
        line = f"[bold]{count}.[/bold] {escape(step.sentence())}"
        console.print(line + (f"  [yellow]({escape(step.note)})[/yellow]" if step.note else ""))

    def on_ready(display: str) -> None:
        console.print(f"Recording on display {display or '(none)'}; press Ctrl-C to stop and write {out}.")

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    choice: DesktopChoice = "current" if desktop == "current" else "virtual"
    result = record_session(
        out,
        stop,
        apps=app_names,
        choice=choice,
        name=name,
        inputs=[n.strip() for n in inputs.split(",") if n.strip()],
        on_step=on_step,
        on_ready=on_ready,
    )
    if result.partial:
        console.print(f"Nothing was recorded before the stop; wrote a partial recording to {out}.")
        return
    console.print(f"Wrote {len(result.steps)} steps to {out}.")
    for secret in result.secrets:
        console.print(f"A password was typed: set it with `deskhand secret set {secret}` before running.")


def register(app: typer.Typer) -> None:
    app.command("record")(record)
