"""What `deskhand serve` runs beside the console in one process: the hook for the scheduler.

A :class:`ConsoleService` is started when the console starts and stopped when it stops (Starlette's
lifespan). One that also offers ``schedules()`` fills the console's ``/schedules`` page: each item is any
object (or mapping) with the attributes of :class:`ScheduleView`. Services live in lower layers and need
not import this module: the protocols are structural.

`deskhand serve` gets its services from :func:`deskhand.surfaces.cli.serve.console_services`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class ConsoleService(Protocol):
    def start(self) -> None:
        """Begin (start a thread and return): called once before the console takes requests."""
        ...

    def stop(self) -> None:
        """End and wait for the work under way: called once when the console shuts down."""
        ...


class ScheduleView(Protocol):
    """One line of the schedules page. Times are ISO 8601 text (or "" when there is none)."""

    @property
    def workflow(self) -> str: ...  # the workflow's name or path
    @property
    def when(self) -> str: ...  # the schedule as written: "every weekday at 9:00", "0 9 * * 1-5"
    @property
    def next_run(self) -> str: ...
    @property
    def last_run(self) -> str: ...
    @property
    def last_status(self) -> str: ...  # the last run's status, "" if it never ran
    @property
    def last_run_id(self) -> str: ...  # links to the run's page when given
    @property
    def missed(self) -> Sequence[str]: ...  # runs missed (machine off, console down), each a time
    @property
    def note(self) -> str: ...  # what was done about a miss, or why it is paused


@runtime_checkable
class SchedulesProvider(Protocol):
    def schedules(self) -> Sequence[ScheduleView]: ...
