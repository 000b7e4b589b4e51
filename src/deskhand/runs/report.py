"""One self-contained HTML report per run: screenshots inlined, nothing fetched, everything escaped."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from deskhand.runs import artifacts
from deskhand.runs.records import RunRecord, StepRecord
from deskhand.runs.store import RunStore

TEMPLATE_NAME = "report.html.j2"


@dataclass(frozen=True, slots=True)
class StepView:
    """A step with its artifacts read back, as the template shows it."""

    record: StepRecord
    screenshot_uri: str | None
    snapshot_text: str | None


def _read_text(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    return path.read_text(encoding="utf-8", errors="replace")


def _data_uri(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def format_ms(ms: int | None) -> str:
    if ms is None:
        return "—"
    if ms < 1000:
        return f"{ms} ms"
    seconds = ms / 1000
    return f"{seconds:.1f} s" if seconds < 120 else f"{int(seconds // 60)} min {int(seconds % 60)} s"


def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("deskhand.runs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["duration"] = format_ms
    return environment


def render_report(run: RunRecord) -> str:
    """The report's HTML for ``run``."""
    steps = [StepView(step, _data_uri(step.screenshot_path), _read_text(step.snapshot_path)) for step in run.steps]
    error: dict[str, Any] | None = run.error
    candidates = [str(item) for item in (error or {}).get("candidates") or []]
    template = _environment().get_template(TEMPLATE_NAME)
    return template.render(run=run, steps=steps, error=error, candidates=candidates)


def write_report(store: RunStore, run_id: str) -> Path:
    """Write (or refresh) ``<artifacts>/<run_id>/report.html``, record its path and return it."""
    run = store.get_run(run_id)
    path = artifacts.report_path(store.artifacts_root, run_id)
    artifacts.write_atomically(path, render_report(run).encode("utf-8"))
    store.set_report_path(run_id, path)
    return path
