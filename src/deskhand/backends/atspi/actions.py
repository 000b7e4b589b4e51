"""How each action is carried out on real toolkits: AT-SPI first, XTest where AT-SPI falls short.

Per-toolkit gaps, measured (see PLATFORM-NOTES and ARCHITECTURE.md):
- GTK3: ``DoAction`` on a button that opens a modal dialog freezes the app's AT-SPI until the dialog
  closes, so GTK3 buttons and menu items are pressed with an X click at their centre when X is there.
- Chromium: inputs have no EditableText (focus, select all, type with XTest); number inputs ignore Value.
- ``<select>`` and GTK combos: press the option item; ``Selection.SelectChild`` does nothing.
- Qt ``QComboBox``: needs X clicks (open the popup, click the item). Qt item views (list, tree, table):
  a cell's action toggles its selection but not the current item the app follows: X click the row. A Qt
  menu item's action runs it but leaves the menu open: X click it, which closes the menu as for a person.
- Gecko: ``Selection`` and ``Value`` change a ``<select>`` or number input without an input or change
  event for the page: an open list's option is X-clicked, a closed ``<select>`` takes its option's name
  typed while focused, a number input is typed into.
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any

from dbus_fast import Variant

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import Channel, bounded_gather
from deskhand.backends.atspi.choosing import Choosing
from deskhand.backends.atspi.extras import is_number
from deskhand.backends.atspi.host import ActionHost
from deskhand.backends.atspi.menu_close import CLOSING_ROLES, wait_menu_closed
from deskhand.backends.atspi.pointing import centre_in, own_point, scrolling_clip
from deskhand.backends.atspi.refs import split_ref
from deskhand.backends.atspi.segments import fill_parts, parts_of
from deskhand.backends.atspi.text_face import needs_reading, words_centre
from deskhand.backends.atspi.typed_in import wait_typed_text
from deskhand.backends.atspi.write_back import typed_by_hand, writable_at_once, write_and_read, write_and_read_direct
from deskhand.errors import ActionFailed, BackendError, NodeGone, NotActionable
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

# A GTK3 cell's "activate" action activates its row without selecting it; a click selects, as for a person.
_X_PREFERRED_ROLES = frozenset({Role.BUTTON, Role.MENUITEM, Role.LINK, Role.TAB, Role.CELL})
FOCUS_WAIT_S = 1.0
VALUE_WAIT_S = 0.5
PLACE_WAIT_S = 1.5
# Qt item views (list, tree, table): a cell's only action toggles its selection and leaves the current item
# where it was, and the app follows the current item (currentItemChanged): a person's click moves both.
# Qt menu items too: their action runs the item but leaves its menu open, and the next click (a right-click
# for a context menu) only closes it, as a popup takes the click that closes it.
_QT_X_PREFERRED_ROLES = frozenset({Role.CELL, Role.LISTITEM, Role.TREEITEM, Role.MENUITEM})
_RANGE_ROLES = frozenset({Role.SPINBUTTON, Role.SLIDER})
_ITEM_ROLES = frozenset({Role.LISTITEM, Role.ROW, Role.CELL, Role.TREEITEM, Role.OPTION})
# Wheel turns (3 notches each) tried in each direction before giving up on scrolling a node into view.
_WHEEL_TURNS = 25
_PLACING_S = 2.0  # how long a just-shown window may take to be placed before a part is called off screen


class ActionStrategies(Choosing):
    def __init__(self, backend: ActionHost) -> None:
        self.backend = backend

    # ---- helpers --------------------------------------------------------------------------------
    def _call(
        self, ref: str, interface: str, member: str, signature: str = "", body: list[object] | None = None
    ) -> list[Any]:
        bus_name, path = split_ref(ref)

        async def go() -> list[Any]:
            channel: Channel = await self.backend._channel(bus_name)
            return await channel.call(path, interface, member, signature, list(body or []))

        return list(self.backend.run(go()))

    def _toolkit(self, ref: str) -> str:
        bus_name = ref.split("|", 1)[0]
        tree = self.backend._trees.get(bus_name)
        if tree is None:
            return ""
        root = tree.nodes.get(c.ROOT_PATH)
        return tree.toolkit if root is not None else ""

    def _text_end(self, ref: str) -> int:
        tree = self.backend._trees.get(ref.split("|", 1)[0])
        return tree.text_end if tree is not None else -1

    def _interfaces(self, ref: str) -> frozenset[str]:
        bus_name, _, path = ref.partition("|")
        tree = self.backend._trees.get(bus_name)
        raw = tree.nodes.get(path) if tree else None
        if raw is not None and raw.interfaces and raw.interfaces_known:
            return raw.interfaces
        names: list[str] = self._call(ref, c.I_ACCESSIBLE, "GetInterfaces")[0]
        return frozenset(str(n) for n in names)

    def _x_available(self) -> bool:
        return bool(self.backend.has_input)

    def _on_screen(self, node: Node) -> bool:
        box = node.bounds
        if box is None or box.empty or box.x < 0 or box.y < 0:
            return False
        # Its centre within the pointer's reach: a field below a page's fold (placed past the screen's bottom
        # edge) is scrolled to first, like one above it.
        return not self._x_available() or bool(self.backend.xinput.reaches(*box.center))

    def _placed_on_screen(self, node: Node) -> Node:
        """A window just shown may report its parts' places before it is placed itself (GTK 3's About dialog,
        a moment after it maps): look again, woken by events, for a short while before saying it is not on
        screen."""
        deadline = time.monotonic() + _PLACING_S
        while time.monotonic() < deadline and not (self._on_screen(node) and node.bounds is not None):
            self.backend.wait_for_change(0.1)
            node = self.backend.refresh(node.ref)
        return node

    def _require_enabled(self, node: Node) -> None:
        if State.SENSITIVE not in node.states and State.ENABLED not in node.states:
            raise NotActionable(
                f"{node.role} {node.name!r} is disabled.",
                hint="Wait until it becomes enabled, or do the step that enables it first.",
            )

    def _x_click(self, node: Node, *, button: str = "left", count: int = 1) -> None:
        if node.bounds is None:
            node = self._placed(node)
        if not self._on_screen(node):
            self.scroll_into_view(node.ref)
            node = self.backend.refresh(node.ref)
        if not self._on_screen(node) or self._scrolled_out(node):
            node = self._wheel_into_view(node)
        if not self._on_screen(node) or node.bounds is None:
            node = self._placed_on_screen(node)
        if not self._on_screen(node) or node.bounds is None:
            raise NotActionable(f"{node.role} {node.name!r} is not on screen; cannot click it.")
        x, y = own_point(node)
        if needs_reading(node, self._interfaces(node.ref), self._toolkit(node.ref).lower()):
            x, y = words_centre(node, self.backend.display) or (x, y)  # on its words, not its box's middle
        if not self.backend.xinput.reaches(x, y):
            raise NotActionable(f"{node.role} {node.name!r} lies past the edge of the screen; cannot click it.")
        in_popup = self.backend.xinput.popup_at(x, y)
        if not in_popup:
            self._raise_window_of(node)
        self.backend.xinput.click(x, y, button=button, count=count)
        if in_popup and button == "left" and node.role in CLOSING_ROLES:
            wait_menu_closed(self.backend.xinput, self.backend, x, y)

    def _placed(self, node: Node) -> Node:
        """A control of a window that has just opened has no place until the window is drawn (GTK3 says
        INT_MIN): wait for the events of its drawing, briefly, before judging it off screen."""
        deadline = time.monotonic() + PLACE_WAIT_S
        while node.bounds is None and time.monotonic() < deadline:
            self.backend.wait_for_change(0.05)
            node = self.backend.current(node.ref)
        return node

    def _scrolled_out(self, node: Node) -> bool:
        """An item of a list, tree or table placed outside what its list shows: scrolled away (GTK 4 gives
        such rows a place below the list's visible part, on or off the screen)."""
        if node.role not in _ITEM_ROLES and node.role not in (Role.LABEL, Role.RADIO, Role.CHECKBOX):
            return False
        clip = self._scrolling_clip(node.ref)
        return clip is not None and not centre_in(node, clip)

    def _wheel_into_view(self, node: Node) -> Node:
        """Scroll the list, tree or table holding ``node`` with the wheel, as a person does, until the node
        shows (GTK3's tree cells do not answer ScrollTo): down first, then up; the node as last read."""
        clip = self._scrolling_clip(node.ref)
        if clip is None or not self._x_available():
            return node
        x, y = clip.center
        for direction in ("down", "up"):
            for _ in range(_WHEEL_TURNS):
                self.backend.xinput.scroll(x, y, direction, 3)
                self.backend.wait_for_change(0.1)
                node = self.backend.refresh(node.ref)
                if self._on_screen(node) and centre_in(node, clip):
                    return node
        return node

    def _scrolling_clip(self, ref: str) -> Bounds | None:
        bus_name, _, path = ref.partition("|")
        tree = self.backend._trees.get(bus_name)
        return scrolling_clip(tree.nodes, path) if tree is not None else None

    def _raise_window_of(self, node: Node) -> None:
        window = self._window_of(node.ref)
        if window is not None and window.bounds is not None:
            x, y = window.bounds.center
            self.backend.xinput.raise_window_at(x, y, window.name)

    def _window_of(self, ref: str) -> Node | None:
        bus_name, _, path = ref.partition("|")
        tree = self.backend._trees.get(bus_name)
        if tree is None or path not in tree.nodes:
            self.backend.snapshot(ref)
            tree = self.backend._trees.get(bus_name)
        if tree is None:
            return None
        current = tree.nodes.get(path)
        while current is not None and current.parent and current.parent != c.ROOT_PATH:
            current = tree.nodes.get(current.parent)
        if current is None:
            return None
        return tree.build(current.path)

    def _do_action(
        self,
        ref: str,
        names: tuple[str, ...] = ("click", "press", "activate", "toggle", "jump"),
        *,
        unless_selected: bool = False,
    ) -> bool:
        """Run the element's best-named action; True when done (or, with ``unless_selected``, when the
        element is selected already). One trip to the loop: the names (and state) are read together."""
        if c.I_ACTION not in self._interfaces(ref):
            return False
        bus_name, path = split_ref(ref)

        async def go() -> bool:
            channel: Channel = await self.backend._channel(bus_name)
            calls = [channel.call(path, c.I_ACTION, "GetActions")]
            if unless_selected:
                calls.append(channel.call(path, c.I_ACCESSIBLE, "GetState"))
            replies = await bounded_gather(calls)
            state = replies[1] if unless_selected else None
            if isinstance(state, list) and State.SELECTED in c.states_from_bits(list(state[0])):
                return True
            actions = replies[0]
            if not isinstance(actions, list):
                return False
            labels = [str(a[0]).lower() for a in actions[0]]
            if not labels:
                return False
            index = next((labels.index(n) for n in names if n in labels), 0)
            if labels[index] not in names and "." in labels[index]:
                # GTK 4's labels offer only their menu's actions ("clipboard.copy"): none of them presses.
                return False
            (ok,) = await channel.call(path, c.I_ACTION, "DoAction", "i", [index])
            return bool(ok)

        return bool(self.backend.run(go()))

    # ---- actions ----------------------------------------------------------------------------------
    def click(self, ref: str, *, button: str = "left", count: int = 1) -> None:
        node = self.backend.current(ref)
        self._require_enabled(node)
        toolkit = self._toolkit(ref).lower()
        prefer_x = (
            button != "left"
            or count != 1
            or (toolkit == "gtk" and node.role in _X_PREFERRED_ROLES)
            or (toolkit == "qt" and node.role in _QT_X_PREFERRED_ROLES)
        )
        if prefer_x and self._x_available():
            try:
                self._x_click(node, button=button, count=count)
                return
            except NotActionable:
                # Out of the pointer's reach (a dialog taller than the screen keeps its Save button below
                # the edge): a plain click is the element's own action, as a keyboard user would press it.
                if button != "left" or count != 1 or not self._do_action(ref):
                    raise
                return
        if self._do_action(ref):
            return
        if self._x_available():
            self._x_click(node, button=button, count=count)
            return
        raise ActionFailed(f"{node.role} {node.name!r} offers no action to press and there is no X display.")

    def focus(self, ref: str) -> None:
        try:
            if c.I_COMPONENT in self._interfaces(ref):
                (ok,) = self._call(ref, c.I_COMPONENT, "GrabFocus")
                if ok:
                    return
        except BackendError:
            pass
        self._x_click(self.backend.current(ref))

    def set_text(self, ref: str, text: str) -> None:
        node = self.backend.current(ref)
        self._require_enabled(node)
        interfaces = self._interfaces(ref)
        # Gecko answers SetTextContents (and reads the text back) without the field taking it, and a number
        # input's Value changes without the page hearing of it (no input or change event): type there.
        # GTK's own widgets in Firefox (its file chooser: toolkit=gtk) take SetTextContents like any GTK app.
        gecko = self._toolkit(ref).lower() == "gecko" and node.attributes.get("toolkit") != "gtk"
        if (
            node.role in _RANGE_ROLES
            and c.I_VALUE in interfaces
            and is_number(text)
            and not (gecko and node.role == Role.SPINBUTTON)
            and self._set_current_value(ref, float(text.strip().replace(",", ".")))
        ):
            # Spin buttons and sliders: the Value interface is what the app reads (GTK commits a spin
            # button's typed text only on activate or focus-out; a slider has no text at all).
            return
        if node.role in _RANGE_ROLES:
            # Text that is no number (a date, a time): put it in the field, then commit it by leaving the
            # field like a person (a Qt date edit and a GTK spin button take their text on focus-out).
            self.focus(ref)
            self._wait_focused(ref)
            if gecko or not (c.I_EDITABLE_TEXT in interfaces and self._set_text_contents(ref, text)):
                self._type_over(ref, text)
            self.backend.xinput.press("Tab")
            return
        by_hand = self._x_available() and typed_by_hand(self._toolkit(ref), node)
        if c.I_EDITABLE_TEXT in interfaces and not gecko and not by_hand and self._set_text_contents(ref, text):
            return
        self._fill_otherwise(ref, node, text)

    def set_text_and_read(self, ref: str, text: str) -> Node:
        """``set_text`` then the element as read back. A plain text field known from events is written and
        read back in one trip (write_back.py); anything else goes the careful way, then is read again."""
        bus_name, path = split_ref(ref)
        tree = self.backend._trees.get(bus_name)
        raw = tree.nodes.get(path) if tree is not None else None
        # Built on the loop thread from what events keep; a node an event marked since waits for its read.
        node = raw.built if raw is not None and tree is not None and path not in tree.dirty_props else None
        if tree is None or raw is None or node is None or not writable_at_once(tree, raw, node):
            self.set_text(ref, text)
            return self.backend.refresh(ref)
        self._require_enabled(node)
        line = self.backend.direct_line(bus_name)
        read: Node | None = (
            write_and_read_direct(line, tree, raw, node, text, self.backend)
            if line is not None
            else self.backend.run(write_and_read(tree, raw, text))
        )
        if read is None:
            self._fill_otherwise(ref, node, text)
            return self.backend.refresh(ref)
        return read

    def text_now(self, ref: str) -> str | None:
        """The field's text in one call from the caller's thread (direct_line.py); None where the app has no
        private socket or the call fails (the caller reads the element again instead)."""
        bus_name, path = split_ref(ref)
        line = self.backend.direct_line(bus_name)
        if line is None:
            return None
        (held,) = line.call_many([(path, c.I_TEXT, "GetText", "ii", [0, self._text_end(ref)])], timeout=1.0)
        return str(held[0]) if isinstance(held, list) else None

    def _fill_otherwise(self, ref: str, node: Node, text: str) -> None:
        """The text could not be written: a field made of parts part by part, else typed over."""
        parts = parts_of(self.backend.refresh(ref))
        if parts:  # a date or time field: part by part, each part's committed value read back
            fill_parts(self, node, parts, text)
            return
        # No (working) EditableText: focus the field, select everything, type over it; then wait until the
        # field has taken the keys in (typed_in.py: a completing field shows the text before its last key).
        self._type_over(ref, text)
        secret = State.PASSWORD in node.states
        wait_typed_text(partial(self._call, ref), self._text_end(ref), self.backend.wait_for_change, text, secret)

    def _type_over(self, ref: str, text: str) -> None:
        if self._toolkit(ref).lower() in ("gecko", "qt") and self._x_available():
            # Gecko's GrabFocus on Thunderbird's address fields sends the focus to the recipient pills next
            # to them: click the field like a person (PLATFORM-NOTES), or the keys land among the pills.
            # Qt's GrabFocus focuses the field inside its window but does not give that window the X
            # keyboard focus: the keys would go to whatever window holds it.
            self._x_click(self.backend.current(ref))
        else:
            self.focus(ref)
        self._wait_focused(ref)
        if self.backend.refresh(ref).value:
            # Only what is there needs selecting: Ctrl+A in an empty address field (Thunderbird) selects the
            # recipient pills around it, and the typed keys then go to them.
            self.backend.xinput.press("Ctrl+A")
        if text:
            self.backend.xinput.type_text(text)
        else:
            self.backend.xinput.press("BackSpace")

    def _set_current_value(self, ref: str, number: float) -> bool:
        """Set the Value; False when it did not change at all (Chromium's number input ignores the write:
        it is typed like text instead). A clamped value did change, and the read-back reports the clamp."""
        get: list[object] = [c.I_VALUE, "CurrentValue"]
        (before,) = self._call(ref, c.I_PROPERTIES, "Get", "ss", get)
        self._call(ref, c.I_PROPERTIES, "Set", "ssv", [*get, Variant("d", number)])
        # Gecko applies the write a moment later: judged at once, a slider fell through to being clicked
        # (and set to its middle). A change is waited for, briefly; the app's events end the wait early.
        deadline = time.monotonic() + VALUE_WAIT_S
        while True:
            (after,) = self._call(ref, c.I_PROPERTIES, "Get", "ss", get)
            if after.value == number or after.value != before.value:
                return True
            if time.monotonic() > deadline:
                return False
            self.backend.wait_for_change(0.05)

    def _wait_focused(self, ref: str) -> None:
        """Chromium moves the focus after GrabFocus returns: keys typed before then land in the old field."""
        deadline = time.monotonic() + FOCUS_WAIT_S
        while State.FOCUSED not in self.backend.refresh(ref).states and time.monotonic() < deadline:
            self.backend.wait_for_change(0.02)

    def _set_text_contents(self, ref: str, text: str) -> bool:
        """SetTextContents, then GetText to see it took (one loop trip); False when either fails."""
        bus_name, path = split_ref(ref)

        async def go() -> bool:
            channel: Channel = await self.backend._channel(bus_name)
            try:
                (ok,) = await channel.call(path, c.I_EDITABLE_TEXT, "SetTextContents", "s", [text])
                if not ok:
                    return False
                (current,) = await channel.call(path, c.I_TEXT, "GetText", "ii", [0, self._text_end(ref)])
            except BackendError:
                return False
            return bool(current == text)

        return bool(self.backend.run(go()))

    def set_checked(self, ref: str, on: bool) -> None:
        node = self.backend.current(ref)
        self._require_enabled(node)
        if (State.CHECKED in node.states or State.PRESSED in node.states) == on:
            return
        if not self._do_action(ref, ("toggle", "click", "press", "activate")):
            self._x_click(node)

    def scroll_into_view(self, ref: str) -> None:
        try:
            if c.I_COMPONENT in self._interfaces(ref):
                self._call(ref, c.I_COMPONENT, "ScrollTo", "u", [4])  # ATSPI_SCROLL_ANYWHERE
        except (BackendError, NodeGone):
            pass

    def activate_window(self, ref: str) -> None:
        window = self._window_of(ref)
        if window is None:
            raise NodeGone(f"No window found for {ref}.")
        if self._x_available() and window.bounds is not None:
            x, y = window.bounds.center
            self.backend.xinput.raise_window_at(x, y, window.name)
        else:
            self.focus(window.ref)
