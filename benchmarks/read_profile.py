"""Where an AT-SPI-only read of Chromium's page goes: the figures docs/perception-decisions.md explains the shape
path with, printed by ``python benchmarks/shape_ab.py --profile`` on the same page in the same run.

- calls per read, by member, for each path (the shipped shape path by ``Collection.GetTree``, its GetMatches
  listing fallback, and the level-by-level walk), and the number of pipelined batches;
- wall time and CPU per call: deskhand's process (``time.process_time``, every thread) and Chromium's (every
  process of the browser, from psutil), each over the read's calls;
- ``Collection.GetTree`` (every node with its name, child count, description and id: the shape path's one
  call) and ``Collection.GetMatches`` listing every node (the fallback's): median and range;
- the same call asking for one role at a time (the roles "in bulk" idea), eight common roles, against one
  ``GetRole`` per node pipelined (what the read does);
- how many items Chromium's ``Cache.GetItems`` holds, and how many of the page's nodes are SHOWING against the
  ``GetExtents`` calls a read makes.

Calls are counted by wrapping ``Channel.call`` and ``Channel.call_many`` in this process only.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psutil

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi import reader, shape
from deskhand.backends.atspi.backend import AtspiBackend
from deskhand.backends.atspi.bus import CallSpec, Channel
from deskhand.backends.atspi.refs import split_ref

_ANY = 2  # AtspiCollectionMatchType ANY
_ALL = 1
_CANONICAL = 1
# Roles people's locators ask for most (numbers from AT-SPI's AtspiRole).
ROLES = {
    "link": 88,
    "push button": 43,
    "entry": 79,
    "check box": 7,
    "combo box": 11,
    "heading": 83,
    "table cell": 56,
    "section": 85,
}


@contextmanager
def counting_calls() -> Iterator[tuple[Counter[str], list[int]]]:
    """Count every call this process makes to an app, by member, and the pipelined batches."""
    members: Counter[str] = Counter()
    batches = [0]
    one, many = Channel.call, Channel.call_many

    async def call(self: Channel, path: str, interface: str, member: str, *args: Any, **kw: Any) -> list[Any]:
        members[member] += 1
        return await one(self, path, interface, member, *args, **kw)

    async def call_many(self: Channel, calls: Sequence[CallSpec], **kw: Any) -> list[Any]:
        batches[0] += 1
        members.update(spec[2] for spec in calls)
        return await many(self, calls, **kw)

    Channel.call, Channel.call_many = call, call_many  # type: ignore[method-assign]
    try:
        yield members, batches
    finally:
        Channel.call, Channel.call_many = one, many  # type: ignore[method-assign]


def _browser_cpu_s(pid: int) -> float:
    processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


PATHS = ("shape", "listing", "walk")


def profile_read(backend: AtspiBackend, ref: str, browser_pid: int, path: str) -> dict[str, Any]:
    """One whole read (``invalidate()`` first) by ``path`` (one of PATHS), with its calls counted."""
    rule, tree_read = reader.reads_shape_in_one_call, reader.read_tree
    reader.reads_shape_in_one_call = rule if path != "walk" else (lambda toolkit: False)  # type: ignore[assignment]
    reader.read_tree = tree_read if path == "shape" else _refused  # type: ignore[assignment]
    try:
        backend.invalidate(ref)
        with counting_calls() as (members, batches):
            cpu, browser_cpu = time.process_time(), _browser_cpu_s(browser_pid)
            began = time.perf_counter()
            root = backend.snapshot(ref)
            wall_ms = (time.perf_counter() - began) * 1000
            cpu_ms = (time.process_time() - cpu) * 1000
            browser_ms = (_browser_cpu_s(browser_pid) - browser_cpu) * 1000
    finally:
        reader.reads_shape_in_one_call, reader.read_tree = rule, tree_read  # type: ignore[assignment]
    nodes = list(root.walk())
    calls = sum(members.values())
    return {
        "path": path,
        "nodes": len(nodes),
        "showing": sum(1 for n in nodes if "showing" in n.states),
        "calls": calls,
        "calls_per_node": round(calls / len(nodes), 1),
        "batches": batches[0],
        "by_member": dict(members.most_common()),
        "wall_ms": round(wall_ms, 1),
        "wall_us_per_call": round(wall_ms * 1000 / calls, 1),
        "deskhand_cpu_ms": round(cpu_ms, 1),
        "deskhand_cpu_us_per_call": round(cpu_ms * 1000 / calls, 1),
        "chromium_cpu_ms": round(browser_ms, 1),
        "chromium_cpu_us_per_call": round(browser_ms * 1000 / calls, 1),
    }


def _timed(backend: AtspiBackend, runs: int, once: Callable[[], Any]) -> tuple[list[float], Any]:
    times: list[float] = []
    answer: Any = None
    for _ in range(runs):
        began = time.perf_counter()
        answer = backend.run(once())
        times.append((time.perf_counter() - began) * 1000)
    return times, answer


def _spread(times: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
    }


def profile_queries(backend: AtspiBackend, ref: str, runs: int) -> dict[str, Any]:
    """GetMatches for every node, GetMatches per role, GetRole per node, and the bulk cache's size."""
    bus_name, _ = split_ref(ref)
    channel: Channel = backend.run(backend._channel(bus_name))

    def get_tree() -> Any:
        body = [[[0, 0], _ALL, {}, _ALL, [0, 0, 0, 0], _ALL, [], _ALL, False], shape.TREE_PROPERTIES]
        return channel.call(c.ROOT_PATH, c.I_COLLECTION, "GetTree", "(aiia{ss}iaiiasib)as", body, timeout=30)

    def matches(roles: list[int]) -> Callable[[], Any]:
        role_bits = [0, 0, 0, 0]
        for role in roles:
            role_bits[role // 32] |= 1 << (role % 32)
        rule = [[0, 0], _ALL, {}, _ALL, role_bits, _ANY if roles else _ALL, [], _ALL, False]
        body = [rule, _CANONICAL, 30_000, True]
        return lambda: channel.call(
            c.ROOT_PATH, c.I_COLLECTION, "GetMatches", "(aiia{ss}iaiiasib)uib", body, timeout=30
        )

    tree_times, (tree,) = _timed(backend, runs, get_tree)
    every, (found,) = _timed(backend, runs, matches([]))
    paths = [str(path) for _, path in found]
    per_role: dict[str, Any] = {}
    for name, number in ROLES.items():
        times, (hits,) = _timed(backend, runs, matches([number]))
        per_role[name] = {**_spread(times), "matches": len(hits)}
    get_role = [(path, c.I_ACCESSIBLE, "GetRole", "", []) for path in paths]
    role_calls, _ = _timed(backend, runs, lambda: channel.call_many(get_role, timeout=30))
    (items,) = backend.run(channel.call(c.CACHE_PATH, c.I_CACHE, "GetItems", timeout=30))
    role_sum = sum(row["median_ms"] for row in per_role.values())
    return {
        "gettree": {**_spread(tree_times), "nodes": len(tree), "properties": shape.TREE_PROPERTIES},
        "getmatches_all": {**_spread(every), "nodes": len(paths)},
        "getmatches_per_role": per_role,
        "getmatches_roles_sum_ms": round(role_sum, 1),
        "getrole_per_node": {**_spread(role_calls), "calls": len(paths)},
        "cache_items": len(items),
    }


def print_profile(reads: list[dict[str, Any]], queries: dict[str, Any]) -> None:
    print("\nwhere a read goes (one read each way, calls counted in this process):")
    for row in reads:
        members = ", ".join(f"{name} {count}" for name, count in row["by_member"].items())
        print(
            f"  {row['path']:<6} {row['wall_ms']:>8.1f} ms  {row['calls']:>6} calls ({row['calls_per_node']}/node, "
            f"{row['nodes']} nodes, {row['showing']} showing) in {row['batches']} batches; "
            f"wall {row['wall_us_per_call']} us/call; CPU deskhand {row['deskhand_cpu_ms']} ms "
            f"({row['deskhand_cpu_us_per_call']} us/call), Chromium {row['chromium_cpu_ms']} ms "
            f"({row['chromium_cpu_us_per_call']} us/call)"
        )
        print(f"         {members}")
    tree = queries["gettree"]
    print(
        f"Collection.GetTree ({', '.join(tree['properties'])}): {tree['median_ms']} ms median "
        f"({tree['min_ms']}-{tree['max_ms']}), {tree['nodes']} nodes"
    )
    every = queries["getmatches_all"]
    print(
        f"Collection.GetMatches, every node: {every['median_ms']} ms median ({every['min_ms']}-{every['max_ms']}), "
        f"{every['nodes']} nodes"
    )
    for name, row in queries["getmatches_per_role"].items():
        spread = f"({row['min_ms']}-{row['max_ms']})"
        print(f"  one role, {name:<12} {row['median_ms']:>7.1f} ms {spread}, {row['matches']} matches")
    role = queries["getrole_per_node"]
    print(
        f"  eight role queries together: {queries['getmatches_roles_sum_ms']} ms; one GetRole per node pipelined: "
        f"{role['median_ms']} ms ({role['calls']} calls)"
    )
    print(f"Cache.GetItems holds {queries['cache_items']} items")


async def _refused(tree: object) -> None:
    return None
