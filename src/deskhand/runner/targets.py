"""Turning a step's free-text target ("Save", "Email") into one element, the way a person would read it.

A step names an element by what a person sees: an accessible name, a label, visible text or a
placeholder. Each action kind tries the selectors that fit it, in order (a click prefers buttons and links;
typing prefers labelled fields), and the first selector that picks out exactly one visible element wins.
The winning selector is what the lock records, so a replay goes straight to it.
"""

from __future__ import annotations

from dataclasses import replace

from deskhand.errors import AmbiguousMatch, LocatorError, NodeGone, NoMatch
from deskhand.locate.dialogs import blocking_dialog
from deskhand.locate.locator import Locator, Resolved
from deskhand.locate.waiting import retry_until
from deskhand.runner.menus import ambiguous_menu_items
from deskhand.tree.match import describe
from deskhand.tree.selector import Selector

_CLICKABLE = ("button", "link", "menuitem", "tab", "checkbox", "radio", "listitem", "option", "treeitem", "cell")
_FIELDS = ("textbox", "searchbox", "combobox", "spinbutton")


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


def find_target(scope: Locator, kind: str, text: str, *, timeout: float) -> tuple[Resolved, Selector]:
    """Wait until one candidate selector picks out exactly one element; return it and the selector."""
    candidates = candidate_selectors(kind, text)
    ambiguous: list[AmbiguousMatch] = []

    def search() -> tuple[Resolved, Selector] | None:
        ambiguous.clear()
        for selector in candidates:
            locator = scope.locator(selector)
            try:
                found = locator.resolve_all()
            except NoMatch:
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
        if ambiguous:
            raise ambiguous[0]
        return None

    def attempt() -> tuple[Resolved, Selector]:
        found = search()
        # A modal dialog in front takes every click and key: a target outside it (even one still shown
        # behind it) cannot be used, and waiting will not make the dialog go away.
        dialog = blocking_dialog(scope.desktop, scope.app_name, scope.window_title)
        if dialog is not None and (found is None or dialog.node.find(found[0].ref) is None):
            raise dialog.error(f"finding {text!r}")
        if found is not None:
            return found  # hidden ones (in a closed menu, another tab): the action waits or opens the way
        raise NoMatch(f"Nothing called {text!r} in {scope.describe()}.", candidates=_nearest(scope, candidates[0]))

    def on_timeout(last: LocatorError | None) -> Exception:
        if last is not None:
            last.message = f"{last.message} (waited {timeout:.1f} s)"
            return last
        return NoMatch(f"Nothing called {text!r} in {scope.describe()}.")

    return retry_until(scope.desktop.backend, attempt, timeout=timeout, on_timeout=on_timeout)


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
