"""A stored run as the run object `deskhand run --json` prints (:class:`RunOutcome`), for the console's API.

The run store keeps each step's time in whole milliseconds, so ``ms`` here is what was stored; everything
else is the same data the runner returned: heals from the ``healed`` events, attempts from the ``attempt``
events, the error as recorded (scrubbed by the run's redactor when it was written).
"""

from __future__ import annotations

from deskhand.runner.run import RunOutcome, StepOutcome
from deskhand.runs.records import EventRecord, RunRecord


def _attempts(events: list[EventRecord]) -> int:
    tries = [int(event.data.get("attempt", 1)) for event in events if event.kind == "attempt"]
    # Each retried try is recorded before the next begins; the last try is the one after the last retry.
    retried = [event for event in events if event.kind == "attempt" and event.data.get("retry")]
    return max([*tries, len(retried) + 1, 1])


def outcome_of(run: RunRecord) -> RunOutcome:
    steps = []
    for step in run.steps:
        events = [event for event in run.events if event.step == step.n]
        steps.append(
            StepOutcome(
                n=step.n,
                sentence=step.sentence,
                status=step.status,
                ms=float(step.ms or 0),
                healed=step.healed,
                reason=step.reason,
                heals=[dict(event.data) for event in events if event.kind == "healed"],
                attempts=_attempts(events),
                read={str(e.data.get("name")): e.data.get("value") for e in events if e.kind == "read"},
            )
        )
    return RunOutcome(
        run_id=run.run_id,
        status=run.status,
        steps=steps,
        error=None if run.error is None else dict(run.error),
        model_calls=len(run.model_calls),
        input_tokens=run.input_tokens,
        output_tokens=run.output_tokens,
        report=str(run.report_path) if run.report_path else "",
        workflow=run.workflow_name,
        batch_id=run.batch_id,
        started_at=run.started_at,
        finished_at=run.finished_at,
    )
