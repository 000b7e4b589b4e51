"""What the model sees each turn: a compact outline of the windows that matter, and what changed since last turn.

Which windows: every window of the app in use (the one the step opened or last acted in), plus the app that
holds the active window if that is another one (a dialog that popped up elsewhere). With neither, every app
with a window is shown, so a first turn on a fresh desktop still sees something. Other running apps are named
in one line, so the model knows what it can switch to.

The outline is the compact snapshot (short refs like ``e4``) and the diff lists new, removed and changed lines
since the previous observation. Both fit a token budget: when the full outline is too big, lines are pruned
least important first — focused elements and what just changed are kept, then interactive ones, then named
text (``tree.snapshot.render_budgeted``). Screenshots are never sent unasked; the ``screenshot`` tool does that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from deskhand.backends.base import AppInfo
from deskhand.errors import DeskhandError
from deskhand.locate.desktop import Desktop
from deskhand.models.tokens import count_tokens
from deskhand.tree.diff import SnapshotDiff, diff_snapshots
from deskhand.tree.node import Node
from deskhand.tree.snapshot import RefTable, render, render_budgeted

DEFAULT_BUDGET_TOKENS = 1500
# The diff may use at most this share of the budget; the outline always gets the rest.
DIFF_SHARE = 0.25
# Attempts at shrinking a pruned outline until its token count fits.
_FIT_ATTEMPTS = 4


@dataclass(frozen=True, slots=True)
class Observation:
    """One turn's view. ``text`` is what the model reads; ``outline`` the unpruned outline the next diff uses."""

    text: str
    outline: str
    diff: SnapshotDiff | None
    tokens: int
    apps: tuple[str, ...]
    pruned: bool = False


class Observer:
    """Observes one desktop for one agent session; remembers the last outline to diff against."""

    def __init__(self, desktop: Desktop, refs: RefTable, *, budget_tokens: int = DEFAULT_BUDGET_TOKENS) -> None:
        self.desktop = desktop
        self.refs = refs
        self.budget_tokens = budget_tokens
        self._previous: str | None = None

    def observe(self, app_in_use: str | None) -> Observation:
        apps = self.desktop.apps()
        shown = choose_apps(apps, app_in_use)
        roots = [(app.name, root) for app in shown if (root := self._snapshot(app)) is not None]
        full = [(name, render(root, self.refs)) for name, root in roots]
        outline = _join(full)
        diff = diff_snapshots(self._previous, outline) if self._previous is not None else None
        self._previous = outline

        diff_text = _diff_text(diff, int(self.budget_tokens * DIFF_SHARE))
        header = _header(apps, [name for name, _ in roots], app_in_use)
        room = self.budget_tokens - count_tokens(header) - count_tokens(diff_text)
        body, pruned = outline, False
        if count_tokens(outline) > room:
            keep = diff.touched_refs if diff is not None else frozenset()
            sizes = [max(len(text), 1) for _, text in full]
            body, pruned = _fit(roots, sizes, self.refs, keep, max(room, 0)), True
        text = "\n\n".join(part for part in (header, "Screen:\n" + body, diff_text) if part)
        return Observation(text, outline, diff, count_tokens(text), tuple(name for name, _ in roots), pruned)

    def _snapshot(self, app: AppInfo) -> Node | None:
        try:
            return self.desktop.backend.snapshot(app.ref)
        except DeskhandError:
            return None  # it closed between listing and reading; the next turn will not list it


def choose_apps(apps: list[AppInfo], app_in_use: str | None) -> list[AppInfo]:
    """The apps whose windows the model sees (see the module's docstring), in registry order."""
    with_windows = [app for app in apps if app.windows]
    wanted = {app.ref for app in with_windows if app_in_use is not None and app.name == app_in_use}
    wanted |= {app.ref for app in with_windows if any(window.active for window in app.windows)}
    if not wanted:
        return with_windows
    return [app for app in with_windows if app.ref in wanted]


def _header(apps: list[AppInfo], shown: list[str], app_in_use: str | None) -> str:
    others = sorted({app.name for app in apps if app.windows and app.name not in shown})
    parts = [f"App in use: {app_in_use}." if app_in_use else "No app in use yet."]
    if others:
        parts.append("Also running: " + ", ".join(others) + ".")
    return " ".join(parts)


def _join(parts: Iterable[tuple[str, str]]) -> str:
    return "\n".join(f"# {name}\n{text or '(no visible elements)'}" for name, text in parts)


def _diff_text(diff: SnapshotDiff | None, max_tokens: int) -> str:
    """The diff as ``+``/``-``/``~`` lines, cut to ``max_tokens`` (removals go first when cutting)."""
    if diff is None:
        return ""
    if diff.empty:
        return "Changes since the last look: none."
    lines = [f"~ {new}" for _, new in diff.changed] + [f"+ {line}" for line in diff.added]
    lines += [f"- {line}" for line in diff.removed]
    kept: list[str] = []
    used = 0
    for line in lines:
        cost = count_tokens(line) + 1
        if used + cost > max_tokens:
            kept.append(f"… {len(lines) - len(kept)} more changes")
            break
        kept.append(line)
        used += cost
    return "Changes since the last look:\n" + "\n".join(kept)


def _fit(roots: list[tuple[str, Node]], sizes: list[int], refs: RefTable, keep: frozenset[str], max_tokens: int) -> str:
    """Every root's outline pruned so that together they fit ``max_tokens`` (counted); each root gets a share
    of the characters in proportion to its full size (``sizes``, in characters)."""
    total = sum(sizes)
    chars = max_tokens * 3  # a first guess: outlines run at about three characters a token
    text = ""
    for _ in range(_FIT_ATTEMPTS):
        text = _join(
            (name, render_budgeted(root, refs, max(int(chars * size / total), 1), keep=keep))
            for (name, root), size in zip(roots, sizes, strict=True)
        )
        tokens = count_tokens(text)
        if tokens <= max_tokens:
            return text
        chars = int(chars * max_tokens / tokens * 0.95)
    return text
