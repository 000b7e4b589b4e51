"""The kill switch and the budgets of one run.

A stop is asked for by Ctrl-C (:meth:`KillSwitch.catch_sigint`), by ``deskhand stop [RUN]`` (a file
``<stop dir>/<run_id>`` newer than the switch; with no run id, one for each run running at that moment, so a
run that starts after the stop is not stopped), by ``deskhand fleet stop`` (a stop in the run store the fleet
shares, in force until lifted: ``fleet`` polls it) or in code (:meth:`KillSwitch.stop`).
The guard calls :meth:`KillSwitch.check` before every event and every read, so no input is sent once a
stop is asked for; the file check is one ``stat`` per name, cheap enough to do every time. The fleet's stop is
one query: asked before every input event (``fresh``), at most every FLEET_POLL_S for reads.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from deskhand.errors import BudgetExceeded, RunStopped

FLEET_POLL_S = 0.2


class KillSwitch:
    """``fleet``: why the fleet's stop is in force, or "" (RunStore.fleet_stop_reason)."""

    def __init__(self, stop_dir: Path | None = None, *, fleet: Callable[[], str] | None = None) -> None:
        self.stop_dir = stop_dir
        self.run_id = ""
        self._since = time.time()
        self._reason = ""
        self._flag = threading.Event()
        self._fleet = fleet
        self._fleet_said = ""
        self._fleet_asked = 0.0

    def watch_run(self, run_id: str) -> None:
        """Also obey ``deskhand stop RUN`` for this run id (stop files older than now are ignored)."""
        self.run_id = run_id

    def reset(self) -> None:
        """Ready for the next run: forget a stop already obeyed (stop files older than now are ignored)."""
        self._flag.clear()
        self._reason = ""
        self._since = time.time()

    def stop(self, reason: str = "Stopped on request.") -> None:
        self._reason = self._reason or reason
        self._flag.set()

    @property
    def requested(self) -> bool:
        return self._requested(fresh=False)

    def _requested(self, *, fresh: bool) -> bool:
        if self._flag.is_set():
            return True
        if self.stop_dir is not None and self._stop_file_seen():
            self.stop("Stopped by `deskhand stop`.")
            return True
        return bool(self._fleet_reason(fresh))

    def _fleet_reason(self, fresh: bool) -> str:
        """The fleet's stop holds while in force (not latched: lifted, the next run goes on)."""
        if self._fleet is None:
            return ""
        if fresh or time.monotonic() - self._fleet_asked >= FLEET_POLL_S:
            self._fleet_said = self._fleet()
            self._fleet_asked = time.monotonic()
        return self._fleet_said

    @property
    def reason(self) -> str:
        return self._reason or self._fleet_said

    def check(self, *, fresh: bool = False) -> None:
        """Raise RunStopped if a stop is asked for; ``fresh``: right before an input event, ask the fleet now."""
        if not self._requested(fresh=fresh):
            return
        if not self._flag.is_set() and self._fleet_said:
            raise RunStopped(
                self._fleet_said,
                hint="Nothing was sent after the stop. `deskhand fleet resume` lifts it; then run the same command "
                "again to go on (rows done are not run again).",
            )
        raise RunStopped(self._reason, hint="Nothing was sent after the stop; run the workflow again to go on.")

    def _stop_file_seen(self) -> bool:
        assert self.stop_dir is not None
        if not self.run_id:
            return False
        try:
            return (self.stop_dir / self.run_id).stat().st_mtime >= self._since - 1.0
        except OSError:
            return False

    def clear_stop_file(self) -> None:
        if self.stop_dir is not None and self.run_id:
            (self.stop_dir / self.run_id).unlink(missing_ok=True)

    @contextmanager
    def catch_sigint(self) -> Iterator[None]:
        """While inside: the first Ctrl-C asks for a stop; a second one interrupts at once, as usual."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return

        def on_sigint(signum: int, frame: FrameType | None) -> None:
            if self._flag.is_set():
                raise KeyboardInterrupt
            self.stop("Stopped by Ctrl-C.")

        previous = signal.signal(signal.SIGINT, on_sigint)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


def request_stop(stop_dir: Path, run_id: str) -> Path:
    """What ``deskhand stop`` does for one run: leave a stop file its guard polls."""
    stop_dir.mkdir(parents=True, exist_ok=True)
    path = stop_dir / run_id
    path.write_text(f"{time.time()}\n", encoding="utf-8")
    return path


@dataclass
class Budget:
    """Limits of one run; ``None`` is no limit. ``check`` raises when one is used up."""

    max_steps: int | None = None
    max_seconds: float | None = None
    max_spend_usd: float | None = None
    steps: int = 0
    spend_usd: float = 0.0
    started: float = field(default_factory=time.monotonic)

    def restart(self) -> None:
        self.steps, self.spend_usd, self.started = 0, 0.0, time.monotonic()

    def count_step(self) -> None:
        self.steps += 1

    def add_spend(self, usd: float) -> None:
        """Count a model call's cost; past the spend limit this raises BudgetExceeded at once, so the model's
        caller stops before the next paid call (waiting for the next input event would let a model that only
        looks keep spending)."""
        self.spend_usd += usd
        if self.max_spend_usd is not None and self.spend_usd > self.max_spend_usd:
            self.check()

    def exhausted(self) -> str:
        """Why the run must stop, or "" while there is budget left."""
        if self.max_steps is not None and self.steps > self.max_steps:
            return f"The run reached its limit of {self.max_steps} steps."
        if self.max_seconds is not None and time.monotonic() - self.started > self.max_seconds:
            return f"The run reached its time limit of {self.max_seconds:g} s."
        if self.max_spend_usd is not None and self.spend_usd > self.max_spend_usd:
            return f"The run reached its spend limit of ${self.max_spend_usd:g}."
        return ""

    def check(self) -> None:
        reason = self.exhausted()
        if not reason:
            return
        hint = "Raise the limit under limits: in the front matter if the workflow needs more."
        if "spend" in reason:
            raise BudgetExceeded(reason, hint=hint)
        raise RunStopped(reason, hint=hint)
