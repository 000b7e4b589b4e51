from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deskhand.errors import DeskhandError
from deskhand.runs.audit import ZERO_HASH, AuditLog, entry_hash


@pytest.fixture
def log(tmp_path: Path) -> AuditLog:
    log = AuditLog(tmp_path / "audit.jsonl")
    for n in range(1, 6):
        log.append("r-1", n, "click", {"role": "button", "name": f"B{n}"}, None)
    return log


def _lines(log: AuditLog) -> list[str]:
    return log.path.read_text().splitlines(keepends=True)


def _write(log: AuditLog, lines: list[str]) -> None:
    log.path.write_text("".join(lines))


def test_entries_chain_and_verify(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    assert log.verify().to_json() == {"ok": True, "entries": 0, "first_bad": None}
    moment = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    first = log.append("r-1", 1, "type", {"role": "text", "name": "Name"}, "•••", moment)
    second = log.append("r-1", 2, "click", {"role": "button", "name": "OK"}, None)
    assert (first.seq, first.prev, first.time) == (1, ZERO_HASH, "2026-11-25T12:00:00.000000+00:00")
    assert (second.seq, second.prev) == (2, first.hash)
    assert first.hash == entry_hash(json.loads(log.path.read_text().splitlines()[0]))
    assert log.verify().to_json() == {"ok": True, "entries": 2, "first_bad": None}
    assert [entry["seq"] for entry in log.tail(1)] == [2]


def test_an_edit_is_found_where_it_was_made(log: AuditLog) -> None:
    lines = _lines(log)
    lines[2] = lines[2].replace('"B3"', '"Delete everything"')
    _write(log, lines)
    report = log.verify()
    assert (report.ok, report.entries, report.first_bad) == (False, 5, 3)
    assert "changed" in report.reason


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(log: AuditLog) -> None:
    lines = _lines(log)
    forged = json.loads(lines[1])
    forged["action"] = "delete"
    forged["hash"] = entry_hash(forged)
    lines[1] = json.dumps(forged) + "\n"
    _write(log, lines)
    assert log.verify().first_bad == 3


def test_a_removal_is_found(log: AuditLog) -> None:
    lines = _lines(log)
    del lines[1]
    _write(log, lines)
    assert log.verify().to_json() == {"ok": False, "entries": 4, "first_bad": 2}


def test_cutting_off_the_newest_entry_is_found(log: AuditLog) -> None:
    _write(log, _lines(log)[:-1])
    assert log.verify().to_json() == {"ok": False, "entries": 4, "first_bad": 5}


def test_reordering_is_found(log: AuditLog) -> None:
    lines = _lines(log)
    lines[3], lines[1] = lines[1], lines[3]
    _write(log, lines)
    assert log.verify().first_bad == 2


def test_an_insertion_is_found(log: AuditLog) -> None:
    lines = _lines(log)
    lines.insert(3, lines[0])
    _write(log, lines)
    assert log.verify().to_json() == {"ok": False, "entries": 6, "first_bad": 4}


def test_a_forged_entry_that_fits_the_chain_breaks_the_one_after(log: AuditLog) -> None:
    lines = _lines(log)
    previous = json.loads(lines[1])
    forged = dict(previous, seq=3, action="approve", prev=previous["hash"])
    forged["hash"] = entry_hash(forged)
    lines.insert(2, json.dumps(forged) + "\n")
    _write(log, lines)
    assert log.verify().first_bad == 4


def test_appending_after_a_broken_last_line_is_refused(log: AuditLog) -> None:
    log.path.write_text(log.path.read_text() + "not json\n")
    with pytest.raises(DeskhandError) as caught:
        log.append("r-1", 9, "click", {}, None)
    assert "audit verify" in caught.value.hint


_APPENDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from deskhand.runs.audit import AuditLog

    log = AuditLog(Path(sys.argv[1]))
    for n in range(40):
        log.append(sys.argv[2], n, "click", {"name": "x" * 50}, None)
    """
)


def test_several_processes_can_append_at_once(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    writers = [subprocess.Popen([sys.executable, "-c", _APPENDER, str(path), f"r-{n}"]) for n in range(4)]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0, 0, 0]
    assert AuditLog(path).verify().to_json() == {"ok": True, "entries": 160, "first_bad": None}
