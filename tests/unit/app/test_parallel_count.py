"""How many desktops `--parallel` starts (app/parallel.desktops_for), and the bad values it refuses."""

from __future__ import annotations

import os
from collections import namedtuple

import pytest

from deskhand.app import parallel
from deskhand.errors import InputError

Memory = namedtuple("Memory", "available")
GIB = 1024 * parallel.MIB


def test_a_number_is_capped_by_the_rows() -> None:
    assert parallel.desktops_for("3", 30) == 3
    assert parallel.desktops_for("8", 2) == 2


@pytest.mark.parametrize("spec", ["0", "-1", "two", "1.5"])
def test_a_bad_count_names_the_forms(spec: str) -> None:
    with pytest.raises(InputError, match="not a number of desktops") as error:
        parallel.desktops_for(spec, 10)
    assert "--parallel auto" in error.value.hint


def test_auto_is_the_least_of_cores_memory_and_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(parallel.psutil, "virtual_memory", lambda: Memory(8 * GIB))
    assert parallel.desktops_for("auto", 100) == 4  # cores
    assert parallel.desktops_for("auto", 3) == 3  # rows
    monkeypatch.setattr(parallel.psutil, "virtual_memory", lambda: Memory(2 * GIB))
    assert parallel.desktops_for("auto", 100) == 2  # (2 GiB - 512 MiB) // 768 MiB
    monkeypatch.setattr(parallel.psutil, "virtual_memory", lambda: Memory(GIB // 4))
    assert parallel.desktops_for("auto", 100) == 1  # never fewer than one
