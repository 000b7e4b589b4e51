"""Turning a step's free-text target ("Save", "Email") into one element, the way a person would read it.

A step names an element by what a person sees: an accessible name, a label, visible text or a
placeholder. Each action kind tries the selectors that fit it, in order (a click prefers buttons and links;
typing prefers labelled fields), and the first selector that picks out exactly one visible element wins.
The winning selector is what the lock records, so a replay goes straight to it.
"""

from __future__ import annotations

import time
from dataclasses import replace

from deskhand.backends.base import Backend
from deskhand.errors import AmbiguousMatch, LocatorError, NodeGone, NoMatch
from deskhand.locate.dialogs import blocking_dialog
from deskhand.locate.locator import Locator, Resolved, is_visible
from deskhand.locate.radio_group import is_radio_group
from deskhand.locate.waiting import retry_until
from deskhand.runner.menus import MENU_ROLES, ambiguous_menu_items
from deskhand.tree.match import describe
from deskhand.tree.node import Node
from deskhand.tree.order import reading_order
from deskhand.tree.roles import TEXT_INPUT_ROLES, WINDOW_ROLES, Role, State
from deskhand.tree.selector import Selector
from deskhand.workflows.ordinals import ordinal_text

_CLICKABLE = ("button", "link", "menuitem", "tab", "checkbox", "radio", "listitem", "option", "treeitem", "cell")
_FIELDS = ("textbox", "searchbox", "combobox", "spinbutton")
# What is pressed, shown or holds other elements never takes typed text: typing "into" one would click it
# (a "Cc" button just pressed, still there before the Cc field it opens) or type into nothing readable (the
# frame around a mail body whose document is being replaced). The step waits for the field instead.
_NEVER_TYPED_INTO = frozenset(
    {
        Role.BUTTON,
        Role.LINK,
        Role.MENUITEM,
        Role.MENUITEMCHECKBOX,
        Role.MENUITEMRADIO,
        Role.CHECKBOX,
        Role.RADIO,
        Role.SWITCH,
        Role.TAB,
        Role.LABEL,
        Role.HEADING,
        Role.IMAGE,
        *WINDOW_ROLES,
    }
)


def candidate_selectors(kind: str, text: str) -> list[Selector]:
    """The selectors that may mean ``text`` for an action of ``kind``, most likely first."""
    if kind in ("click",):
        by_role = [Selector(role=role, name=text) for role in _CLICKABLE]
        return [*by_role, Selector(text=text)]
    if kind == "right_click":
        # A context menu is most often wanted on a field (cut, paste, select all), named by its label.
        by_role = [Selector(role=role, name=text) for role in _CLICKABLE]
        return [
            *by_role,
            Selector(label=text),
            *(Selector(role=role, name=text) for role in _FIELDS),
            Selector(text=text),
        ]
    if kind in ("type_text", "read", "expect_field"):
        return [
            Selector(label=text),
            *(Selector(role=role, name=text) for role in _FIELDS),
            # A mail body or rich-text editor is a document named by its label ("Message body").
            Selector(role="document", name=text),
            Selector(placeholder=text),
            Selector(text=text),
        ]
    if kind == "choose":
        return [
            Selector(role="combobox", label=text),
            Selector(role="combobox", name=text),
            Selector(role="listbox", name=text),
            # A radio group named by its legend: its label finds the first radio after it, not the group.
            Selector(role="group", name=text),
            Selector(label=text),
            Selector(text=text),
        ]
    if kind == "set_checked":
        return [
            Selector(role="checkbox", name=text),
            Selector(role="switch", name=text),
            Selector(role="radio", name=text),
            Selector(role="menuitemcheckbox", name=text),
            Selector(role="checkbox", label=text),
            # A switch is often a nameless toggle beside its label (GTK3's GtkSwitch).
            Selector(role="switch", label=text),
            Selector(role="button", name=text),
            Selector(role="button", label=text),
        ]
    return [Selector(text=text)]


def names(kind: str, text: str, node: Node) -> bool:
    """Whether ``node`` can be what a step of ``kind`` means by ``text``: a text field is clicked by its name
    or label, never by the text typed in it (an address bar showing ".../tools" is not "Tools"); text is
    typed into what takes it."""
    if kind == "type_text":
        if node.role == Role.COMBOBOX:
            # A choice without an entry ("To:" choosing a header's kind) takes no text.
            return any(State.EDITABLE in part.states for part in node.walk())
        if State.READ_ONLY in node.states:
            return False
        # A button that holds a value takes one typed (a page's colour well: Blink's ColorWell, "#336699").
        holds_value = node.role == Role.BUTTON and node.value is not None
        return node.role not in _NEVER_TYPED_INTO or State.EDITABLE in node.states or holds_value
    if kind == "choose" and node.role == Role.GROUP:
        return is_radio_group(node)  # a group is chosen in when it holds radios
    if kind != "click" or node.role not in TEXT_INPUT_ROLES:
        return True
    return _squash(text) in _squash(node.name)


def _squash(text: str) -> str:
    return " ".join(text.casefold().split())


def find_target(
    scope: Locator, kind: str, text: str, *, timeout: float, position: int | None = None, role: str | None = None
) -> tuple[Resolved, Selector]:
    """Wait until one candidate selector picks out exactly one element; return it and the selector.

    With ``position`` the first candidate selector that matches anything picks its match at that place in
    reading order (``the second "checkbutton"``); ``role`` alone (no text) names the kind of element
    (``the first switch``)."""
    candidates = [Selector(role=role)] if role is not None and not text else candidate_selectors(kind, text)
    ambiguous: list[AmbiguousMatch] = []
    wanted = describe_position(text, position, role)

    def search(inside: set[str] | None) -> tuple[Resolved, Selector] | None:
        ambiguous.clear()
        hidden_part: tuple[Resolved, Selector] | None = None
        # An item in a closed menu gives way to a shown element of the name a later candidate finds (Calc's
        # toolbar toggle "Bold", not Format > Text > Bold, which Calc rebuilds after each command: it was
        # missing from the tree for the step's whole wait in 2 of 12 runs): a person uses what is in front.
        menu_item: tuple[Resolved, Selector] | None = None
        for selector in candidates:
            locator = scope.locator(selector)
            try:
                matches = locator.resolve_all()
            except NoMatch:
                continue
            # With a modal dialog open, only what is in it (``inside``): a person works in the dialog in front.
            found = [r for r in matches if names(kind, text, r.node) and (inside is None or r.node.ref in inside)]
            if position is not None and found and _being_placed(found):
                # A person counts a window that has stopped moving (a mail header row just added shows
                # before it has a place, and the rows below move): count once the app is quiet.
                _quiet(scope.desktop.backend)
                matches = locator.resolve_all()
                found = [r for r in matches if names(kind, text, r.node) and (inside is None or r.node.ref in inside)]
            if position is not None and found:
                return _at_position(scope, selector, found, matches, position, wanted)
            if menu_item is not None:
                # Only a shown element named so, of a kind the step means (not words in a label), gives way.
                found = [r for r in found if is_visible(r.node)] if selector.role is not None else []
            if len(found) == 1 and len(matches) > 1:
                # The selector alone also finds what the step cannot mean: the step's lock, its action
                # and its read-back must reach this element alone.
                selector = _narrowed(selector, found[0], matches)
            if len(found) == 1 and hidden_part is not None and not _shown_whole(found[0]):
                continue
            if len(found) == 1 and menu_item is None and _in_closed_menu(found[0]):
                menu_item = found[0], selector
                continue
            if len(found) == 1 and hidden_part is None and _hidden_part(found[0]):
                # A hidden element that only contains the words ("About Widget Factory" in a closed
                # popover) gives way to one with exactly them ("About" in the Help menu).
                hidden_part = found[0], selector
                continue
            if len(found) == 1:
                _alive(scope, found[0])
                return found[0], selector
            if len(found) > 1:
                ambiguous.append(
                    ambiguous_menu_items(text, found)
                    or AmbiguousMatch(
                        f"{len(found)} elements match {text!r} in {scope.describe()}.",
                        candidates=[describe(r.node) for r in found[:8]],
                    )
                )
        # A menu item with exactly the words outranks a hidden element that only contains them ("About" in
        # GTK3's Help menu, still opening, not the closed popover's "About Widget Factory"); one with part of
        # them comes after it.
        item = menu_item if menu_item is not None and not ambiguous else None
        whole_item = item if item is not None and _shown_whole(item[0]) else None
        for held in (whole_item, hidden_part, None if whole_item is not None else item):
            if held is not None:
                _alive(scope, held[0])
                return held
        if ambiguous:
            raise ambiguous[0]
        return None

    def attempt() -> tuple[Resolved, Selector]:
        # A modal dialog in front takes every click and key: a target outside it (even one still shown
        # behind it) cannot be used, and waiting will not make the dialog go away. So the target is looked
        # for in the dialog alone, as a person looks: "Percent" in Format Cells' Category list, not the
        # toolbar's Percent button behind it.
        dialog = blocking_dialog(scope.desktop, scope.app_name, scope.window_title)
        found = search(None if dialog is None else {node.ref for node in dialog.node.walk()})
        if dialog is not None and found is None:
            raise dialog.error(f"finding {text!r}")
        if found is not None:
            return found  # hidden ones (in a closed menu, another tab): the action waits or opens the way
        raise NoMatch(f"Nothing called {wanted} in {scope.describe()}.", candidates=_nearest(scope, candidates[0]))

    def on_timeout(last: LocatorError | None) -> Exception:
        if last is not None:
            last.message = f"{last.message} (waited {timeout:.1f} s)"
            return last
        return NoMatch(f"Nothing called {wanted} in {scope.describe()}.")

    return retry_until(scope.desktop.backend, attempt, timeout=timeout, on_timeout=on_timeout)


def _in_closed_menu(found: Resolved) -> bool:
    return found.node.role in MENU_ROLES and not is_visible(found.node)


def _placed(found: Resolved) -> bool:
    return found.node.bounds is not None and not found.node.bounds.empty


def _being_placed(found: list[Resolved]) -> bool:
    return any(is_visible(r.node) and not _placed(r) for r in found)


def _quiet(backend: Backend, *, quiet_s: float = 0.25, limit_s: float = 2.0) -> None:
    """Until no accessibility event came for ``quiet_s`` (at most ``limit_s``)."""
    deadline = time.monotonic() + limit_s
    while (left := deadline - time.monotonic()) > 0 and backend.wait_for_change(min(quiet_s, left)):
        pass


def _narrowed(selector: Selector, chosen: Resolved, matches: list[Resolved]) -> Selector:
    """``selector`` made to find ``chosen`` alone among ``matches``: by its role where that sets it apart
    (what a step cannot mean is of another role), else by its place among the matches."""
    if selector.role is None and sum(r.node.role == chosen.node.role for r in matches) == 1:
        return replace(selector, role=chosen.node.role)
    return selector.with_nth(matches.index(chosen))


def _hidden_part(found: Resolved) -> bool:
    return found.match.rank > 0 and not is_visible(found.node)


def _shown_whole(found: Resolved) -> bool:
    return found.match.rank == 0


def describe_position(text: str, position: int | None, role: str | None) -> str:
    """The target as the sentence said it: ``'OK'``, ``the second 'OK'``, ``the first switch``."""
    what = repr(text) if text or role is None else str(role)
    return what if position is None else f"the {ordinal_text(position)} {what}"


def _at_position(
    scope: Locator, selector: Selector, found: list[Resolved], matches: list[Resolved], position: int, wanted: str
) -> tuple[Resolved, Selector]:
    """The match at ``position`` in reading order, and a selector that finds it again (its ``nth`` among
    the locator's own ``matches``, so a replay and the action's read-back reach the same element).
    A person counts what is shown: elements out of sight (in another tab) count only when nothing is shown."""
    shown = [r for r in found if is_visible(r.node)]
    placed = [r for r in shown if _placed(r)]  # ...where it is shown
    ordered = reading_order(placed or shown or found, lambda r: r.node)
    if not -len(ordered) <= position < len(ordered):
        raise NoMatch(
            f"{wanted[0].upper()}{wanted[1:]} is not there: only {len(ordered)} match in {scope.describe()}.",
            candidates=[describe(r.node) for r in ordered[:8]],
        )
    chosen = ordered[position]
    _alive(scope, chosen)
    return chosen, selector.with_nth(matches.index(chosen))


def _nearest(scope: Locator, selector: Selector) -> list[str]:
    locator = scope.locator(replace(selector, role=None) if selector.role else selector)
    try:
        return locator.nearest_candidates()
    except LocatorError:
        return []


def _alive(scope: Locator, found: Resolved) -> None:
    """A match read before the app announced its removal (a Cc button replaced by the Cc field it opens) is
    no match: the app is read afresh and the search goes on."""
    try:
        scope.desktop.backend.refresh(found.ref)
    except NodeGone:
        scope.desktop.backend.invalidate(found.app.ref)
        raise NoMatch(f"{describe(found.node)} is gone; looking again.") from None
