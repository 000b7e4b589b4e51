"""The `deskhand` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import importlib
import os
import sys
import traceback

import typer

from deskhand import __version__
from deskhand.errors import DeskhandError, InputError, SelectorSyntaxError, WorkflowError

app = typer.Typer(
    name="deskhand",
    help="Use apps, don't build apps: run plain-language workflows on real desktop applications.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# (module, attribute): a module exposes either a Typer sub-app (`group`) or a `register(app)` function.
_COMMAND_MODULES: tuple[str, ...] = (
    "demo",
    "desktop",
    "doctor",
    "perceive",
    "run",
    "runs",
    "audit",
    "secret",
    "stop",
    "approvals",
    "mcp",
    "fix",
    "heals",
    "notices",
    "serve",
    "schedule",
    "service",
    "record",
    "worker",
    "fleet",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"deskhand {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of errors."),
) -> None:
    if debug:
        os.environ["DESKHAND_DEBUG"] = "1"


def _register_commands() -> None:
    for module_name in _COMMAND_MODULES:
        module = importlib.import_module(f"deskhand.surfaces.cli.{module_name}")
        module.register(app)


def exit_code_for(error: DeskhandError) -> int:
    """2 for bad input (nothing was run), 1 for everything else."""
    return 2 if isinstance(error, WorkflowError | InputError | SelectorSyntaxError) else 1


def main(argv: list[str] | None = None) -> None:
    _register_commands()
    try:
        # Standalone mode: click prints usage errors and --help and exits with the command's code itself;
        # our own errors pass through it and are printed here as one line plus the hint.
        app(args=argv)
    except DeskhandError as error:
        if os.environ.get("DESKHAND_DEBUG"):
            traceback.print_exc()
        typer.echo(f"error: {error.message}", err=True)
        if error.hint:
            typer.echo(f"  hint: {error.hint}", err=True)
        sys.exit(exit_code_for(error))
    except KeyboardInterrupt:
        typer.echo("stopped.", err=True)
        sys.exit(130)
    except SystemExit as leaving:
        # Typer turns a Ctrl-C inside a command into a silent exit 130; say why the command ended.
        if leaving.code == 130 and _ended_by_interrupt(leaving):
            typer.echo("stopped.", err=True)
        raise


def _ended_by_interrupt(leaving: BaseException) -> bool:
    """Whether a KeyboardInterrupt is somewhere in the chain of exceptions that led to ``leaving``."""
    seen: set[int] = set()
    cause: BaseException | None = leaving
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False
