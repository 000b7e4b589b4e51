"""`deskhand worker --broker redis://… --desktops N`: N desktop processes, each its own virtual desktop (Xvfb,
session bus, AT-SPI bus, app profiles) and its own Celery worker (solo pool, one message at a time, late acks).
Processes, as for `--parallel`: a desktop's buses are named by environment variables, and a desktop that dies
takes only its own row with it, which the broker delivers again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any

from deskhand.app.fleet.beats import desktop_beats
from deskhand.app.fleet.broker import DEFAULT_REDELIVER_S, QUEUE, check_broker, fleet_app
from deskhand.app.fleet.lapsed import interrupt_lapsed_runs
from deskhand.app.fleet.leases import LEASE_S, RowLeases
from deskhand.app.fleet.message import TASK_NAME
from deskhand.app.fleet.progress import ProgressChannel
from deskhand.app.fleet.row_service import RowService
from deskhand.app.fleet.signing import fleet_key
from deskhand.app.session import open_run_session
from deskhand.runs.home import deskhand_home
from deskhand.runs.owner import this_host
from deskhand.runs.store import RunStore
from deskhand.runs.workers import HEARTBEAT_S, DesktopSlot


def machine_name() -> str:
    return this_host()


def serve_desktop(
    broker: str,
    slot: int,
    *,
    approve: str = "deny",
    timeout: float = 10.0,
    redeliver_after_s: float = DEFAULT_REDELIVER_S,
    lease_s: float = LEASE_S,
    say: Callable[[str], None],
) -> None:
    """One desktop: start it, then take rows from the broker until stopped (SIGTERM/SIGINT: after the row)."""
    host = machine_name()
    machine = f"{host}, desktop {slot} (pid {os.getpid()})"
    check_broker(broker, machine=f"Worker {machine}")
    key = fleet_key()
    app = fleet_app(broker, redeliver_after_s=redeliver_after_s)
    leases = RowLeases(broker, lease_s=lease_s)
    progress = ProgressChannel(broker)
    with (
        open_run_session("virtual", timeout=timeout, approve=approve, machine=machine) as session,
        desktop_beats(session.store, say=lambda line: say(f"[{machine}] {line}")),
    ):
        service = RowService(
            session,
            leases,
            key,
            machine,
            holder=f"{host}:{os.getpid()}:{slot}",
            workflows=deskhand_home() / "fleet" / "workflows",
            say=lambda line: say(f"[{machine}] {line}"),
        )

        def row(data: dict[str, Any], reply_to: str = "") -> dict[str, Any]:
            try:
                done = service.serve(data)
            except Exception as error:
                # Reported, and this desktop stops after acknowledging the message (a warm shutdown), so a broken
                # desktop or store does not fail row after row; the worker then stops its other desktops.
                done = service.failed(data, error)
                say(f"[{machine}] stopping: {error}")
                os.kill(os.getpid(), signal.SIGTERM)
            if reply_to:
                progress.tell(reply_to, done)
            return asdict(done)

        app.task(name=TASK_NAME, acks_late=True, reject_on_worker_lost=True)(row)
        say(f"[{machine}] serving rows from {broker}")
        app.worker_main(
            argv=[
                "--quiet",  # no banner per desktop: the line above says what this process serves
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=WARNING",
                "--without-mingle",
                "--without-gossip",
                f"--hostname=desktop{slot}.{os.getpid()}@{host}",
                f"--queues={QUEUE}",
            ]
        )
    leases.close()
    progress.close()


def run_worker(broker: str, desktops: int, desktop_args: Sequence[str], *, say: Callable[[str], None]) -> int:
    """Start ``desktops`` desktop processes and wait for them; a stop signal is passed on (each finishes its row)."""
    check_broker(broker, machine=f"Worker {machine_name()}")
    fleet_key()  # no key, no rows: say so now rather than once per desktop
    command = [sys.executable, "-m", "deskhand", "worker", "--broker", broker, *desktop_args]
    children = [subprocess.Popen([*command, "--desktop-slot", str(n)]) for n in range(1, desktops + 1)]

    def pass_on(signum: int, frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    signal.signal(signal.SIGTERM, pass_on)
    signal.signal(signal.SIGINT, pass_on)
    say(f"worker {machine_name()}: {desktops} desktop(s) taking rows from {broker}")
    name = f"{machine_name()}:{os.getpid()}"
    leases = RowLeases(broker)
    with RunStore() as store:  # the fleet's store: its console shows this worker and the run on each desktop
        beat = 0.0
        while all(child.poll() is None for child in children):
            if time.monotonic() - beat >= HEARTBEAT_S:
                beat = time.monotonic()
                runs = store.running_runs_of([child.pid for child in children])
                slots = [
                    DesktopSlot(n, "", runs.get(child.pid), child.pid) for n, child in enumerate(children, start=1)
                ]
                store.record_worker_heartbeat(name, slots, kind="celery")
                _decide_lapsed(store, leases, say)
            time.sleep(0.5)
        # One desktop ended on its own (it could not start, or was killed): stop the rest after their rows.
        pass_on(signal.SIGTERM, None)
        codes = [child.wait() for child in children]
        store.record_worker_stopped(name)
    leases.close()
    return max(codes) if any(codes) else 0


def _decide_lapsed(store: RunStore, leases: RowLeases, say: Callable[[str], None]) -> None:
    """Runs of any machine's desktops left running without their lease: interrupted (app/fleet/lapsed.py), so a
    dead machine's runs are decided while any worker of the fleet lives, before their rows come back."""
    import redis

    try:
        decided = interrupt_lapsed_runs(store, leases)
    except redis.exceptions.RedisError as error:  # the broker is slow or away: the next heartbeat looks again
        say(f"worker {machine_name()}: could not read the rows' leases: {error}")
        return
    for run_id in decided:
        say(f"worker {machine_name()}: run {run_id} lost its desktop's lease; marked interrupted")
