"""Rows of benchmarks/peers.py: one measure, deskhand's median against a peer's, and how to print them."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Row:
    measure: str
    deskhand_ms: float
    peer: str
    peer_ms: float | None
    nodes_deskhand: int | None = None
    nodes_peer: int | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return round(self.deskhand_ms / self.peer_ms, 2) if self.peer_ms else None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio}


def median_ms(times: list[float]) -> float:
    return round(statistics.median(times), 2)


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def interleaved(
    rounds: int,
    ours: Callable[[int], object],
    theirs: Callable[[int], object],
    before: Callable[[], object] | None = None,
) -> tuple[float, float]:
    """Medians of ``ours`` and ``theirs``, run in alternating order so neither always goes first;
    ``before`` (not timed) runs before each of them."""
    mine: list[float] = []
    peer: list[float] = []
    for run in range(rounds):
        first, second = ((ours, mine), (theirs, peer)) if run % 2 == 0 else ((theirs, peer), (ours, mine))
        for work, times in (first, second):
            if before is not None:
                before()
            times.append(timed(lambda work=work, run=run: work(run)))  # type: ignore[misc]
    return median_ms(mine), median_ms(peer)


def print_table(report: dict[str, Any]) -> None:
    print(f"cpus: {report['cpu_count']}, rounds per row: {report['rounds']} (medians, interleaved)")
    header = f"{'measure':<44}{'deskhand ms':>12}  {'peer':<34}{'peer ms':>9}{'ratio':>7}{'nodes':>14}"
    print(header)
    print("-" * len(header))
    for row in report["rows"]:
        peer_ms = "-" if row["peer_ms"] is None else f"{row['peer_ms']:.1f}"
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
        nodes = "" if row["nodes_deskhand"] is None else f"{row['nodes_deskhand']}/{row['nodes_peer'] or '-'}"
        print(f"{row['measure']:<44}{row['deskhand_ms']:>12.1f}  {row['peer']:<34}{peer_ms:>9}{ratio:>7}{nodes:>14}")
        if row["note"]:
            print(f"    {row['note']}")
