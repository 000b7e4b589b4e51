"""Batches across machines: rows sent over a Celery broker (Redis) to `deskhand worker`s, each row run on one of
a worker's virtual desktops under the serial batch's exactly-once rules; the run store shared by the fleet is the
record (see docs/scale-out.md)."""
