"""The Celery app of a fleet, over Redis. Late acks (a row's message is acknowledged after the row, so a worker
that dies mid-row leaves it to be delivered again), one message at a time per desktop, JSON only, no result
backend (the run store is the record), and short connection timeouts so an unreachable broker is an error, not
a wait.

Redis has no connection-bound acknowledgements: a message a dead worker held comes back once it has been
unacknowledged for ``redeliver_after_s`` (kombu's visibility timeout), swept every 2 s by any live worker. A row
that outlives that time is delivered again while it still runs; its lease (fleet/leases.py) keeps the second
delivery waiting until the first has finished."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from deskhand.errors import FleetError

if TYPE_CHECKING:
    from celery import Celery

CONNECT_TIMEOUT_S = 3.0
DEFAULT_REDELIVER_S = 600.0
QUEUE = "deskhand-rows"


def broker_address(url: str) -> str:
    """``host:port`` of a ``redis://`` URL, for messages; FleetError for any other kind of URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise FleetError(
            f"{url!r} is not a Redis broker URL.",
            hint="Give --broker redis://HOST:6379/0 (the machine running redis-server, its port and database).",
        )
    return f"{parts.hostname}:{parts.port or 6379}"


def check_broker(url: str, *, machine: str) -> None:
    """FleetError naming host:port and the fix when the broker does not answer a PING within a few seconds."""
    import redis  # the client Celery's Redis transport uses; imported here, not at import time

    address = broker_address(url)
    client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT_S, socket_timeout=CONNECT_TIMEOUT_S)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        raise FleetError(
            f"{machine} cannot reach the broker at {address} ({url}): {error}.",
            hint=f"Start Redis on {address.rsplit(':', 1)[0]} (Debian: sudo apt-get install redis-server; sudo "
            "systemctl start redis-server; it listens on 127.0.0.1 only unless `bind` in /etc/redis/redis.conf "
            "says otherwise), or give the right --broker redis://HOST:6379/0.",
        ) from None
    finally:
        client.close()


def fleet_app(url: str, *, redeliver_after_s: float = DEFAULT_REDELIVER_S) -> Celery:
    from celery import Celery

    app = Celery("deskhand", broker=url, set_as_current=False)
    transport: dict[str, Any] = {
        "visibility_timeout": redeliver_after_s,
        "socket_connect_timeout": CONNECT_TIMEOUT_S,
        "unacked_restore_interval": 2,
        "unacked_restore_throttle": 1,
    }
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        task_default_queue=QUEUE,
        broker_transport_options=transport,
        broker_connection_timeout=CONNECT_TIMEOUT_S,
        broker_connection_retry_on_startup=False,
        broker_connection_max_retries=3,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        worker_send_task_events=False,
    )
    return app
