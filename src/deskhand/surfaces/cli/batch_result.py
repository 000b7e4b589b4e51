"""The result of a batch spread over desktops, for people: `--parallel N` and `--broker` print it alike from the
JSON their outcomes give (every run with its error, the rows skipped, verified, set aside, failed where, and
what is left to resume)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, Protocol, TypeVar

import typer


class BatchOutcome(Protocol):
    """What a batch spread over desktops ends with: `--parallel`'s and `--broker`'s outcomes."""

    @property
    def ok(self) -> bool: ...

    def to_json(self) -> dict[str, Any]: ...


Outcome = TypeVar("Outcome", bound=BatchOutcome)


def end_batch(outcome: Outcome, *, as_json: bool, print_for_people: Callable[[Outcome], None]) -> NoReturn:
    """Print the batch's outcome (with ``as_json`` its JSON alone on stdout) and exit: 0 when ``ok``, else 1."""
    if as_json:
        typer.echo(json.dumps(outcome.to_json(), indent=1))
    else:
        print_for_people(outcome)
    raise typer.Exit(0 if outcome.ok else 1)


def print_batch_result(result: Mapping[str, Any], *, ended: Sequence[str] = (), footer: str) -> None:
    """``ended``: lines about desktops that ended before their result (a `--parallel` worker that was killed)."""
    for run in result["runs"]:
        typer.echo(f"run {run['run_id']}: {run['status']} — report: {run['report']}")
        if run.get("error"):
            typer.echo(f"  {run['error'].get('message', '')}", err=True)
    decided = set(result["verified_rows"]) | set(result["unsure_rows"])
    skipped = [i for i in result["skipped_rows"] if i not in decided]
    if skipped:
        typer.echo(f"skipped rows already done: {_rows(skipped)}")
    if result["verified_rows"]:
        typer.echo(f"rows an interrupted run had already done (verify: found them): {_rows(result['verified_rows'])}")
    for item in result["set_aside"]:
        typer.echo(f"row {item['row'] + 1} set aside for a person: {item['reason']}", err=True)
    failed = result.get("failed_rows") or []
    for item in failed:
        typer.echo(f"row {item['row'] + 1} failed on {item['machine'] or 'a worker'}: {item['reason']}", err=True)
    for line in ended:
        typer.echo(line, err=True)
    left = sorted(set(result["unfinished_rows"]) | {item["row"] for item in failed})
    if left:
        typer.echo(f"rows not done: {_rows(left)} — run the same command again to resume.", err=True)
    typer.echo(footer)


def _rows(indexes: Sequence[int]) -> str:
    return ", ".join(str(i + 1) for i in indexes)
