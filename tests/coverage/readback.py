"""Read-backs for coverage cells: what the app will use, read after the step language acted."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.coverage.cells import Probe, Verify
from tests.fixtures.painted_rows import band_colour, painted_selected

from deskhand.errors import ActionFailed, LocatorError
from deskhand.locate.combo_face import read_back_face
from deskhand.tree.node import Node
from deskhand.tree.order import reading_order
from deskhand.tree.roles import State
from deskhand.tree.selector import Selector
from deskhand.tree.unlisted_options import face_of

REPORT_WAIT_S = 2.0


def reported(widget: str, wanted: Any) -> Verify:
    """The app's own last report for ``widget`` (one JSON line per change) is ``wanted``."""

    def verify(probe: Probe) -> str | None:
        # The app reports from its own event loop, after the action returned: wait for the report to arrive.
        deadline = time.monotonic() + REPORT_WAIT_S
        while True:
            seen = [json.loads(line) for line in probe.output() if line.startswith("{")]
            seen.sort(key=lambda event: event.get("seq", 0))  # the web page numbers its reports
            values = [event["value"] for event in seen if event.get("widget") == widget]
            if values and values[-1] == wanted:
                return None
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if not values:
            return f"the app reported no change of its {widget} (it did not take the action)"
        return f"the app holds {values[-1]!r}, not {wanted!r}"

    return verify


def _node_states(probe: Probe, selector: str) -> tuple[frozenset[str], str | None]:
    locator = probe.desktop.app(probe.app).locator(Selector.parse(selector))
    node = probe.desktop.backend.refresh(locator.resolve().ref)
    return node.states, node.value


def has_state(selector: str, state: State, on: bool = True) -> Verify:
    """The element (a selector that picks out exactly one) has ``state`` (or not): the app's own state."""

    def verify(probe: Probe) -> str | None:
        try:
            states, _ = _node_states(probe, selector)
        except LocatorError as error:
            return f"read-back: {error.message}"
        if (state in states) != on:
            return f"the app does not report it {'' if on else 'not '}{state.value} afterwards"
        return None

    return verify


def holds_value(selector: str, wanted: str) -> Verify:
    """The element's committed value (AT-SPI Value / text) is ``wanted``."""

    def verify(probe: Probe) -> str | None:
        try:
            _, value = _node_states(probe, selector)
        except LocatorError as error:
            return f"read-back: {error.message}"
        if value is None or value.strip() != wanted:
            return f"the app holds {value!r}, not {wanted!r}"
        return None

    return verify


def shows(selector: str) -> Verify:
    """Something the action should have brought up is on screen (a dialog, a page, a popover)."""

    def verify(probe: Probe) -> str | None:
        # The app opens it from its own event loop after the click returned: wait for it, on events.
        deadline = time.monotonic() + REPORT_WAIT_S
        while True:
            try:
                found = probe.desktop.app(probe.app).locator(Selector.parse(selector)).resolve_all()
            except LocatorError as error:
                return f"read-back: {error.message}"
            if found or time.monotonic() > deadline:
                return None if found else f"nothing matching {selector} appeared"
            probe.desktop.backend.wait_for_change(0.1)

    return verify


def row_selected(label: str) -> Verify:
    """The list row holding the label ``label`` is the selected one (the app's own selection state)."""

    def verify(probe: Probe) -> str | None:
        try:
            found = probe.desktop.app(probe.app).locator(Selector(role="label", name=label, exact=True)).resolve()
        except LocatorError as error:
            return f"read-back: {error.message}"
        rows = [node for node in found.match.ancestors if node.role in ("listitem", "row", "option")]
        if not rows:
            return f"the label {label!r} is in no list row"
        # The app reports the selection once it has handled the click (GTK 4 under load: after the step
        # returned): looked at until it says so or REPORT_WAIT_S pass, like the other read-backs here.
        deadline = time.monotonic() + REPORT_WAIT_S
        while State.SELECTED not in probe.desktop.backend.refresh(rows[-1].ref).states:
            if time.monotonic() > deadline:
                return f"the app does not report the row {label!r} selected"
            probe.desktop.backend.wait_for_change(0.1)
        return None

    return verify


def shows_window(words: str) -> Verify:
    """A window (or dialog) of the app whose title holds ``words`` is open: what the action brought up."""

    def verify(probe: Probe) -> str | None:
        deadline = time.monotonic() + REPORT_WAIT_S
        while True:
            found = probe.desktop.find_app(probe.app)
            titles = [w.title for w in found.windows] if found is not None else []
            if any(words.casefold() in title.casefold() for title in titles):
                return None
            if time.monotonic() > deadline:
                return f"no window titled with {words!r} appeared (windows: {', '.join(map(repr, titles))})"
            probe.desktop.backend.wait_for_change(0.1)

    return verify


def face_shows(position: int, words: str) -> Verify:
    """The combo box at ``position`` on screen (reading order, 0-based) whose list names no options shows
    ``words`` on its face, read from its pixels: what such a combo tells of its choice (tree/unlisted_options.py)."""

    def verify(probe: Probe) -> str | None:
        backend = probe.desktop.backend
        combos = probe.desktop.app(probe.app).locator(Selector(role="combobox")).resolve_all()
        # GTK 4 keeps the places of widgets on stack pages not shown: only combos the app says are here count.
        shown = [r.node for r in combos if r.node.bounds is not None and _holds_own_centre(probe, r.node)]
        ordered = reading_order(shown, lambda node: node)
        if position >= len(ordered):
            return f"read-back: only {len(ordered)} combo boxes are shown"
        combo = backend.refresh(ordered[position].ref)
        if face_of(combo) is None:
            return f"read-back: the combo box at {position + 1} on screen lists its options (no face to read)"
        try:
            read_back_face(backend, combo, words, REPORT_WAIT_S)
        except ActionFailed as error:
            return f"read-back: {error.message}"
        return None

    return verify


def _holds_own_centre(probe: Probe, node: Node) -> bool:
    assert node.bounds is not None
    x, y = node.bounds.center
    return not node.bounds.empty and bool(probe.desktop.backend.contains_point(node.ref, x, y))  # type: ignore[attr-defined]


def drawn_row_selected(words: str, *, scrolled_past: str | None = None) -> Verify:
    """The row of a view that lists no rows (GTK 4.8's tree view) holding ``words`` is painted selected —
    the app's own drawing of its selection, the only way it shows it. ``scrolled_past``: words of a row the
    view showed when the cell began, gone once the view was scrolled to the row clicked."""

    def verify(probe: Probe) -> str | None:
        found = probe.desktop.find_app(probe.app)
        if found is None:
            return f"the app {probe.app!r} is gone"
        backend = probe.desktop.backend
        # GTK paints the selection on its next frame after the click: looked at until it does, like the others.
        deadline = time.monotonic() + REPORT_WAIT_S
        while not painted_selected(colour := band_colour(backend, found.ref, words)):
            if time.monotonic() > deadline:
                shown = "is not shown in any view" if colour is None else f"is painted {colour}, not selected"
                return f"the row {words!r} {shown}"
            backend.wait_for_change(0.1)
        if scrolled_past is not None and band_colour(backend, found.ref, scrolled_past) is not None:
            return f"the view still shows {scrolled_past!r}: it was not scrolled to {words!r}"
        return None

    return verify
