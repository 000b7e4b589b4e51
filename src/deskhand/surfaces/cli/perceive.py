"""`deskhand apps`, `deskhand inspect`, `deskhand do`: look at and poke the current desktop."""

from __future__ import annotations

import json
import shlex

import typer

from deskhand.app.compose import connect_current
from deskhand.errors import SelectorSyntaxError
from deskhand.locate.desktop import Desktop
from deskhand.policy.scrub import scrub_apps
from deskhand.policy.secrets import Redactor, SecretStore
from deskhand.runs.redaction import redact_data
from deskhand.tree.selector import Selector
from deskhand.tree.serialize import node_to_dict
from deskhand.tree.snapshot import RefTable, render

_VERBS = (
    "click",
    "double-click",
    "right-click",
    "focus",
    "fill",
    "type",
    "select",
    "check",
    "uncheck",
    "press",
    "read",
)


def apps(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the applications on the accessibility bus and their windows (secrets in titles masked)."""
    with connect_current() as desktop:
        found = scrub_apps(desktop.apps(), known_secrets())
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "name": a.name,
                        "pid": a.pid,
                        "toolkit": a.toolkit,
                        "windows": [{"title": w.title, "role": w.role, "active": w.active} for w in a.windows],
                    }
                    for a in found
                ],
                indent=1,
            )
        )
        return
    if not found:
        typer.echo("No applications on the accessibility bus. Start one with `deskhand desktop run -- APP`.")
    for app in found:
        typer.echo(f"{app.name}  (pid {app.pid}, {app.toolkit or 'unknown toolkit'})")
        for window in app.windows:
            typer.echo(f"  - {window.role} {window.title!r}{'  active' if window.active else ''}")


def inspect(
    app: str = typer.Argument(None, help="App name (or a window title); default: every app."),
    as_json: bool = typer.Option(False, "--json", help="The tree as nested JSON objects."),
) -> None:
    """Print an app's accessibility tree as the compact snapshot (with refs), or as JSON."""
    with connect_current() as desktop:
        names = [app] if app else [a.name for a in desktop.apps()]
        trees = [desktop.snapshot(name) for name in names]
    redactor = known_secrets()
    if as_json:
        data = redact_data([node_to_dict(tree) for tree in trees], redactor)
        typer.echo(json.dumps(data[0] if app else data, indent=1))
        return
    refs = RefTable()
    for tree in trees:
        typer.echo(redactor(render(tree, refs)))


def known_secrets() -> Redactor:
    """This command runs no workflow and types no secret, but a page may show one another run typed."""
    return Redactor.of_known_secrets(SecretStore())


def _split_command(command: str) -> tuple[str, str, str]:
    """`fill role=textbox[label="Name"] "Ada"` → (verb, selector text, value)."""
    verb, _, rest = command.strip().partition(" ")
    verb = verb.lower()
    if verb not in _VERBS:
        raise SelectorSyntaxError(f"Unknown action {verb!r}.", hint="Actions: " + ", ".join(_VERBS))
    rest = rest.strip()
    if verb == "press":
        return verb, "", rest
    depth, quote, end = 0, "", len(rest)
    for i, char in enumerate(rest):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char.isspace() and depth == 0 and rest[i:].strip()[:2] != ">>" and rest[:i].rstrip()[-2:] != ">>":
            end = i
            break
    value = rest[end:].strip()
    if value:
        value = " ".join(shlex.split(value))
    return verb, rest[:end], value


def do(
    app: str = typer.Argument(..., help="App name (or window title)."),
    command: str = typer.Argument(..., help="e.g. 'click role=button[name=\"OK\"]' or 'fill label=\"Name\" Ada'"),
    timeout: float = typer.Option(5.0, help="Seconds to wait for the element."),
) -> None:
    """Do one action on the current desktop: click, fill, select, check, press, read…"""
    verb, selector_text, value = _split_command(command)
    with connect_current(timeout=timeout) as desktop:
        _perform(desktop, app, verb, selector_text, value)


def _perform(desktop: Desktop, app: str, verb: str, selector_text: str, value: str) -> None:
    scope = desktop.app(app)
    if verb == "press" and not selector_text:
        desktop.press(value)
        typer.echo(f"pressed {value}")
        return
    target = scope.locator(Selector.parse(selector_text))
    if verb == "click":
        target.click()
    elif verb == "double-click":
        target.double_click()
    elif verb == "right-click":
        target.right_click()
    elif verb == "focus":
        target.focus()
    elif verb == "fill":
        target.fill(value)
    elif verb == "type":
        target.type(value)
    elif verb == "select":
        target.select_option(value)
    elif verb == "check":
        target.check()
    elif verb == "uncheck":
        target.uncheck()
    elif verb == "read":
        typer.echo(target.text())
        return
    typer.echo(f"{verb} {target.describe()}: done")


def register(app: typer.Typer) -> None:
    app.command("apps")(apps)
    app.command("inspect")(inspect)
    app.command("do")(do)
