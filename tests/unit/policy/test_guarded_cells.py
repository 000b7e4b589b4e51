"""A sheet's cell read as shown through the guard (policy/guarded_tables.py): one guarded call, judged as a
read of the table, its mark judged like a focus — and audited — only where the cell is marked; an app
outside the policy is refused before anything is read or marked; the walk to the table is made once while
the kept tree stays the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deskhand.backends.fake import FakeBackend
from deskhand.errors import PolicyDenied
from deskhand.policy import kept_finds
from deskhand.policy.guard import Guard, GuardedBackend
from deskhand.policy.rules import Policy, StepPolicy
from deskhand.tree.node import Node

TABLE = ":1.9|/sheet"
STEP = StepPolicy(run_id="r-1", n=1, sentence='Read cell "K1" as total')


class Audit:
    def __init__(self) -> None:
        self.entries: list[tuple[str, Any]] = []

    def append(self, run_id: str, step: int | None, kind: str, target: Any, value: str | None) -> None:
        self.entries.append((kind, value))


class Calc(FakeBackend):
    """A kept tree holding a sheet table whose cells hold ``cells``; a mark offers the cell's shown text."""

    def __init__(self, cells: dict[tuple[int, int], tuple[str, str]]) -> None:
        table = Node(TABLE, "table", "Sheet1")
        super().__init__({"soffice": Node(":1.9|/root", "application", "soffice", children=(table,))})
        self.cells = cells

    def kept_app(self, ref: str) -> str | None:
        return ":1.9|/root" if ref in (TABLE, ":1.9|/root") else None

    def cell_as_shown(
        self, ref: str, cell: tuple[int, int], shown_may_differ: Callable[[str], bool], timeout: float
    ) -> tuple[str, str | None]:
        entered, shown = self.cells[cell]
        self.log.append(("read cell", cell))
        if not shown_may_differ(entered):
            return entered, None
        self.log.append(("mark", cell))
        return entered, shown


def guarded(backend: FakeBackend, apps: tuple[str, ...]) -> tuple[GuardedBackend, Audit]:
    audit = Audit()
    guard = GuardedBackend(backend, Guard(policy=Policy(apps=apps), audit=audit))
    guard.begin_step(STEP)
    return guard, audit


def looks_like_a_number(text: str) -> bool:
    return text[:1].isdigit()


def test_a_number_cell_is_read_and_marked_in_one_call_judged_once_for_the_mark() -> None:
    calc = Calc({(0, 10): ("1234.5", "1,234.50"), (4, 1): ("Ada", "Ada")})
    guard, audit = guarded(calc, ("soffice",))
    assert guard.cell_as_shown(TABLE, (0, 10), looks_like_a_number, 2.0) == ("1234.5", "1,234.50")
    assert audit.entries == [("focus", "mark row 1, column 11 alone to read it as shown")]
    # A text cell is only read: nothing is marked, so no focus is judged or audited.
    assert guard.cell_as_shown(TABLE, (4, 1), looks_like_a_number, 2.0) == ("Ada", None)
    assert len(audit.entries) == 1
    assert [e for e in calc.log if e[0] == "mark"] == [("mark", (0, 10))]


def test_a_sheet_of_an_app_outside_the_policy_is_neither_read_nor_marked() -> None:
    calc = Calc({(0, 10): ("1234.5", "1,234.50")})
    guard, _ = guarded(calc, ("gnumeric",))
    with pytest.raises(PolicyDenied):
        guard.cell_as_shown(TABLE, (0, 10), looks_like_a_number, 2.0)
    assert not [e for e in calc.log if e[0] in ("read cell", "mark")]


def test_the_table_is_looked_up_once_while_the_kept_tree_stays_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    calc = Calc({(0, 10): ("1234.5", "1,234.50")})
    guard, audit = guarded(calc, ("soffice",))
    walks: list[str] = []
    original = kept_finds.find_with_ancestors
    monkeypatch.setattr(kept_finds, "find_with_ancestors", lambda root, ref: walks.append(ref) or original(root, ref))
    for _ in range(3):
        guard.cell_as_shown(TABLE, (0, 10), looks_like_a_number, 2.0)
    assert walks == [TABLE]  # each read judged (three audited marks), the tree walked once
    assert len(audit.entries) == 3
    calc.set_app("soffice", Node(":1.9|/root", "application", "soffice", children=(Node(TABLE, "table", "Sheet1"),)))
    guard.cell_as_shown(TABLE, (0, 10), looks_like_a_number, 2.0)
    assert walks == [TABLE, TABLE]  # a new tree: looked up again
