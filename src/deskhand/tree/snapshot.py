"""The compact snapshot: an indented outline of what is on screen, one element a line, for people and models.

    - window "Add contact" [e1]
      - textbox "Name" [e4] = "Ada" focused
      - combobox "Plan" [e7] = "Pro" (options: Basic | Pro | Enterprise)
      - checkbox "Subscribe" [e9] checked
      - button "Submit" [e10]

Structural noise is folded (unnamed containers lift their children), hidden and offscreen elements are left
out, compound controls are summarised, and short refs (``e4``) stand for backend refs through a RefTable.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from deskhand.errors import NoMatch
from deskhand.tree.match import label_of, positional_labels
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import INTERACTIVE_ROLES, STRUCTURAL_ROLES, WINDOW_ROLES, Role, State
from deskhand.tree.text import quote

MAX_LIST_ROWS = 10
MAX_OPTIONS = 15
VALUE_LIMIT = 200
NAME_LIMIT = 120
MASK = "••••"

ROW_ROLES: frozenset[str] = frozenset({Role.ROW, Role.LISTITEM, Role.OPTION, Role.TREEITEM})
LIST_ROLES: frozenset[str] = frozenset({Role.LIST, Role.LISTBOX, Role.TABLE, Role.TREE})
OPTION_ROLES: frozenset[str] = frozenset({Role.OPTION, Role.MENUITEM, Role.LISTITEM, Role.MENUITEMRADIO})
# Text-like roles that say nothing when they have no name or value.
_SILENT_WHEN_EMPTY: frozenset[str] = frozenset({Role.LABEL, Role.TEXT, Role.PARAGRAPH, Role.IMAGE})
_SHOWN_STATES: tuple[str, ...] = (
    State.FOCUSED,
    State.CHECKED,
    State.MIXED,
    State.PRESSED,
    State.SELECTED,
    State.EXPANDED,
    State.REQUIRED,
    State.INVALID,
    State.READ_ONLY,
)

# Importance tiers for the budgeted render: lower survives longer.
MUST_KEEP, INTERACTIVE, NAMED_TEXT, OTHER = 0, 1, 2, 3


class RefTable:
    """Short refs ``e1, e2, …`` for backend refs, stable for the table's life; new elements get the next."""

    def __init__(self) -> None:
        self._short_by_backend: dict[str, str] = {}
        self._backend_by_short: dict[str, str] = {}

    def short_ref(self, backend_ref: str) -> str:
        """The short ref of ``backend_ref``, assigned the next number the first time it is seen."""
        short = self._short_by_backend.get(backend_ref)
        if short is None:
            short = f"e{len(self._short_by_backend) + 1}"
            self._short_by_backend[backend_ref] = short
            self._backend_by_short[short] = backend_ref
        return short

    def lookup(self, backend_ref: str) -> str | None:
        """The short ref already given to ``backend_ref``, if any."""
        return self._short_by_backend.get(backend_ref)

    def resolve(self, short_ref: str) -> str:
        """The backend ref behind ``e4`` (also accepts ``[e4]``); NoMatch when it was never handed out."""
        key = short_ref.strip().strip("[]").strip()
        backend_ref = self._backend_by_short.get(key)
        if backend_ref is None:
            raise NoMatch(
                f"No element has the ref {short_ref!r} (refs e1…e{len(self)} were handed out).",
                hint="Use a ref from the latest snapshot, shown in brackets like [e4]; take a new snapshot.",
            )
        return backend_ref

    def __contains__(self, short_ref: object) -> bool:
        return short_ref in self._backend_by_short

    def __len__(self) -> int:
        return len(self._short_by_backend)


@dataclass(frozen=True, slots=True)
class SnapshotLine:
    """One line of the outline before indentation; ``ref`` is the short ref ('' for summary lines)."""

    depth: int
    text: str
    ref: str = ""
    backend_ref: str = ""
    priority: int = OTHER
    bullet: bool = True

    def render(self) -> str:
        return "  " * self.depth + ("- " if self.bullet else "") + self.text


def render(root: Node, refs: RefTable, *, max_lines: int | None = None) -> str:
    """The compact outline of ``root``; with ``max_lines``, cut there and say how many lines were left out."""
    lines = snapshot_lines(root, refs)
    if max_lines is not None and len(lines) > max_lines:
        left_out = len(lines) - max_lines
        lines = [*lines[:max_lines], SnapshotLine(0, f"… {left_out} more lines", bullet=False)]
    return "\n".join(line.render() for line in lines)


def render_budgeted(root: Node, refs: RefTable, max_chars: int, keep: Collection[str] = ()) -> str:
    """The outline cut to about ``max_chars``, dropping the least important lines first.

    Kept longest: the focused element, refs in ``keep`` (short or backend refs, e.g. what just changed)
    and windows; then interactive elements; then named text; then the rest. An ancestor stays as long as any
    of its descendants does. Must-keep lines stay even when they alone exceed the budget.
    """
    lines = snapshot_lines(root, refs, keep=keep)
    sizes = [len(line.render()) + 1 for line in lines]
    total = sum(sizes)
    if total <= max_chars:
        return "\n".join(line.render() for line in lines)
    effective = _effective_priorities(lines)
    marker_room = len("… 99999 lines pruned")
    removable = sorted(
        (i for i, priority in enumerate(effective) if priority > MUST_KEEP),
        key=lambda i: (-effective[i], -i),
    )
    dropped: set[int] = set()
    for index in removable:
        if total + marker_room <= max_chars:
            break
        dropped.add(index)
        total -= sizes[index]
    kept = [line.render() for i, line in enumerate(lines) if i not in dropped]
    if dropped:
        kept.append(f"… {len(dropped)} lines pruned")
    return "\n".join(kept)


def _effective_priorities(lines: list[SnapshotLine]) -> list[int]:
    """Each line's priority lowered to the best of its descendants', so context outlives its content."""
    effective = [line.priority for line in lines]
    # Walking backwards, a stack of (depth, best priority below) rolls each subtree up into its parent.
    pending: list[tuple[int, int]] = []
    for index in range(len(lines) - 1, -1, -1):
        depth = lines[index].depth
        while pending and pending[-1][0] > depth:
            effective[index] = min(effective[index], pending.pop()[1])
        pending.append((depth, effective[index]))
    return effective


def snapshot_lines(root: Node, refs: RefTable, *, keep: Collection[str] = ()) -> list[SnapshotLine]:
    """The outline as structured lines (what render() prints), with short refs assigned in document order."""
    return _Outliner(root, refs, keep).lines()


class _Outliner:
    def __init__(self, root: Node, refs: RefTable, keep: Collection[str]) -> None:
        self.root = root
        self.refs = refs
        self.keep = frozenset(keep)
        self.by_ref = {node.ref: node for node in root.walk()}
        self.positional = positional_labels(root)
        # Trees from a recorded or fake source may carry no visibility states at all; then nothing is hidden.
        self.tracks_visibility = any(
            State.VISIBLE in node.states or State.SHOWING in node.states for node in root.walk()
        )
        self.tracks_enabled = any(
            State.ENABLED in node.states or State.SENSITIVE in node.states for node in root.walk()
        )
        self.out: list[SnapshotLine] = []
        # Controls left out because they lie outside their window; each window reports its own count.
        self.offscreen_controls = 0

    def lines(self) -> list[SnapshotLine]:
        if not self.is_hidden(self.root):
            for top in self.shown(self.root, self.root.bounds):
                self.emit(top, 0, self.root.bounds, parent_role="")
        return self.out

    def is_hidden(self, node: Node) -> bool:
        if not self.tracks_visibility or not node.states:
            return False
        # GTK4 sets VISIBLE without SHOWING; either one counts as visible.
        return State.VISIBLE not in node.states and State.SHOWING not in node.states

    def shown(self, node: Node, clip: Bounds | None) -> list[Node]:
        """``node`` itself if it earns a line, else its shown descendants lifted up (empty when hidden)."""
        if self.is_hidden(node):
            return []
        if not self.folds(node, clip):
            return [node]
        lifted: list[Node] = []
        for child in node.children:
            lifted.extend(self.shown(child, clip))
        return lifted

    def folds(self, node: Node, clip: Bounds | None) -> bool:
        """Whether ``node`` gets no line of its own (its children are judged one by one)."""
        if node.has(State.FOCUSED) or node.role in WINDOW_ROLES:
            return False
        if node.bounds is not None and (node.bounds.empty or (clip is not None and not clip.intersects(node.bounds))):
            if node.role in INTERACTIVE_ROLES and node.role not in ROW_ROLES and node.role != Role.CELL:
                self.offscreen_controls += 1
            return True
        if node.name or node.description or node.value:
            return False
        return node.role in STRUCTURAL_ROLES or node.role in _SILENT_WHEN_EMPTY

    def emit(self, node: Node, depth: int, clip: Bounds | None, parent_role: str) -> None:
        short = self.refs.short_ref(node.ref)
        priority = self.priority_of(node, short)
        self.out.append(SnapshotLine(depth, self.describe(node, short), short, node.ref, priority))
        if node.role == Role.COMBOBOX:
            return
        if node.role == Role.MENU and not node.has(State.EXPANDED) and parent_role in _MENU_PARENTS:
            return
        inner_clip = node.bounds if node.role in WINDOW_ROLES and node.bounds is not None else clip
        offscreen_before = self.offscreen_controls
        children = [shown for child in node.children for shown in self.shown(child, inner_clip)]
        if node.role in LIST_ROLES:
            self.emit_rows(node, children, depth + 1, inner_clip)
            return
        for child in children:
            self.emit(child, depth + 1, inner_clip, node.role)
        offscreen = self.offscreen_controls - offscreen_before
        if node.role in WINDOW_ROLES and offscreen > 0:
            text = f"… {offscreen} more controls offscreen (scroll to reach them)"
            self.out.append(SnapshotLine(depth + 1, text, priority=NAMED_TEXT, bullet=False))

    def emit_rows(self, node: Node, children: list[Node], depth: int, clip: Bounds | None) -> None:
        rows_shown = 0
        for child in children:
            is_row = child.role in ROW_ROLES
            if is_row and rows_shown >= MAX_LIST_ROWS and not _stands_out(child):
                continue
            if is_row:
                rows_shown += 1
            self.emit(child, depth, clip, node.role)
        hidden_rows = _count_rows(node, self) - rows_shown
        if hidden_rows > 0:
            self.out.append(SnapshotLine(depth, f"… {hidden_rows} more rows", priority=NAMED_TEXT, bullet=False))

    def priority_of(self, node: Node, short: str) -> int:
        if node.has(State.FOCUSED) or short in self.keep or node.ref in self.keep:
            return MUST_KEEP
        if node.role in WINDOW_ROLES or node.role == Role.APPLICATION:
            return MUST_KEEP
        if node.role in INTERACTIVE_ROLES:
            return INTERACTIVE
        if node.name and node.role in (Role.LABEL, Role.TEXT, Role.HEADING, Role.PARAGRAPH, Role.STATUS):
            return NAMED_TEXT
        return OTHER

    def describe(self, node: Node, short: str) -> str:
        parts = [node.role]
        label = "" if node.name else label_of(node, self.by_ref, self.positional)
        if node.name:
            parts.append(quote(node.name, limit=NAME_LIMIT))
        elif label:
            parts.append(f"(label {quote(label, limit=NAME_LIMIT)})")
        parts.append(f"[{short}]")
        value = _value_of(node)
        if value is not None:
            parts.append("= " + quote(MASK if value and node.has(State.PASSWORD) else value, limit=VALUE_LIMIT))
        if node.role == Role.COMBOBOX:
            options = _options_of(node)
            if options:
                more = f" | … {len(options) - MAX_OPTIONS} more" if len(options) > MAX_OPTIONS else ""
                parts.append("(options: " + " | ".join(options[:MAX_OPTIONS]) + more + ")")
        if not node.name and node.placeholder:
            parts.append(f"placeholder {quote(node.placeholder, limit=NAME_LIMIT)}")
        parts.extend(state for state in _SHOWN_STATES if state in node.states)
        if self.tracks_enabled and _is_disabled(node):
            parts.append("disabled")
        return " ".join(parts)


_MENU_PARENTS: frozenset[str] = frozenset({Role.MENUBAR, Role.MENU, Role.MENUITEM})


def _stands_out(row: Node) -> bool:
    """A row worth listing past the cap: the one the user is on."""
    return row.has(State.FOCUSED) or row.has(State.SELECTED)


def _count_rows(container: Node, outliner: _Outliner) -> int:
    """Rows of a list or table, on screen or scrolled away, not counting rows nested inside rows."""
    count = 0
    stack = list(container.children)
    while stack:
        node = stack.pop()
        if outliner.is_hidden(node):
            continue
        if node.role in ROW_ROLES:
            count += 1
        else:
            stack.extend(node.children)
    return count


def _value_of(node: Node) -> str | None:
    if node.value is not None and (node.value or node.role in (Role.TEXTBOX, Role.SEARCHBOX)):
        return node.value
    if node.role == Role.COMBOBOX:
        for option in node.walk():
            if option is not node and option.role in OPTION_ROLES and option.has(State.SELECTED):
                return option.name
    return None


def _options_of(node: Node) -> list[str]:
    return [option.name for option in node.walk() if option.role in OPTION_ROLES and option.name]


def _is_disabled(node: Node) -> bool:
    """Interactive, reports states, but neither enabled nor sensitive."""
    if node.role not in INTERACTIVE_ROLES or not node.states:
        return False
    return State.ENABLED not in node.states and State.SENSITIVE not in node.states
