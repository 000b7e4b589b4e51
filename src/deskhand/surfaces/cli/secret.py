"""`deskhand secret set NAME | list | rm NAME`: secrets in the OS keyring, for `{secret:NAME}` in workflows."""

from __future__ import annotations

import sys

import typer

from deskhand.policy.secrets import SecretStore


def set_secret(
    name: str = typer.Argument(..., help="The secret's name, as in {secret:NAME}."),
    from_stdin: bool = typer.Option(False, "--stdin", help="Read the value from standard input (one line)."),
) -> None:
    """Store a secret in the OS keyring (asked for without echo; never given on the command line)."""
    if from_stdin:
        value = sys.stdin.readline().rstrip("\n")
    else:
        value = typer.prompt(f"Value of {name}", hide_input=True, confirmation_prompt=True)
    SecretStore().set(name, value)
    typer.echo(f"secret {name} stored in the keyring")


def list_secrets() -> None:
    """Names of the secrets stored through deskhand (never their values)."""
    names = SecretStore().names()
    for name in names:
        typer.echo(name)
    if not names:
        typer.echo("no secrets stored (set one with `deskhand secret set NAME`)", err=True)


def remove_secret(name: str = typer.Argument(..., help="The secret's name.")) -> None:
    """Delete a secret from the OS keyring."""
    SecretStore().delete(name)
    typer.echo(f"secret {name} removed")


def register(app: typer.Typer) -> None:
    secret_app = typer.Typer(name="secret", help="Secrets for {secret:NAME} in workflows.", no_args_is_help=True)
    secret_app.command("set")(set_secret)
    secret_app.command("list")(list_secrets)
    secret_app.command("rm")(remove_secret)
    app.add_typer(secret_app, name="secret")
