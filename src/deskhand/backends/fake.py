"""An in-memory Backend over hand-made or recorded trees, for unit tests of locators, runner and agent.

Actions change the trees the way a toolkit would (a clicked checkbox toggles, set_text replaces the value,
typing appends to the focused field), every call is appended to ``log``, and ``version()`` moves on every
change. Tests can script an app's reaction to a click with ``on_click`` and change trees with ``update``,
``remove`` and ``set_app``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from PIL import Image

from deskhand.backends.base import AppInfo, MouseButton, ScrollDirection, WindowInfo
from deskhand.errors import ActionFailed, BackendUnavailable, NodeGone
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import TEXT_INPUT_ROLES, WINDOW_ROLES, Role, State
from deskhand.tree.serialize import load_tree

Reaction = Callable[["FakeBackend"], None]

_TOGGLES: frozenset[str] = frozenset({Role.CHECKBOX, Role.SWITCH, Role.MENUITEMCHECKBOX})
_RADIOS: frozenset[str] = frozenset({Role.RADIO, Role.MENUITEMRADIO})
_OPTION_ROLES: frozenset[str] = frozenset({Role.OPTION, Role.MENUITEM, Role.LISTITEM, Role.MENUITEMRADIO})
_ACTIVATE_KEYS: frozenset[str] = frozenset({"enter", "return", "space", "kp_enter"})
_SCREEN = Bounds(0, 0, 1280, 800)


class FakeBackend:
    """A Backend whose applications are the given trees (app name → root node)."""

    name = "fake"

    def __init__(self, apps: dict[str, Node]) -> None:
        self._apps: dict[str, Node] = {name: _as_application(name, root) for name, root in apps.items()}
        self._version = 0
        self._seen_version = 0
        self._reactions: dict[str, list[Reaction]] = {}
        self._closed = False
        self.log: list[tuple[object, ...]] = []

    @classmethod
    def from_files(cls, *paths: str | Path) -> FakeBackend:
        """One app per tree file (as saved by serialize.save_tree); named after its root, else the file."""
        apps: dict[str, Node] = {}
        for path in paths:
            root = load_tree(path)
            apps[root.name or Path(path).stem] = root
        return cls(apps)

    # -- perception -------------------------------------------------------------------------------------

    def applications(self) -> list[AppInfo]:
        self._record("applications")
        return [
            AppInfo(
                ref=root.ref,
                name=name,
                pid=1000 + index,
                toolkit="fake",
                windows=tuple(
                    WindowInfo(
                        ref=window.ref,
                        title=window.name,
                        role=window.role,
                        bounds=window.bounds,
                        active=window.has(State.ACTIVE),
                    )
                    for window in root.children
                    if window.role in WINDOW_ROLES
                ),
            )
            for index, (name, root) in enumerate(self._apps.items())
        ]

    def snapshot(self, app_ref: str) -> Node:
        self._record("snapshot", app_ref)
        self._seen_version = self._version
        for name, root in self._apps.items():
            if app_ref in (root.ref, name):
                return root
        raise NodeGone(
            f"No application with ref {app_ref!r} in the fake backend; it has {', '.join(self._apps) or 'none'}.",
            hint="Use a ref from applications().",
        )

    def refresh(self, ref: str) -> Node:
        self._record("refresh", ref)
        return replace(self._node(ref), children=())

    def invalidate(self, app_ref: str | None = None) -> None:
        """Nothing is cached: the fake's trees are always current."""
        self.log.append(("invalidate", app_ref))

    def version(self) -> int:
        return self._version

    def wait_for_change(self, timeout: float) -> bool:
        """True when something changed since the last snapshot or wait; never blocks (nothing else moves)."""
        self._record("wait_for_change", timeout)
        changed = self._version != self._seen_version
        self._seen_version = self._version
        return changed

    def screenshot(self, bounds: Bounds | None = None) -> bytes:
        self._record("screenshot", bounds)
        area = bounds or _SCREEN
        image = Image.new("RGB", (max(area.width, 1), max(area.height, 1)), "white")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()

    # -- input ------------------------------------------------------------------------------------------

    def click(self, ref: str, *, button: MouseButton = "left", count: int = 1) -> None:
        self._record("click", ref, button, count)
        node = self._node(ref)
        if button == "left":
            self._activate(node)

    def focus(self, ref: str) -> None:
        self._record("focus", ref)
        self._move_focus(self._node(ref))

    def set_text(self, ref: str, text: str) -> None:
        self._record("set_text", ref, text)
        self.update(ref, value=text)

    def type_text(self, text: str) -> None:
        self._record("type_text", text)
        focused = self.focused()
        if focused is not None and focused.role in TEXT_INPUT_ROLES:
            self.update(focused.ref, value=(focused.value or "") + text)

    def press(self, keys: str) -> None:
        """Enter or Space activate the focused element, like a click; other keys are only logged."""
        self._record("press", keys)
        focused = self.focused()
        if focused is not None and keys.strip().lower() in _ACTIVATE_KEYS:
            self._activate(focused)

    def select_option(self, ref: str, option: str) -> None:
        self._record("select_option", ref, option)
        node = self._node(ref)
        options = [child for child in node.walk() if child is not node and child.role in _OPTION_ROLES]
        if options and option not in {child.name for child in options}:
            raise ActionFailed(
                f"{node.role} {node.name!r} has no option {option!r}; it offers "
                + ", ".join(repr(child.name) for child in options)
                + ".",
                hint="Pick one of the listed options by its visible text.",
            )
        for child in options:
            chosen = child.name == option
            if chosen != child.has(State.SELECTED):
                self.update(child.ref, states=_with(child.states, State.SELECTED, chosen))
        self.update(ref, value=option)

    def set_checked(self, ref: str, on: bool) -> None:
        self._record("set_checked", ref, on)
        node = self._node(ref)
        if node.has(State.CHECKED) != on:
            self.update(ref, states=_with(node.states, State.CHECKED, on))

    def scroll(self, ref: str, direction: ScrollDirection, amount: int = 3) -> None:
        self._record("scroll", ref, direction, amount)
        self._node(ref)

    def scroll_into_view(self, ref: str) -> None:
        self._record("scroll_into_view", ref)
        self._node(ref)

    def activate_window(self, ref: str) -> None:
        self._record("activate_window", ref)
        window = self._node(ref)
        for root in list(self._apps.values()):
            for other in root.children:
                if other.role in WINDOW_ROLES and other.ref != ref and other.has(State.ACTIVE):
                    self.update(other.ref, states=other.states - {State.ACTIVE})
        if not window.has(State.ACTIVE):
            self.update(ref, states=window.states | {State.ACTIVE})

    def close(self) -> None:
        self._record("close")
        self._closed = True

    # -- test helpers -----------------------------------------------------------------------------------

    def on_click(self, ref: str, reaction: Reaction) -> None:
        """Run ``reaction(backend)`` after ``ref`` is clicked or activated (e.g. open a dialog)."""
        self._reactions.setdefault(ref, []).append(reaction)

    def update(self, ref: str, **changes: object) -> Node:
        """Replace fields of the element ``ref`` (``value=``, ``states=``, ``children=``…); bumps version."""
        node = self._node(ref)
        changed = replace(node, **changes)  # type: ignore[arg-type]
        self._replace(ref, changed)
        return changed

    def remove(self, ref: str) -> None:
        """Take the element ``ref`` (or a whole app, by its root ref) out of its tree, as if it closed."""
        for name, root in self._apps.items():
            if root.ref == ref:
                del self._apps[name]
                self._version += 1
                return
        self._replace(ref, None)

    def set_app(self, name: str, root: Node) -> None:
        """Add or replace an application's tree."""
        self._apps[name] = _as_application(name, root)
        self._version += 1

    def focused(self) -> Node | None:
        """The element holding the keyboard focus (the FOCUSED state), if any."""
        return next((node for node in self._all_nodes() if node.has(State.FOCUSED)), None)

    def calls(self, method: str) -> list[tuple[object, ...]]:
        """The logged calls of one method, arguments only."""
        return [entry[1:] for entry in self.log if entry[0] == method]

    # -- internals --------------------------------------------------------------------------------------

    def _record(self, method: str, *args: object) -> None:
        if self._closed:
            raise BackendUnavailable(
                f"The fake backend was closed; {method}() came after close().",
                hint="Create a new FakeBackend for each test or session.",
            )
        self.log.append((method, *args))

    def _all_nodes(self) -> Iterator[Node]:
        for root in self._apps.values():
            yield from root.walk()

    def _node(self, ref: str) -> Node:
        for node in self._all_nodes():
            if node.ref == ref:
                return node
        raise NodeGone(
            f"The element {ref!r} is not in any fake application (it was removed, or never existed).",
            hint="Take a new snapshot and use a ref from it.",
        )

    def _activate(self, node: Node) -> None:
        if node.has(State.FOCUSABLE):
            self._move_focus(node)
            node = self._node(node.ref)
        if node.role in _TOGGLES:
            self.update(node.ref, states=_with(node.states, State.CHECKED, not node.has(State.CHECKED)))
        elif node.role in _RADIOS:
            self._check_radio(node)
        for reaction in self._reactions.get(node.ref, []):
            reaction(self)

    def _check_radio(self, node: Node) -> None:
        parent = self._parent_of(node.ref)
        siblings = parent.children if parent is not None else (node,)
        for sibling in siblings:
            if sibling.role in _RADIOS and sibling.ref != node.ref and sibling.has(State.CHECKED):
                self.update(sibling.ref, states=sibling.states - {State.CHECKED})
        if not node.has(State.CHECKED):
            self.update(node.ref, states=node.states | {State.CHECKED})

    def _move_focus(self, node: Node) -> None:
        previous = self.focused()
        if previous is not None and previous.ref != node.ref:
            self.update(previous.ref, states=previous.states - {State.FOCUSED})
        if not self._node(node.ref).has(State.FOCUSED):
            self.update(node.ref, states=self._node(node.ref).states | {State.FOCUSED})

    def _parent_of(self, ref: str) -> Node | None:
        for node in self._all_nodes():
            if any(child.ref == ref for child in node.children):
                return node
        return None

    def _replace(self, ref: str, new: Node | None) -> None:
        for name, root in self._apps.items():
            rebuilt, found = _rebuild(root, ref, new)
            if found:
                if rebuilt is None:
                    del self._apps[name]
                else:
                    self._apps[name] = rebuilt
                self._version += 1
                return
        raise NodeGone(f"The element {ref!r} is gone.", hint="Take a new snapshot and use a ref from it.")


def _rebuild(node: Node, ref: str, new: Node | None) -> tuple[Node | None, bool]:
    """``node`` with the element ``ref`` replaced by ``new`` (removed when None), and whether it was found."""
    if node.ref == ref:
        return new, True
    for index, child in enumerate(node.children):
        rebuilt, found = _rebuild(child, ref, new)
        if found:
            children = list(node.children)
            if rebuilt is None:
                del children[index]
            else:
                children[index] = rebuilt
            return replace(node, children=tuple(children)), True
    return node, False


def _with(states: frozenset[str], state: str, on: bool) -> frozenset[str]:
    return states | {state} if on else states - {state}


def _as_application(name: str, root: Node) -> Node:
    """Trees may start at a window; wrap those in an application node like a real backend's."""
    if root.role == Role.APPLICATION:
        return root
    return Node(ref=f"app:{name}", role=Role.APPLICATION, name=name, children=(root,))
