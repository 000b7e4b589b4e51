"""`python -m deskhand.surfaces.mcp …`: the `deskhand mcp` command on its own (same options)."""

from __future__ import annotations

import typer

from deskhand.surfaces.cli.mcp import mcp


def main() -> None:
    typer.run(mcp)


if __name__ == "__main__":
    main()
