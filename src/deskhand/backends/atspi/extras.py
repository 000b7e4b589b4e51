"""The facts a snapshot needs beyond the cache's: bounds of shown nodes, text and values of inputs,
placeholders and label relations of labelled controls. Read only where they matter."""

from __future__ import annotations

from typing import Any

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.bus import CallSpec
from deskhand.backends.atspi.model import RawNode, TreeState
from deskhand.backends.atspi.vcl_frame import FrameFix
from deskhand.tree.node import Bounds
from deskhand.tree.roles import Role, State

TEXT_ROLES = frozenset({Role.TEXTBOX, Role.SEARCHBOX, Role.SPINBUTTON, Role.COMBOBOX})
VALUE_ROLES = frozenset({Role.SLIDER, Role.SPINBUTTON, Role.PROGRESSBAR, Role.SCROLLBAR})
# Containers whose text is their children's (reading it again would double every table and list).
NAMED_BY_CHILDREN = frozenset({Role.DOCUMENT, Role.TABLE, Role.ROW, Role.LIST, Role.FORM, Role.GROUP})
LABELLED_ROLES = TEXT_ROLES | {Role.CHECKBOX, Role.RADIO, Role.SLIDER, Role.LISTBOX, Role.SWITCH}
ID_ROLES = LABELLED_ROLES | {Role.BUTTON, Role.MENUITEM, Role.TAB, Role.LINK}


async def read_extras(tree: TreeState, nodes: list[RawNode], *, relations: bool = True) -> None:
    """Bounds for showing nodes, text/value for inputs, placeholder and label relations (unless
    ``relations`` is False: a node that changed keeps its labels)."""
    calls: list[CallSpec] = []
    plan: list[tuple[RawNode, str]] = []
    # One walk of the whole tree for a big batch; a few nodes (a re-snapshot) look up their own ancestors.
    visible = visible_paths(tree) if len(nodes) > _FEW else {n.path for n in nodes if shown_up_to_root(tree, n)}
    # Gecko has no text leaves: a paragraph's words are only in its Text interface (Chromium and GTK put
    # them in names of children). Read them, so "Wait until <text> appears" finds them.
    gecko = tree.toolkit.lower() == "gecko"
    frames = FrameFix(tree.nodes)  # LibreOffice's drawn part, reported off at times (vcl_frame.py)
    for node in nodes:
        node.extras_done = True
        tree.invalidate(node.path)
        role = node.role
        bulk, node.bulk_bounds = node.bulk_bounds, None  # read with the tree: taken once, then asked again
        if c.I_COMPONENT in node.interfaces and node.path in visible:
            if bulk is not None:
                node.bounds = _placed(bulk)
            else:
                plan.append((node, "bounds"))
                calls.append((node.path, c.I_COMPONENT, "GetExtents", "u", [c.COORD_SCREEN]))
                frames.note(node)
        else:
            node.bounds = None  # hidden now: old bounds would send a click to where it used to be
        if c.I_TEXT in node.interfaces and _wants_text(node, role, gecko=gecko):
            plan.append((node, "text"))
            calls.append((node.path, c.I_TEXT, "GetText", "ii", [0, tree.text_end]))
        if c.I_VALUE in node.interfaces and role in VALUE_ROLES:
            # A spin button's text is only what was typed; the app uses CurrentValue (GTK commits the text
            # on activate or focus-out), so the value wins where the text is a number.
            # A Gecko spin button's text is what the page holds (a date part's Value says 0, with no range).
            plan.append((node, "value-if-empty" if gecko and role == Role.SPINBUTTON else "value"))
            calls.append((node.path, c.I_PROPERTIES, "Get", "ss", [c.I_VALUE, "CurrentValue"]))
        if role == Role.LINK and c.I_HYPERLINK in node.interfaces and "href" not in node.attributes:
            # Where a link leads, so the guard can judge it before it is followed (Gecko, Chromium).
            plan.append((node, "href"))
            calls.append((node.path, c.I_HYPERLINK, "GetURI", "i", [0]))
        if relations and role in ID_ROLES:
            # Qt fills AccessibleId from objectName: an id that survives a reworded label (repair uses it).
            plan.append((node, "id"))
            calls.append((node.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "AccessibleId"]))
        if relations and (role in LABELLED_ROLES or (node.lean and role in ID_ROLES)):
            plan.append((node, "attrs"))
            calls.append((node.path, c.I_ACCESSIBLE, "GetAttributes", "", []))
        if relations and node.lean and role in ID_ROLES:
            # Read without GetAll (live.read_props_lean): the description only where people act.
            plan.append((node, "description"))
            calls.append((node.path, c.I_PROPERTIES, "Get", "ss", [c.I_ACCESSIBLE, "Description"]))
        if relations and role in LABELLED_ROLES:
            plan.append((node, "relations"))
            calls.append((node.path, c.I_ACCESSIBLE, "GetRelationSet", "", []))
    results = await tree.channel.call_many(calls + frames.calls())
    for (node, what), result in zip(plan, results[: len(plan)], strict=True):
        if not isinstance(result, BaseException):
            _store(node, what, result)
    frames.apply(results[len(plan) :])


def _wants_text(node: RawNode, role: str, *, gecko: bool) -> bool:
    if role in TEXT_ROLES or State.EDITABLE in node.states:
        return True
    return gecko and not node.name and role not in NAMED_BY_CHILDREN


def _store(node: RawNode, what: str, result: list[Any]) -> None:
    if what == "bounds":
        node.bounds = _placed(Bounds(*result[0]))
    elif what == "text":
        # U+FFFC stands for an embedded child (Chromium's <select>): not text a person sees.
        node.value = str(result[0]).replace("\ufffc", "").strip() if "\ufffc" in result[0] else str(result[0])
    elif what == "value-if-empty":
        if not node.value:
            node.value = format_number(result[0].value)
    elif what == "value":
        # A date or time spin box shows text that is no number: that text is its value. A spin box with
        # no text (a part of Chromium's date field) holds its number only as a Value.
        if not node.value or is_number(node.value):
            node.value = format_number(result[0].value)
    elif what == "description":
        node.description = str(getattr(result[0], "value", "") or "")
    elif what == "attrs":
        node.attributes = {**dict(result[0]), **_kept(node)}
    elif what == "href" and result[0]:
        node.attributes = {**node.attributes, "href": str(result[0])}
    elif what == "id":
        accessible_id = getattr(result[0], "value", result[0])
        if isinstance(accessible_id, str) and accessible_id:
            node.attributes = {**node.attributes, "accessible-id": accessible_id}
    elif what == "relations":
        node.labelled_by = tuple(
            f"{bus}|{path}" for kind, targets in result[0] if kind == c.RELATION_LABELLED_BY for bus, path in targets
        )


_FEW = 64


def _placed(bounds: Bounds) -> Bounds | None:
    # GTK reports never-drawn widgets at INT_MIN: that is "not on screen", not a position.
    return bounds if bounds.x > -(2**30) and bounds.y > -(2**30) else None


def shown_up_to_root(tree: TreeState, node: RawNode) -> bool:
    """``node`` and all its ancestors are shown (as visible_paths decides, for one node)."""
    current: RawNode | None = node
    seen = 0
    while current is not None and current.path != c.ROOT_PATH and seen < 512:
        shown = State.SHOWING in current.states if tree.showing_only else current.shown
        if not shown:
            return False
        current = tree.nodes.get(current.parent)
        seen += 1
    return current is not None


def _kept(node: RawNode) -> dict[str, str]:
    """What was read for ``node`` beside its attributes (the attribute call must not drop it)."""
    return {key: value for key in ("accessible-id", "href") if (value := node.attributes.get(key))}


def visible_paths(tree: TreeState) -> set[str]:
    """Paths of nodes that are shown and whose ancestors are all shown (only they get bounds)."""
    seen: set[str] = set()
    root = tree.nodes.get(c.ROOT_PATH)
    if root is None:
        return seen
    stack = [root]
    while stack:
        node = stack.pop()
        shown = State.SHOWING in node.states if tree.showing_only else node.shown
        if node.path in seen or (node is not root and not shown):
            continue
        seen.add(node.path)
        stack.extend(tree.nodes[p] for p in node.children or () if p in tree.nodes)
    return seen


def is_number(text: str) -> bool:
    try:
        float(text.strip().replace(",", "."))
    except ValueError:
        return False
    return True


def format_number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
