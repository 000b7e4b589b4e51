"""`deskhand record OUT.md`: watch a person do a task once and write it as a workflow."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from types import FrameType

import typer
from rich.console import Console
from rich.markup import escape
from rich.prompt import Confirm

from deskhand.app.compose import DesktopChoice
from deskhand.app.recording.session import record as record_session
from deskhand.app.recording.step import RecordedStep


def record(
    out: Path = typer.Argument(..., help="The workflow file to write (Markdown)."),
    app_names: list[str] = typer.Option([], "--app", help="Watch only this app (repeatable)."),
    desktop: str = typer.Option("current", "--desktop", help="current | virtual"),
    name: str = typer.Option("", "--name", help="The workflow's name (default: the file's name)."),
    inputs: str = typer.Option(
        "",
        "--inputs",
        help="name,email: what is typed into the fields with these labels becomes {name}, {email}. Without it,"
        " at a terminal, each typed value is offered as an input when the recording stops.",
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

    def on_notice(line: str) -> None:
        console.print(f"[yellow]{escape(line)}[/yellow]", soft_wrap=True)  # one line, whatever the width

    def ask_inputs(fields: list[RecordedStep]) -> list[str]:
        """At the end, at a terminal: each value typed may become an input (named by its field)."""
        chosen: list[str] = []
        for step in fields:
            question = f"Make {escape(repr(step.value))}, typed into {escape(repr(step.target))}, an input?"
            if Confirm.ask(question, console=console, default=False):
                chosen.append(step.target)
        return chosen

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
        on_notice=on_notice,
        ask_inputs=ask_inputs if sys.stdin.isatty() and not inputs else None,
    )
    if not result.steps:
        console.print(f"Nothing was recorded before the stop; wrote a partial recording to {out}.", soft_wrap=True)
        return
    partial = f" It is marked partial: {escape(result.partial)}" if result.partial else ""
    console.print(f"Wrote {len(result.steps)} steps to {out}.{partial}", soft_wrap=True)
    for secret in result.secrets:
        console.print(f"A password was typed: set it with `deskhand secret set {secret}` before running.")


def register(app: typer.Typer) -> None:
    app.command("record")(record)
