"""`deskhand doctor`: check that apps started from this shell can be seen over AT-SPI."""

from __future__ import annotations

import json

import typer

from deskhand.sandbox.doctor import all_ok, run_checks


def doctor(as_json: bool = typer.Option(False, "--json", help="Print the checks as JSON.")) -> None:
    """Check the display, the buses, accessibility settings and the programs deskhand needs."""
    checks = run_checks()
    ok = all_ok(checks)
    if as_json:
        data = {"ok": ok, "checks": [{"name": c.name, "ok": c.ok, "warning": c.warning, "fix": c.fix} for c in checks]}
        typer.echo(json.dumps(data))
    else:
        for check in checks:
            mark = "FAIL" if not check.ok else "warn" if check.warning else "ok  "
            line = f"{mark} {check.name}: {check.detail}"
            typer.echo(line if check.ok and not check.warning else f"{line} — fix: {check.fix}")
        typer.echo("All good." if ok else f"{sum(not c.ok for c in checks)} problem(s).")
    if not ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
