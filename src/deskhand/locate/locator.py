"""Locators: immutable descriptions of an element, resolved late, strict when ambiguous, waiting until usable.

Modelled on Playwright's: ``desk.app("zenity").get_by_label("Email").fill("a@b.c")``. Nothing is looked
up when a locator is made; every action resolves it afresh against the current tree, waits (on
accessibility events, never fixed sleeps) until exactly one element matches and can be used, acts through
the backend, and reads the effect back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

from deskhand.backends.base import AppInfo, MatchingSnapshots, ScrollDirection, TextReadBack, offers
from deskhand.errors import (
    AmbiguousMatch,
    AppNotFound,
    LocatorError,
    LocatorTimeout,
    NoMatch,
    NotActionable,
)
from deskhand.locate.colour_editor import is_colour_entry, shown_when_taken
from deskhand.locate.combo_face import read_back_face
from deskhand.locate.commit import holds_text, shows_option, text_entry_of
from deskhand.locate.dialogs import blocking_dialog
from deskhand.locate.drawn_combo import choose, drawn_button, drawn_combo_of, drawn_entry
from deskhand.locate.focusing import take_focus
from deskhand.locate.radio_group import is_radio_group, radio_named
from deskhand.locate.read_back import read_back
from deskhand.locate.scopes import apps_by_scope, find_scopes
from deskhand.locate.toolbar_box import shows_applied, toolbar_box_entry
from deskhand.locate.view import DesktopView
from deskhand.locate.visibility import is_visible as is_visible  # re-exported: callers import it from here
from deskhand.locate.waiting import retry_until
from deskhand.locate.windows import pointer_of
from deskhand.tree.match import Match, describe, find_all, nearest
from deskhand.tree.node import Node
from deskhand.tree.roles import State
from deskhand.tree.selector import Selector
from deskhand.tree.unlisted_options import lists_no_options


def replace_node(resolved: Resolved, node: Node) -> Resolved:
    """``resolved`` pointing at ``node`` (a descendant of it, such as a combo's entry) instead."""
    if node is resolved.node:
        return resolved
    return Resolved(replace(resolved.match, node=node), resolved.app)


def is_enabled(node: Node) -> bool:
    return State.ENABLED in node.states or State.SENSITIVE in node.states


@dataclass(frozen=True)
class Resolved:
    """One element found: its node, its ancestors, the app it lives in."""

    match: Match
    app: AppInfo

    @property
    def node(self) -> Node:
        return self.match.node

    @property
    def ref(self) -> str:
        return self.match.node.ref


@dataclass(frozen=True)
class Locator:
    desktop: DesktopView
    app_name: str | None = None
    selector: Selector | None = None
    window_title: str | None = None
    timeout: float | None = None
    # The one element this locator means, by ref: set where the selector picks by place (``nth``), which
    # another element takes when the app adds one before it (a mail header row added after typing).
    pinned: str | None = None

    # ---- building ---------------------------------------------------------------------------------
    def locator(self, selector: str | Selector) -> Locator:
        parsed = Selector.parse(selector) if isinstance(selector, str) else selector
        combined = parsed.scoped_to(self.selector) if self.selector is not None else parsed
        return replace(self, selector=combined)

    def get_by_role(self, role: str, *, name: str | None = None, exact: bool = False) -> Locator:
        return self.locator(Selector(role=role, name=name, exact=exact))

    def get_by_label(self, label: str, *, exact: bool = False) -> Locator:
        return self.locator(Selector(label=label, exact=exact))

    def get_by_text(self, text: str, *, exact: bool = False) -> Locator:
        return self.locator(Selector(text=text, exact=exact))

    def get_by_placeholder(self, text: str, *, exact: bool = False) -> Locator:
        return self.locator(Selector(placeholder=text, exact=exact))

    def window(self, title: str) -> Locator:
        return replace(self, window_title=title)

    def nth(self, index: int) -> Locator:
        base = self.selector or Selector()
        return replace(self, selector=base.with_nth(index))

    @property
    def first(self) -> Locator:
        return self.nth(0)

    def filter(self, *, has_text: str | None = None, states: frozenset[str] = frozenset()) -> Locator:
        base = self.selector or Selector()
        return replace(self, selector=replace(base, text=has_text or base.text, states=base.states | states))

    def with_timeout(self, seconds: float) -> Locator:
        return replace(self, timeout=seconds)

    def pinned_to(self, ref: str) -> Locator:
        """This locator, meaning only the element ``ref`` among its matches (not found once it is gone)."""
        return replace(self, pinned=ref)

    def describe(self) -> str:
        """What is looked for and where, for a message that says it was not found: a search that names no
        app also names the running apps it did not look in (kept out of scope, AppsInScope)."""
        described = self._what_where()
        if not self.app_name:
            unsearched = [app.name for app in apps_by_scope(self.desktop)[1]]
            if unsearched:
                names = ", ".join(repr(name) for name in dict.fromkeys(unsearched))
                described += f" (not searched: {names}, outside this workflow's apps)"
        return described

    def _what_where(self) -> str:
        where = f"in {self.app_name!r}" if self.app_name else "on the desktop"
        if self.window_title:
            where += f", window or group {self.window_title!r}"
        what = str(self.selector) if self.selector is not None else "the window"
        return f"{what} {where}"

    def __str__(self) -> str:
        return self._what_where()

    # ---- resolving --------------------------------------------------------------------------------
    def _timeout(self) -> float:
        return self.desktop.timeout if self.timeout is None else self.timeout

    def _needle(self) -> tuple[str, bool] | None:
        """The words every match must show (by name or text) or be labelled with, and whether they are a
        label's, when that is all that narrows the search: then a backend may read only what could match
        (MatchingSnapshots). A placeholder is not a name: it needs the whole tree."""
        selector = self.selector
        if selector is None or selector.within is not None or selector.placeholder is not None:
            return None
        if selector.label is not None:
            # Any name or text must then hold as well: the label's words narrow the tree enough.
            return (selector.label, True) if selector.label else None
        words = selector.name or selector.text
        return (words, False) if words else None

    def _read(self, app_ref: str, *, whole: bool) -> Node:
        backend = self.desktop.backend
        needle = None if whole else self._needle()
        if needle is not None and offers(backend, MatchingSnapshots):
            return cast(MatchingSnapshots, backend).snapshot_matching(app_ref, needle[0], by_label=needle[1])
        return backend.snapshot(app_ref)

    def _scopes(self, *, whole: bool = False) -> list[tuple[AppInfo, Node]]:
        return find_scopes(self.desktop, self.app_name, self.window_title, lambda ref: self._read(ref, whole=whole))

    def resolve_all(self) -> list[Resolved]:
        """Every current match, visible ones first (``nth`` counts among those)."""
        found: list[Resolved] = []
        selector = self.selector
        for app, root in self._scopes():
            if selector is None:
                found.append(Resolved(Match(node=root, ancestors=()), app))
                continue
            unnumbered = replace(selector, nth=None)
            found.extend(Resolved(m, app) for m in find_all(root, unnumbered, index=self.desktop.role_index))
        visible = [r for r in found if is_visible(r.node) or _face_shown(r)]
        # Hidden matches (closed menus, other tabs) only count when nothing visible matches.
        pool = visible or found
        best = min((r.match.rank for r in pool), default=0)
        pool = [r for r in pool if r.match.rank == best]
        if self.pinned is not None:
            return [r for r in pool if r.ref == self.pinned]
        if selector is not None and selector.nth is not None:
            index = selector.nth
            return [pool[index]] if -len(pool) <= index < len(pool) else []
        return pool

    def resolve(self) -> Resolved:
        """Exactly one element, now (no waiting); NoMatch or AmbiguousMatch otherwise."""
        found = self.resolve_all()
        if len(found) == 1:
            return found[0]
        if not found:
            raise NoMatch(f"Nothing matches {self.describe()}.", candidates=self.nearest_candidates())
        raise AmbiguousMatch(
            f"{len(found)} elements match {self.describe()}.",
            candidates=[describe(r.node) for r in found[:8]],
        )

    def nearest_candidates(self) -> list[str]:
        """What is on screen closest to what this locator wants, described for a person."""
        if self.selector is None:
            return []
        try:
            scopes = self._scopes(whole=True)  # the nearest misses may be named anything
        except LocatorError:
            return []
        out: list[str] = []
        for _, root in scopes:
            out.extend(nearest(root, replace(self.selector, nth=None, within=None), k=5))
        return out[:5]

    def wait_for(self, *, state: str = "visible", timeout: float | None = None) -> Resolved | None:
        """Wait until the element is ``visible`` / ``attached`` / ``enabled``, or ``hidden`` (returns None)."""
        limit = self._timeout() if timeout is None else timeout

        def attempt() -> Resolved | None:
            if state == "hidden":
                if any(is_visible(r.node) for r in self.resolve_all()):
                    raise NotActionable(f"{self.describe()} is still there.")
                return None
            try:
                resolved = self.resolve()
                # A combo the toolkit draws itself is used through its shown entry (which then stands for
                # it), or seen in its shown button (drawn_combo.py).
                parent = resolved.match.ancestors[-1] if resolved.match.ancestors else None
                shown = drawn_entry(resolved.node, parent) or drawn_button(resolved.node, parent)
                if shown is not None and state != "attached":
                    resolved = replace_node(resolved, shown)
                if state in ("visible", "enabled") and not is_visible(resolved.node):
                    raise NotActionable(f"{describe(resolved.node)} is not visible.")
            except (NoMatch, NotActionable):
                if state != "attached":
                    self._fail_on_dialog()
                raise
            if state == "enabled" and not is_enabled(resolved.node):
                raise NotActionable(f"{describe(resolved.node)} is disabled.")
            return resolved

        return retry_until(
            self.desktop.backend, attempt, timeout=limit, on_timeout=lambda last: self._timed_out(last, limit)
        )

    def _fail_on_dialog(self) -> None:
        """A modal dialog in front is why the element is missing or hidden: waiting will not help."""
        dialog = blocking_dialog(self.desktop, self.app_name, self.window_title)
        if dialog is None:
            return
        # What this locator looks for may be the dialog or inside it (a Save As field): then it is no
        # stranger, and the next look (on the fresh read the check made) finds it.
        inside = {n.ref for n in dialog.node.walk()}
        try:
            if any(r.ref in inside for r in self.resolve_all()):
                return
        except LocatorError:
            pass
        raise dialog.error(f"waiting for {self.describe()}")

    def _timed_out(self, last: LocatorError | None, limit: float) -> LocatorError:
        if isinstance(last, NoMatch | AmbiguousMatch | NotActionable):
            last.message = f"{last.message} (waited {limit:.1f} s)"
            return last
        return LocatorTimeout(f"Gave up on {self.describe()} after {limit:.1f} s.")

    def _actionable(self) -> Resolved:
        resolved = self.wait_for(state="enabled")
        assert resolved is not None
        return resolved

    # ---- actions ----------------------------------------------------------------------------------
    def click(self, *, button: str = "left", count: int = 1) -> Resolved:
        resolved = self._actionable()
        self.desktop.backend.click(resolved.ref, button=button, count=count)  # type: ignore[arg-type]
        return resolved

    def double_click(self) -> Resolved:
        return self.click(count=2)

    def right_click(self) -> Resolved:
        return self.click(button="right")

    def drag_to(self, other: Locator) -> Resolved:
        """Press on this element, move with the button held, release on ``other`` (X pointer)."""
        resolved, target = self._actionable(), other._actionable()
        pointer_of(self.desktop).drag(resolved.ref, target.ref)
        return resolved

    def click_at(self, x: int, y: int, *, button: str = "left", count: int = 1) -> Resolved:
        """Click ``x``, ``y`` pixels from the element's top-left corner."""
        resolved = self._actionable()
        pointer_of(self.desktop).click_at(resolved.ref, x, y, button=button, count=count)  # type: ignore[arg-type]
        return resolved

    def focus(self) -> Resolved:
        """Give the element the keyboard focus; returns once the app reports it holds it (``take_focus``)."""
        resolved = self._actionable()
        take_focus(self.desktop, resolved.match, self._what_where(), self._timeout())
        return resolved

    def fill(self, text: str) -> Resolved:
        """Replace the field's text and read back what the app holds; fails, saying what it holds, when the
        app did not take the value (clamped, rejected, reformatted)."""
        resolved = self._actionable()
        box_entry = toolbar_box_entry(resolved.match)
        if box_entry is not None:
            return self._fill_toolbar_box(resolved, box_entry, text)
        entry = text_entry_of(resolved.node)
        backend = self.desktop.backend
        # Where the backend writes and reads back in one go, its read-back is the first look at the effect.
        if offers(backend, TextReadBack):
            first: Node | None = cast(TextReadBack, backend).set_text_and_read(entry.ref, text)
        else:
            backend.set_text(entry.ref, text)
            first = None
        shown = "••••" if State.PASSWORD in entry.states else repr(text)
        self._read_back(replace_node(resolved, entry), lambda n: holds_text(n, text), f"to hold {shown}", first)
        parent = resolved.match.ancestors[-1] if entry is resolved.node and resolved.match.ancestors else None
        if is_colour_entry(entry, parent):
            # GTK's colour editor takes a typed colour on Enter only: committed as a person does, then read
            # back as the editor shows the colour it took (colour_editor.py).
            take_focus(self.desktop, resolved.match, self._what_where(), self._timeout())
            backend.press("Enter")
            taken = shown_when_taken(text)
            holds_taken: Callable[[Node], bool] = lambda n: taken is not None and n.value == taken  # noqa: E731
            self._read_back(resolved, holds_taken, f"to take the colour {taken or text!r}")
        return resolved

    def _fill_toolbar_box(self, resolved: Resolved, entry: Node, text: str) -> Resolved:
        """A toolbar's box (toolbar_box.py): typed into with the focus in it, applied with Enter, read back
        once the box has taken it (the focus gone back to the document, or the box showing it anew)."""
        inside = replace_node(resolved, entry)
        take_focus(self.desktop, inside.match, self._what_where(), self._timeout())
        self.desktop.backend.set_text(entry.ref, text)
        self._read_back(inside, lambda n: holds_text(n, text), f"to hold {text!r}")
        self.desktop.backend.press("Enter")

        def taken(node: Node) -> bool:
            return shows_applied(node, text) and (State.FOCUSED not in node.states or node.value != text)

        self._read_back(inside, taken, f"to apply {text!r} on Enter")
        return resolved

    def select_option(self, option: str) -> Resolved:
        resolved = self._actionable()
        if is_radio_group(resolved.node):
            radio = replace_node(resolved, radio_named(resolved.node, option))
            self.desktop.backend.set_checked(radio.ref, True)
            self._read_back(radio, lambda n: State.CHECKED in n.states, f"to have {option!r} chosen")
            return resolved
        if drawn_combo_of(resolved.node, resolved.match.ancestors[-1] if resolved.match.ancestors else None):
            # A combo the toolkit draws itself, seen in its button: its list opens from it.
            choose(self.desktop, resolved.app.ref, resolved.match.window, resolved.node, option, self._timeout())
            return resolved
        self.desktop.backend.select_option(resolved.ref, option)
        if lists_no_options(resolved.node):
            # Nothing in the tree says what it holds: its face on screen does (combo_face.py).
            read_back_face(self.desktop.backend, resolved.node, option, self._timeout())
            return resolved
        self._read_back(resolved, lambda n: shows_option(n, option), f"to have {option!r} selected")
        return resolved

    def check(self) -> Resolved:
        return self._set_checked(True)

    def uncheck(self) -> Resolved:
        return self._set_checked(False)

    def _set_checked(self, on: bool) -> Resolved:
        resolved = self._actionable()
        self.desktop.backend.set_checked(resolved.ref, on)
        self._read_back(
            resolved,
            lambda n: (State.CHECKED in n.states or State.PRESSED in n.states) == on,
            "to be checked" if on else "to be unchecked",
        )
        return resolved

    def press(self, keys: str) -> Resolved:
        resolved = self.focus()
        self.desktop.backend.press(keys)
        return resolved

    def type(self, text: str) -> Resolved:
        resolved = self.focus()
        self.desktop.backend.type_text(text)
        return resolved

    def scroll(self, direction: ScrollDirection = "down", amount: int = 3) -> Resolved:
        resolved = self._actionable()
        self.desktop.backend.scroll(resolved.ref, direction, amount)
        return resolved

    def scroll_into_view(self) -> Resolved:
        resolved = self.wait_for(state="attached")
        assert resolved is not None
        self.desktop.backend.scroll_into_view(resolved.ref)
        return resolved

    def _read_back(
        self, resolved: Resolved, holds: Callable[[Node], bool], wanted: str, first: Node | None = None
    ) -> Node:
        return read_back(self.desktop.backend, resolved.node, holds, wanted, self._timeout(), first)

    # ---- reading ----------------------------------------------------------------------------------
    def count(self) -> int:
        try:
            return len(self.resolve_all())
        except (NoMatch, AppNotFound):
            return 0

    def is_visible(self) -> bool:
        try:
            return is_visible(self.resolve().node)
        except LocatorError:
            return False

    def text(self) -> str:
        resolved = self.wait_for(state="attached")
        assert resolved is not None
        node = self.desktop.backend.refresh(resolved.ref)
        return node.value if node.value is not None else node.name

    def value(self) -> str | None:
        resolved = self.wait_for(state="attached")
        assert resolved is not None
        return self.desktop.backend.refresh(resolved.ref).value

    def is_checked(self) -> bool:
        resolved = self.wait_for(state="attached")
        assert resolved is not None
        node = self.desktop.backend.refresh(resolved.ref)
        return State.CHECKED in node.states or State.PRESSED in node.states

    def is_enabled(self) -> bool:
        resolved = self.wait_for(state="attached")
        assert resolved is not None
        return is_enabled(resolved.node)


def _face_shown(resolved: Resolved) -> bool:
    """A combo box the toolkit keeps hidden beside a face it draws (LibreOffice's Find & Replace, its Font
    Size box) is as shown as that face: its label names it, not the shown buttons that merely start with
    the label's words ("Find All" for "Find:"), which a search keeping only shown matches took instead."""
    parent = resolved.match.ancestors[-1] if resolved.match.ancestors else None
    return drawn_entry(resolved.node, parent) is not None or drawn_button(resolved.node, parent) is not None
