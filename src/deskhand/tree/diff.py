"""What changed between two compact snapshots, line by line, keyed by short ref.

Lines with a ref (``[e4]``) are the same element across snapshots, so a new text on the same ref is a
change; lines without one (``… 12 more rows``) can only be added or removed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_REF = re.compile(r"\[(e\d+)\]")


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    """Lines (without indentation) that appeared, disappeared, or changed (old, new) on the same ref."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def touched_refs(self) -> frozenset[str]:
        """Short refs of added and changed lines: what a budgeted render should keep."""
        lines = (*self.added, *(new for _, new in self.changed))
        return frozenset(ref for line in lines if (ref := ref_of(line)))

    def render(self) -> str:
        """``+ line`` for added, ``- line`` for removed, ``~ line`` (the new text) for changed."""
        out = [f"+ {line}" for line in self.added]
        out += [f"- {line}" for line in self.removed]
        out += [f"~ {new}" for _, new in self.changed]
        return "\n".join(out)


def ref_of(line: str) -> str:
    """The short ref on a snapshot line, or '' when it has none."""
    found = _REF.search(line)
    return found.group(1) if found else ""


def diff_snapshots(old_text: str, new_text: str) -> SnapshotDiff:
    """Compare two render() outputs; order of the result follows the new snapshot (removals the old)."""
    old_by_ref, old_loose = _split(old_text)
    new_by_ref, new_loose = _split(new_text)
    added: list[str] = []
    changed: list[tuple[str, str]] = []
    for ref, line in new_by_ref.items():
        before = old_by_ref.get(ref)
        if before is None:
            added.append(line)
        elif before != line:
            changed.append((before, line))
    removed = [line for ref, line in old_by_ref.items() if ref not in new_by_ref]
    loose_added = new_loose - old_loose
    loose_removed = old_loose - new_loose
    added += list(loose_added.elements())
    removed += list(loose_removed.elements())
    return SnapshotDiff(added=tuple(added), removed=tuple(removed), changed=tuple(changed))


def _split(text: str) -> tuple[dict[str, str], Counter[str]]:
    by_ref: dict[str, str] = {}
    loose: Counter[str] = Counter()
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("- "):
            line = line[2:]
        if not line:
            continue
        ref = ref_of(line)
        if ref:
            by_ref[ref] = line
        else:
            loose[line] += 1
    return by_ref, loose
