"""Healing a step from the lock: when its sentence finds nothing, the element that matches the fingerprint the
lock recorded, with the evidence for it and the sentence a person would write to name it now.

A heal is offered only when it can be checked: the element must be able to take the step's action, must
match the fingerprint strongly and clearly ahead of every other element, and the rewritten sentence must
resolve, on the screen as it is, to that same element. An irreversible step (a click that submits, sends,
deletes…) is never healed silently: the caller stops and asks a person, whatever ``preapproved`` says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deskhand.agent.targets import stable_selector
from deskhand.errors import DeskhandError, LocatorError
from deskhand.locate.locator import Locator, Resolved, is_enabled, is_visible
from deskhand.policy.rules import irreversible_meaning
from deskhand.runner.rewrite import rewrite, target_text
from deskhand.runner.targets import find_target
from deskhand.tree.affordance import can_take
from deskhand.tree.fingerprint import Facts, Scored, decisive, fingerprint_of, rank_against, survey
from deskhand.tree.node import Node
from deskhand.tree.selector import Selector
from deskhand.workflows import actions as a


@dataclass(frozen=True)
class Heal:
    """A step carried out on an element found by its fingerprint, and why that element."""

    step: int
    sentence: str
    proposal: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    score: float
    reasons: tuple[str, ...]
    irreversible: str  # the word that makes the step irreversible, or ""
    mode: str = "replace"  # or "insert": the proposal goes in as a new step before this one

    def evidence(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "sentence": self.sentence,
            "proposal": self.proposal,
            "old": {k: self.old[k] for k in ("role", "name", "label", "dom_id", "accessible_id") if self.old.get(k)},
            "new": {k: self.new[k] for k in ("role", "name", "label", "dom_id", "accessible_id") if self.new.get(k)},
            "score": self.score,
            "why": list(self.reasons),
            "irreversible": self.irreversible,
            "mode": self.mode,
        }

    def describe(self) -> str:
        old = self.old.get("name") or self.old.get("label") or "?"
        new = self.new.get("name") or self.new.get("label") or "?"
        return (
            f"{f'step {self.step}: ' if self.step else ''}{self.old.get('role', '')} {old!r} → "
            f"{self.new.get('role', '')} {new!r} "
            f"(score {self.score:.2f}: {'; '.join(self.reasons)})"
        )


def proposed_text(kind: str, facts: Facts) -> str:
    """What a sentence calls the element: a field by its label (a combo's name is its current choice)."""
    if kind in ("type_text", "choose", "read", "expect_field"):
        return facts.label or facts.node.name or facts.node.placeholder
    return facts.node.name or facts.label


def verified_sentence(scope: Locator, action: a.StepAction, kind: str, facts: Facts) -> str | None:
    """The rewritten sentence, if resolving it on the current screen finds exactly ``facts``' element."""
    text = proposed_text(kind, facts)
    if not text:
        return None
    sentence = rewrite(action, text)
    if sentence is None:
        return None
    try:
        found, _ = find_target(scope, kind, text, timeout=0)
    except LocatorError:
        return None
    return sentence if found.ref == facts.node.ref else None


def candidates_in(scope: Locator, kind: str) -> tuple[list[tuple[str, Facts]], list[Facts]]:
    """(app name, facts) of every shown, enabled element in ``scope`` that can take ``kind``; and all facts."""
    pool: list[tuple[str, Facts]] = []
    everyone: list[Facts] = []
    for app, root in _roots(scope):
        facts = survey(root)
        everyone.extend(facts)
        pool.extend((app, f) for f in facts if can_take(kind, f.node) and is_visible(f.node) and is_enabled(f.node))
    return pool, everyone


def _roots(scope: Locator) -> list[tuple[str, Node]]:
    whole = Locator(scope.desktop, scope.app_name, None, scope.window_title)
    try:
        return [(r.app.name, r.node) for r in whole.resolve_all()]
    except LocatorError:
        return []


def heal_from_lock(
    scope: Locator, action: a.StepAction, kind: str, old: Mapping[str, Any]
) -> tuple[Heal, Resolved, Selector] | None:
    """The element matching the lock's fingerprint ``old`` decisively, with a verified rewrite; or None."""
    if not old.get("role"):
        return None
    pool, everyone = candidates_in(scope, kind)
    apps = {id(f): app for app, f in pool}
    ranked = rank_against(old, [f for _, f in pool], everyone)
    best: Scored | None = decisive(ranked)
    if best is None:
        return None
    proposal = verified_sentence(scope, action, kind, best.facts)
    if proposal is None:
        return None
    app = apps[id(best.facts)]
    try:
        selector = stable_selector(scope.desktop, app, best.facts.node.ref)
        resolved = Locator(scope.desktop, app_name=app).locator(selector).resolve()
    except DeskhandError:
        return None
    new = fingerprint_of(best.facts, app)
    heal = Heal(
        step=0,  # the runner knows the step's number and its sentence as written
        sentence=action.sentence(),
        proposal=proposal,
        old=dict(old),
        new=new,
        score=best.score,
        reasons=best.reasons,
        irreversible=irreversible_word(kind, old, best.facts),
    )
    return heal, resolved, selector


def irreversible_word(kind: str, old: Mapping[str, Any], facts: Facts) -> str:
    """Why acting on the healed element cannot be undone ("submit", "send"…), or "" when it can."""
    if kind != "click":
        return ""
    node = facts.node
    web = bool(facts.page)
    for role, name in ((node.role, node.name), (str(old.get("role", "")), str(old.get("name", "")))):
        word = irreversible_meaning(role, name, in_web_page=web)
        if word:
            return word
    # A <button> is type=submit by default even outside a form; it submits only inside one.
    if (node.attributes.get("type") == "submit" and facts.form) or (old.get("type") == "submit" and old.get("form")):
        return "submit"
    return ""


__all__ = ["Heal", "heal_from_lock", "irreversible_word", "proposed_text", "target_text", "verified_sentence"]
