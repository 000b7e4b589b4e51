"""`deskhand mcp`: serve deskhand's tools to an MCP client (Claude Desktop, Claude Code, Cursor…)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from deskhand.errors import InputError
from deskhand.surfaces.mcp.auth import load_or_create_token, token_path
from deskhand.surfaces.mcp.policy import describe_policy, session_policy

_DESKTOPS = ("auto", "current", "virtual")


def mcp(
    apps: list[str] = typer.Option([], "--apps", help="Apps the client may use (repeat or comma-separate)."),
    sites: list[str] = typer.Option([], "--sites", help="Sites the browser may open (host names)."),
    secrets: list[str] = typer.Option([], "--secrets", help="Secrets fill may type as {secret:name}."),
    policy_file: Path = typer.Option(None, "--policy", help="A YAML file with apps:, sites:, secrets: lists."),
    transport: str = typer.Option("stdio", "--transport", help="stdio | http (streamable HTTP)."),
    host: str = typer.Option("127.0.0.1", "--host", help="HTTP: the address to bind (keep it local)."),
    port: int = typer.Option(8765, "--port", help="HTTP: the port."),
    desktop: str = typer.Option("auto", "--desktop", help="current | virtual (default: current if set)."),
    workflows: list[Path] = typer.Option(
        [], "--workflows", help="A folder of workflows the client may list and run (repeat; default: here)."
    ),
    timeout: float = typer.Option(10.0, "--timeout", help="Seconds to wait for elements and apps."),
    approval_timeout: float = typer.Option(
        60.0, "--approval-timeout", help="Seconds an approval waits in the queue without elicitation (0: refuse)."
    ),
) -> None:
    """Serve deskhand over MCP. Default deny: only --apps / --sites (or --policy) can be used."""
    # Imported here: the MCP SDK takes seconds to import, which every other command (each `deskhand run`,
    # each scheduled run) would pay for nothing.
    from deskhand.surfaces.mcp.server import McpOptions, open_mcp, serve_http, serve_stdio

    if transport not in ("stdio", "http"):
        raise InputError(f"Unknown transport {transport!r}.", hint="Use --transport stdio or --transport http.")
    if desktop not in _DESKTOPS:
        raise InputError(f"Unknown desktop {desktop!r}.", hint="Use --desktop current or --desktop virtual.")
    policy = session_policy(apps, sites, secrets, policy_file)
    options = McpOptions(
        policy=policy,
        desktop="current" if desktop == "current" else "virtual" if desktop == "virtual" else "auto",
        workflows=tuple(folder.expanduser().resolve() for folder in workflows or [Path()]),
        timeout=timeout,
        approval_timeout=approval_timeout,
    )
    token = ""
    if transport == "http":
        token, made = load_or_create_token()
        if made:
            typer.echo(f"deskhand mcp: new bearer token (saved in {token_path()}): {token}", err=True)
    if not policy.apps and not policy.sites:
        typer.echo("deskhand mcp: no --apps or --sites given; every action will be refused.", err=True)
    with open_mcp(options) as runtime:
        # stdout belongs to the protocol on stdio; people read stderr.
        print(f"deskhand mcp: serving ({describe_policy(policy)}), run {runtime.session.run_id}", file=sys.stderr)
        if transport == "stdio":
            serve_stdio(runtime)
        else:
            print(f"deskhand mcp: http://{host}:{port}/mcp (Authorization: Bearer <token>)", file=sys.stderr)
            serve_http(runtime, host=host, port=port, token=token)


def register(app: typer.Typer) -> None:
    app.command("mcp")(mcp)
