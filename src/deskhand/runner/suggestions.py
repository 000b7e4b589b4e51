"""Sentences to write instead of a failed step, each checked against the screen before it is offered.

Candidates are ranked by what the step's action can act on (a Click wants buttons, links, menu items,
tabs; a Type wants an editable field; Choose a combo or list; Check a check box or switch), then by the
lock's fingerprint of the element, then by structure (for a submit-like step: the submit button of the
form the earlier steps filled), then by wording. An element that cannot take the action is never offered.
Each suggestion is the rewritten sentence resolved on the current screen: it is offered only when it finds
exactly the element it was made for. A step that waits for text while a dialog asks a question gets one
more kind of suggestion: a step before it that answers the dialog. A Read whose words name nothing on screen is
offered the few elements showing a value (an unnamed display), by their words or their place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from deskhand.errors import LocatorError
from deskhand.locate.locator import Locator, is_enabled, is_visible
from deskhand.policy.rules import irreversible_meaning
from deskhand.runner.heal import candidates_in, proposed_text, verified_sentence
from deskhand.runner.rewrite import target_text
from deskhand.runner.targets import find_target
from deskhand.tree.affordance import fits
from deskhand.tree.fingerprint import Facts, rank_against, similarity
from deskhand.tree.roles import WINDOW_ROLES, Role
from deskhand.workflows import actions as a
from deskhand.workflows.ordinals import KINDS

TOP = 3
# A Read whose words name nothing is offered the elements showing a value when at most this many do.
_FEW_VALUES = 3
# Below these a candidate has nothing going for it and is not worth a person's attention.
_MIN_TEXT = 0.4
_MIN_PRINT = 0.25
# What `run --repair` needs before it acts on a suggestion alone: fingerprint support, or near wording.
_STRONG_PRINT = 0.5
_STRONG_TEXT = 0.8
# Buttons that answer a dialog's question with "go on", best first; and those that back out.
_GO_ON = ("confirm", "yes", "ok", "continue", "submit", "send", "save", "apply", "proceed", "accept", "done")
_BACK_OUT = re.compile(r"\b(cancel|no|close|back|dismiss|abort)\b")


@dataclass(frozen=True)
class Suggestion:
    """One sentence to write: ``replace`` the failed step, or ``insert`` it before the failed step."""

    sentence: str
    reasons: tuple[str, ...]
    mode: str = "replace"
    irreversible: str = ""
    # Strong enough for `run --repair` to use it without a person (when it is reversible too).
    strong: bool = False
    rank: tuple[float, ...] = field(default=(), compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "mode": self.mode,
            "reasons": list(self.reasons),
            "irreversible": self.irreversible,
            "strong": self.strong,
        }


def suggest(
    scope: Locator,
    action: a.StepAction,
    fingerprint: Mapping[str, Any] | None,
    filled_forms: Sequence[str] = (),
    *,
    dialog_in_way: bool = False,
) -> list[Suggestion]:
    """Up to three verified sentences for a failed step, best first (see the module doc).
    ``dialog_in_way``: the step failed because a modal dialog stands in its way."""
    if dialog_in_way or isinstance(action, a.WaitFor | a.ExpectText):
        return _answer_dialog(scope, action)[:TOP]
    kind = action.kind
    wanted = target_text(action)
    if wanted is None or kind not in ("click", "type_text", "choose", "set_checked", "read", "expect_field"):
        return []
    pool, everyone = candidates_in(scope, kind)
    facts = [f for _, f in pool]
    prints = {id(s.facts): s for s in rank_against(fingerprint, facts, everyone)} if fingerprint else {}
    submit_like = kind == "click" and _submit_like(wanted, fingerprint)
    ranked: list[tuple[tuple[float, ...], Facts, list[str]]] = []
    on_page = _on_page(fingerprint, filled_forms)
    for item in facts:
        if on_page is not None and bool(item.page) != on_page:
            continue  # a step on a web page is not repaired onto the browser's own toolbar, nor back
        reasons: list[str] = []
        fit = fits(kind, item.node)
        reasons.append(f"a {item.node.role} ({_what(kind)})")
        scored = prints.get(id(item))
        printed = scored.score if scored is not None else 0.0
        if printed >= _MIN_PRINT and scored is not None:
            reasons.append(f"matches the lock's fingerprint {printed:.2f} ({'; '.join(scored.reasons[:4])})")
        structure = 1.0 if submit_like and _submits(item) and (not filled_forms or item.form in filled_forms) else 0.0
        if structure:
            form = f" {item.form!r}" if item.form else ""
            reasons.append(f"the submit button of the form{form} the earlier steps filled")
        wording = similarity(wanted, proposed_text(kind, item))
        if wording >= _MIN_TEXT:
            reasons.append(f"wording {wording:.0%} like {wanted!r}")
        if printed < _MIN_PRINT and not structure and wording < _MIN_TEXT:
            continue
        ranked.append(((fit, round(printed, 1), structure, wording), item, reasons))
    if not ranked and isinstance(action, a.Read | a.ExpectField):
        return _few_values_shown(scope, action, facts)
    ranked.sort(key=lambda entry: tuple(-value for value in entry[0]))
    out: list[Suggestion] = []
    for rank, item, reasons in ranked:
        sentence = verified_sentence(scope, action, kind, item)
        if sentence is None or any(s.sentence == sentence for s in out):
            continue
        meaning = _meaning(kind, item)
        strong = rank[1] >= _STRONG_PRINT or rank[3] >= _STRONG_TEXT
        checked = (*reasons, "checked: it finds this element now")
        out.append(Suggestion(sentence, checked, "replace", meaning, strong, rank))
        if len(out) == TOP:
            break
    return out


def _few_values_shown(scope: Locator, action: a.Read | a.ExpectField, facts: Sequence[Facts]) -> list[Suggestion]:
    """When nothing is named like what a Read wanted, the elements that show a value, if only a few do: a
    display with no name of its own (a calculator's result, a status field) is what such a step means more
    often than not, and a person recognises it by the value it shows. Named by its words where they find it,
    else by its place among its kind (`the first text field`); offered only once that sentence finds it."""
    showing = [f for f in facts if (f.node.value or "").strip() and is_visible(f.node)]
    if not 1 <= len(showing) <= _FEW_VALUES:
        return []
    only = "the only element" if len(showing) == 1 else f"one of the {len(showing)} elements"
    out: list[Suggestion] = []
    for item in showing:
        sentence = verified_sentence(scope, action, action.kind, item) or _by_place(scope, action, item)
        if sentence is not None:
            why = (f"shows {item.node.value!r}: {only} on screen showing a value", "checked: it finds this element now")
            out.append(Suggestion(sentence, why))
    return out[:TOP]


def _by_place(scope: Locator, action: a.Read | a.ExpectField, item: Facts) -> str | None:
    """``action`` naming ``item`` by its kind and place (`the second text field`), if that finds it."""
    if item.node.role not in KINDS.values():
        return None
    for place in range(_FEW_VALUES + 1):
        try:
            found, _ = find_target(scope, action.kind, "", timeout=0, position=place, role=item.node.role)
        except LocatorError:
            return None
        if found.node.ref == item.node.ref:
            return replace(action, target=a.Target("", position=place, kind=item.node.role)).sentence()
    return None


def _on_page(fingerprint: Mapping[str, Any] | None, filled_forms: Sequence[str]) -> bool | None:
    """Whether the step's element was on a web page (known from the lock, or from the forms filled)."""
    if fingerprint and fingerprint.get("app"):
        return bool(fingerprint.get("page"))
    return True if filled_forms else None


def _what(kind: str) -> str:
    return {
        "click": "a Click acts on buttons, links, menu items and tabs",
        "type_text": "a Type needs an editable field",
        "choose": "a Choose needs a combo box or list",
        "set_checked": "a Check needs a check box or switch",
    }.get(kind, "it holds a value to read")


def _submit_like(wanted: str, fingerprint: Mapping[str, Any] | None) -> bool:
    print_ = fingerprint or {}
    if print_.get("type") == "submit":
        return True
    return bool(irreversible_meaning("button", wanted, in_web_page=True))


def _submits(item: Facts) -> bool:
    node = item.node
    return (node.attributes.get("type") == "submit" and bool(item.form)) or bool(
        node.role == Role.BUTTON and irreversible_meaning(node.role, node.name, in_web_page=True)
    )


def _meaning(kind: str, item: Facts) -> str:
    if kind != "click":
        return ""
    node = item.node
    word = irreversible_meaning(node.role, node.name, in_web_page=bool(item.page))
    return word or ("submit" if node.attributes.get("type") == "submit" and item.form else "")


def _answer_dialog(scope: Locator, action: a.StepAction) -> list[Suggestion]:
    """A dialog (or alert) in front asks something before the awaited text can show: press its go-on button."""
    pool, _ = candidates_in(scope, "click")
    asking = [f for _, f in pool if _in_dialog(f) and f.node.role == Role.BUTTON and f.node.name]
    choices = sorted(asking, key=lambda f: _go_on_rank(f.node.name))
    out: list[Suggestion] = []
    for item in choices:
        if _BACK_OUT.search(item.node.name.casefold()) or _go_on_rank(item.node.name) >= len(_GO_ON):
            continue
        sentence = a.Click(a.Target(item.node.name)).sentence()
        try:
            found, _ = find_target(scope, "click", item.node.name, timeout=0)
        except LocatorError:
            continue
        if found.ref != item.node.ref or not (is_visible(found.node) and is_enabled(found.node)):
            continue
        dialog = item.window or "a dialog"
        awaited = target_text(action) or "the step"
        reasons = (
            f"{dialog!r} is open in front and asks before {awaited!r} can go on",
            f"button {item.node.name!r} goes on (the others back out)",
            "checked: it finds this button now",
        )
        out.append(Suggestion(sentence, reasons, "insert", _meaning("click", item), strong=True))
    return out


def _in_dialog(item: Facts) -> bool:
    return any(n.role in WINDOW_ROLES and n.role != Role.WINDOW for n in item.ancestors)


def _go_on_rank(name: str) -> int:
    folded = name.casefold()
    return next((i for i, word in enumerate(_GO_ON) if re.search(rf"\b{word}\b", folded)), len(_GO_ON))
