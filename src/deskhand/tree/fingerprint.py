"""An element's fingerprint, and how strongly an element on screen now matches one taken earlier.

The lock keeps, per step, what the element looked like when the step last worked: role, name, label, the
ids the toolkit gives it (the DOM ``id`` and ``name`` attributes; AT-SPI's ``AccessibleId``, which Qt fills
from ``objectName``), its form and window, its neighbours and its place among its siblings. When the step's
sentence no longer finds anything, :func:`rank_against` scores every element against that fingerprint and
says why each scored as it did, so a heal can be shown to a person as evidence, not as a guess.

Weights: a stable id that is unique on screen now is strong evidence on its own (0.5); everything else is
small corroboration (0.1 each) except the wording (up to 0.3). A different id of the same kind counts
against (-0.3): a renamed element keeps its id far more often than a different element borrows it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from deskhand.tree.match import LABEL_ROLES, label_of, positional_labels
from deskhand.tree.node import Node
from deskhand.tree.roles import INTERACTIVE_ROLES, WINDOW_ROLES, Role

# Fingerprint keys holding ids, and how a person calls them.
ID_KEYS: dict[str, str] = {"dom_id": "DOM id", "accessible_id": "AccessibleId", "dom_name": "DOM name"}
# Node attribute each id is read from (page.js and the AT-SPI reader put them there).
_ID_ATTRIBUTES: dict[str, str] = {"dom_id": "id", "accessible_id": "accessible-id", "dom_name": "name"}
# A heal needs at least this score, and this lead over the runner-up.
STRONG = 0.6
MARGIN = 0.15
_LABEL_ROLES = frozenset(LABEL_ROLES)
_SCREENS = frozenset({*WINDOW_ROLES, Role.DOCUMENT})


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known about one element in its tree: the inputs of a fingerprint and of a comparison."""

    node: Node
    ancestors: tuple[Node, ...]
    label: str
    window: str
    form: str
    before: str
    after: str
    place: str
    page: str = ""  # the web document holding it (its title), "" outside web pages

    @property
    def text(self) -> str:
        """What a person calls the element: its name, else its label, else its placeholder."""
        return self.node.name or self.label or self.node.placeholder

    def ids(self) -> dict[str, str]:
        return {key: self.node.attributes.get(attr, "") for key, attr in _ID_ATTRIBUTES.items()}


@dataclass(frozen=True, slots=True)
class Scored:
    facts: Facts
    score: float
    reasons: tuple[str, ...]


def survey(root: Node) -> list[Facts]:
    """Facts for every element a person could act on or read, in document order."""
    by_ref = {node.ref: node for node in root.walk()}
    positional = positional_labels(root)
    rows: list[_Row] = []
    for node, ancestors in root.walk_with_ancestors():
        if node.role not in INTERACTIVE_ROLES or node.role in _LABEL_ROLES:
            continue
        holder = next((a for a in reversed(ancestors) if a.role in WINDOW_ROLES), None)
        # Neighbours and place are counted within the innermost window or web page: a browser's own
        # toolbar is not part of the form on its page.
        screen = next((a for a in reversed(ancestors) if a.role in _SCREENS), None)
        page = screen.name if screen is not None and screen.role == Role.DOCUMENT else ""
        label = label_of(node, by_ref, positional)
        where = screen.ref if screen is not None else ""
        rows.append(_Row(node, ancestors, label, holder.name if holder else "", _form(node, ancestors), where, page))
    places: Counter[tuple[str, str]] = Counter()
    counts = Counter((row.screen, row.node.role) for row in rows)
    facts: list[Facts] = []
    for index, row in enumerate(rows):
        key = (row.screen, row.node.role)
        places[key] += 1
        place = f"{row.node.role} {places[key]} of {counts[key]}"
        before, after = _neighbour(rows, index, -1), _neighbour(rows, index, 1)
        facts.append(Facts(row.node, row.ancestors, row.label, row.window, row.form, before, after, place, row.page))
    return facts


def facts_for(root: Node, ref: str) -> Facts | None:
    return next((f for f in survey(root) if f.node.ref == ref), None)


def fingerprint_of(facts: Facts, app: str) -> dict[str, str | list[str]]:
    """The lock's record of an element (only keys with a value, so the YAML stays short)."""
    node = facts.node
    data: dict[str, str | list[str]] = {
        "app": app,
        "role": node.role,
        "name": node.name,
        "window": facts.window,
        "ancestors": [f"{n.role}:{n.name}" for n in facts.ancestors if n.name][-4:],
    }
    optional = {
        "label": facts.label,
        **facts.ids(),
        "form": facts.form,
        "page": facts.page,
        "type": node.attributes.get("type", ""),
        "before": facts.before,
        "after": facts.after,
        "place": facts.place,
    }
    data.update({key: value for key, value in optional.items() if value})
    return data


def rank_against(fingerprint: Mapping[str, object], pool: list[Facts], everyone: list[Facts]) -> list[Scored]:
    """``pool`` scored against ``fingerprint``, best first; ``everyone`` tells which ids are unique now."""
    seen = Counter((key, value) for f in everyone for key, value in f.ids().items() if value)
    scored = [_score(fingerprint, facts, seen) for facts in pool]
    return sorted(scored, key=lambda s: -s.score)


def decisive(ranked: list[Scored]) -> Scored | None:
    """The best match when it is strong and clearly ahead of the next one; else None."""
    if not ranked or ranked[0].score < STRONG:
        return None
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < MARGIN:
        return None
    return ranked[0]


def similarity(old: str, new: str) -> float:
    """How alike two labels read, 0..1: spelling ratio, or 0.7 when one holds the other ("Email" in
    "E-mail address")."""
    a, b = _squash(old), _squash(new)
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if min(len(a), len(b)) >= 3 and (a in b or b in a):
        ratio = max(ratio, 0.7)
    return ratio


def _score(fingerprint: Mapping[str, object], facts: Facts, seen: Counter[tuple[str, str]]) -> Scored:
    def old(key: str) -> str:
        value = fingerprint.get(key)
        return value if isinstance(value, str) else ""

    score = 0.0
    reasons: list[str] = []
    ids = facts.ids()
    strongest = 0.0
    for key, what in ID_KEYS.items():
        was, now = old(key), ids[key]
        if was and now == was and seen[(key, now)] == 1:
            strongest = max(strongest, 0.5)
            reasons.append(f"same {what} {was!r}")
        elif was and now and now != was:
            score -= 0.3
            reasons.append(f"different {what} ({was!r} → {now!r})")
    score += strongest
    node = facts.node
    if old("role") == node.role:
        score += 0.1
        reasons.append(f"same role {node.role}")
    was_text = old("name") or old("label")
    ratio = similarity(was_text, facts.text)
    if ratio >= 0.5:
        score += 0.3 * ratio
        reasons.append(f"wording {was_text!r} ≈ {facts.text!r} ({ratio:.0%})")
    for key, now, what in (
        ("window", facts.window, "window"),
        ("form", facts.form, "form"),
        ("type", node.attributes.get("type", ""), "type"),
        ("before", facts.before, "comes after"),
        ("after", facts.after, "comes before"),
        ("place", facts.place, "place"),
    ):
        if old(key) and old(key) == now:
            score += 0.1
            reasons.append(f"same {what} {now!r}")
    return Scored(facts, round(score, 3), tuple(reasons))


def _form(node: Node, ancestors: tuple[Node, ...]) -> str:
    named = node.attributes.get("form", "")
    if named:
        return named
    form = next((a for a in reversed(ancestors) if a.role == Role.FORM), None)
    return form.name if form is not None else ""


@dataclass(frozen=True, slots=True)
class _Row:
    node: Node
    ancestors: tuple[Node, ...]
    label: str
    window: str
    form: str
    screen: str  # ref of the innermost window or page
    page: str


def _neighbour(rows: list[_Row], index: int, step: int) -> str:
    """The wording of the nearest element before (step -1) or after (+1) on the same window or page."""
    screen = rows[index].screen
    at = index + step
    while 0 <= at < len(rows) and rows[at].screen == screen:
        row = rows[at]
        text = row.node.name or row.label or row.node.placeholder
        if text:
            return text
        at += step
    return ""


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.casefold())
