"""An append-only, hash-chained audit log of every action deskhand performs (``<home>/audit.jsonl``).

Each line is one entry: ``seq``, ``time``, ``run_id``, ``step``, ``action``, ``target``, ``value`` (already
redacted), ``prev`` (the previous entry's hash, or 64 zeros) and ``hash`` = sha256 of the entry's canonical
JSON without ``hash``. Editing, removing, inserting or reordering lines breaks the chain. A chain alone
cannot show that its last lines were cut off, so the newest ``seq`` and ``hash`` are also kept in a small
head file beside the log (``audit.jsonl.head``), which ``verify`` checks.

Several processes may append at once: an exclusive ``flock`` on the log covers reading the last hash,
writing the line, ``fsync`` and updating the head.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections import deque
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from deskhand.errors import AuditUnavailable, DeskhandError
from deskhand.runs.artifacts import write_atomically
from deskhand.runs.home import default_audit_path
from deskhand.runs.records import iso, utc_now

ZERO_HASH = "0" * 64
_VERIFY_HINT = "Run `deskhand audit verify` to see where the log was changed."


def canonical_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(fields: Mapping[str, Any]) -> str:
    """sha256 over the canonical JSON of an entry without its ``hash`` key."""
    body = {key: value for key, value in fields.items() if key != "hash"}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    time: str
    run_id: str
    step: int | None
    action: str
    target: dict[str, Any]
    value: str | None
    prev: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class AuditReport:
    """``first_bad`` is the 1-based number of the entry where the chain first breaks, else None."""

    ok: bool
    entries: int
    first_bad: int | None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "first_bad": self.first_bad}


def _last_line(descriptor: int) -> bytes | None:
    """The last non-empty line of a file, read backwards so appends stay cheap on a long log."""
    position = os.lseek(descriptor, 0, os.SEEK_END)
    buffer = b""
    while position > 0:
        size = min(8192, position)
        position -= size
        buffer = os.pread(descriptor, size, position) + buffer
        stripped = buffer.rstrip(b"\n")
        newline = stripped.rfind(b"\n")
        if newline >= 0:
            return stripped[newline + 1 :]
    return buffer.rstrip(b"\n") or None


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


class AuditLog:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_audit_path()
        self.head_path = self.path.with_name(self.path.name + ".head")

    @contextmanager
    def _locked(self, mode: int) -> Iterator[int]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            fcntl.flock(descriptor, mode)
            yield descriptor
        finally:
            os.close(descriptor)  # closing releases the lock

    def append(
        self,
        run_id: str,
        step: int | None,
        action: str,
        target: Mapping[str, Any],
        value_redacted: str | None,
        time: datetime | None = None,
    ) -> AuditEntry:
        """Add one entry at the end of the chain and return it; ``value_redacted`` must hold no secret.

        A log that cannot be written raises :class:`AuditUnavailable`: the caller must not act unaudited."""
        try:
            return self._append(run_id, step, action, target, value_redacted, time)
        except OSError as error:
            raise AuditUnavailable(
                f"The audit log {self.path} could not be written ({error.strerror or error}), so deskhand "
                f"refused to {action}.",
                hint=f"Make {self.path.parent} writable (or set DESKHAND_HOME to a writable folder) and run again.",
            ) from None

    def _append(
        self,
        run_id: str,
        step: int | None,
        action: str,
        target: Mapping[str, Any],
        value_redacted: str | None,
        time: datetime | None,
    ) -> AuditEntry:
        with self._locked(fcntl.LOCK_EX) as descriptor:
            last = _last_line(descriptor)
            seq, prev = 1, ZERO_HASH
            if last is not None:
                try:
                    previous = json.loads(last)
                    seq, prev = int(previous["seq"]) + 1, str(previous["hash"])
                except (ValueError, KeyError, TypeError) as error:
                    raise DeskhandError(
                        f"The last line of the audit log {self.path} is not an audit entry ({error}).",
                        hint=_VERIFY_HINT,
                    ) from error
            fields: dict[str, Any] = {
                "seq": seq,
                "time": iso(time or utc_now()),
                "run_id": run_id,
                "step": step,
                "action": action,
                "target": dict(target),
                "value": value_redacted,
                "prev": prev,
            }
            fields["hash"] = entry_hash(fields)
            _write_all(descriptor, (canonical_json(fields) + "\n").encode("utf-8"))
            os.fsync(descriptor)
            head = canonical_json({"seq": seq, "hash": fields["hash"]}).encode("utf-8")
            write_atomically(self.head_path, head)
        return AuditEntry(**fields)

    def tail(self, count: int = 20) -> list[dict[str, Any]]:
        """The last ``count`` entries as stored (unverified; lines that are not JSON are skipped)."""
        if not self.path.exists():
            return []
        lines: deque[str] = deque(maxlen=max(count, 0))
        with self._locked(fcntl.LOCK_SH), self.path.open(encoding="utf-8") as stream:
            lines.extend(line for line in stream if line.strip())
        entries = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue
        return entries

    def _read_head(self) -> tuple[int, str] | None:
        try:
            head = json.loads(self.head_path.read_text(encoding="utf-8"))
            return int(head["seq"]), str(head["hash"])
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return (-1, "")

    def verify(self) -> AuditReport:
        """Walk the chain from the first entry; report where it first breaks."""
        if not self.path.exists():
            return AuditReport(ok=True, entries=0, first_bad=None, reason="no audit log yet")
        with self._locked(fcntl.LOCK_SH), self.path.open(encoding="utf-8") as stream:
            head = self._read_head()
            lines = stream.read().splitlines()
        first_bad: int | None = None
        reason = ""
        expected_prev = ZERO_HASH
        hashes: list[str] = []
        for number, line in enumerate(lines, start=1):
            problem = _check_line(line, number, expected_prev)
            if problem:
                first_bad, reason = number, problem
                break
            expected_prev = json.loads(line)["hash"]
            hashes.append(expected_prev)
        if first_bad is None and head is not None:
            first_bad, reason = _check_head(head, hashes)
        return AuditReport(ok=first_bad is None, entries=len(lines), first_bad=first_bad, reason=reason)


def _check_line(line: str, number: int, expected_prev: str) -> str:
    """Why entry ``number`` breaks the chain, or "" when it holds."""
    try:
        fields = json.loads(line)
    except ValueError:
        return f"entry {number} is not JSON"
    if not isinstance(fields, dict) or "hash" not in fields:
        return f"entry {number} has no hash"
    if fields.get("seq") != number:
        return f"entry {number} carries seq {fields.get('seq')!r}"
    if fields.get("prev") != expected_prev:
        return f"entry {number} does not follow entry {number - 1}"
    if fields["hash"] != entry_hash(fields):
        return f"entry {number} was changed after it was written"
    return ""


def _check_head(head: tuple[int, str], hashes: list[str]) -> tuple[int | None, str]:
    seq, newest_hash = head
    if seq < 0:
        return len(hashes) + 1, "the head file is unreadable"
    if seq > len(hashes):
        return len(hashes) + 1, f"the log ends at entry {len(hashes)} but entry {seq} was written"
    if seq > 0 and hashes[seq - 1] != newest_hash:
        return seq, f"entry {seq} differs from the one recorded as newest"
    return None, ""
