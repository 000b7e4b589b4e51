"""A window read from its pixels as a tree of pseudo-nodes: the same Node the accessibility tree gives.

Phrases on the window's background are labels; a box beside or below a label is a field (its text is its
value) or, when taller than a line, a list whose lines are its items. Every node says where it came from
(``via: screen``) and how sure the OCR was (``confidence``), and carries its bounds in screen pixels. Refs
hold the window and the box in window pixels, so a field keeps its ref while its text changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from PIL import Image

from deskhand.backends.screen.fields import Box, names_a_secret, shows_mask
from deskhand.backends.screen.ocr import TextBox
from deskhand.tree.match import positional_labels
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

PREFIX = "screen:"
VIA = "screen"
_SHOWN = frozenset({State.VISIBLE, State.SHOWING, State.ENABLED})
_FIELD_STATES = _SHOWN | {State.FOCUSABLE, State.EDITABLE}
# What a password entry shows instead of its text.
_MASKED = re.compile(r"^[*•●·∙]+$")


@dataclass(frozen=True, slots=True)
class ScreenRef:
    """``screen:<kind>:<window id>:<x>,<y>,<w>,<h>`` (box in window pixels; app and window refs have none).
    A cell of a drawn view (kind "cell") also holds the view's box, ``:<x>,<y>,<w>,<h>``: what is read again."""

    kind: str  # "app", "window", "label", "field", "list", "item", "cell"
    window: int
    box: Bounds | None = None
    app: str = ""
    area: Bounds | None = None

    def __str__(self) -> str:
        if self.kind == "app":
            return f"{PREFIX}app:{self.window}:{self.app}"
        if self.box is None:
            return f"{PREFIX}window:{self.window:#x}"
        area = "" if self.area is None else f":{_box_text(self.area)}"
        return f"{PREFIX}{self.kind}:{self.window:#x}:{_box_text(self.box)}{area}"


def _box_text(b: Bounds) -> str:
    return f"{b.x},{b.y},{b.width},{b.height}"


def _box_of(text: str) -> Bounds:
    x, y, w, h = (int(part) for part in text.split(","))
    return Bounds(x, y, w, h)


def is_screen_ref(ref: str) -> bool:
    return ref.startswith(PREFIX)


def parse_ref(ref: str) -> ScreenRef:
    _, kind, rest = ref.split(":", 2)
    if kind == "app":
        pid, _, app = rest.partition(":")
        return ScreenRef("app", int(pid), app=app)
    window, _, boxes = rest.partition(":")
    if not boxes:
        return ScreenRef(kind, int(window, 16))
    box, _, area = boxes.partition(":")
    return ScreenRef(kind, int(window, 16), _box_of(box), area=_box_of(area) if area else None)


def _attrs(confidence: float | None) -> dict[str, str]:
    out = {"via": VIA}
    if confidence is not None:
        out["confidence"] = f"{confidence:.2f}"
    return out


def _on_screen(box: Bounds, origin: Bounds) -> Bounds:
    return Bounds(box.x + origin.x, box.y + origin.y, box.width, box.height)


def center_in(box: Bounds, outer: Bounds) -> bool:
    cx, cy = box.center
    return outer.x <= cx < outer.x + outer.width and outer.y <= cy < outer.y + outer.height


def window_children(window: int, origin: Bounds, app: str, texts: list[TextBox], boxes: list[Box]) -> tuple[Node, ...]:
    """The pseudo-nodes of one window, in reading order (top to bottom, left to right)."""
    nodes: list[tuple[Bounds, Node]] = []
    inside: set[int] = set()
    for box in boxes:
        held = sorted(
            ((i, t) for i, t in enumerate(texts) if center_in(t.box, box.inner)),
            key=lambda p: (p[1].box.y, p[1].box.x),
        )
        inside.update(i for i, _ in held)
        bounds = _on_screen(box.inner, origin)
        if box.kind == "field":
            value = " ".join(t.text for _, t in held)
            confidence = min((t.confidence for _, t in held), default=None)
            states = _FIELD_STATES | ({State.PASSWORD} if _MASKED.match(value.replace(" ", "")) else set())
            ref = str(ScreenRef("field", window, box.inner))
            node = Node(
                ref,
                Role.TEXTBOX,
                value=value,
                states=frozenset(states),
                bounds=bounds,
                app=app,
                raw_role="screen field",
                attributes=_attrs(confidence),
            )
        else:
            items = tuple(
                Node(
                    str(ScreenRef("item", window, t.box)),
                    Role.LISTITEM,
                    name=t.text,
                    states=_SHOWN | {State.SELECTABLE},
                    bounds=_on_screen(t.box, origin),
                    app=app,
                    raw_role="screen text",
                    attributes=_attrs(t.confidence),
                )
                for _, t in held
            )
            node = Node(
                str(ScreenRef("list", window, box.inner)),
                Role.LISTBOX,
                states=_SHOWN,
                bounds=bounds,
                children=items,
                app=app,
                raw_role="screen list",
                attributes=_attrs(None),
            )
        nodes.append((box.inner, node))
    for i, text in enumerate(texts):
        if i in inside:
            continue
        node = Node(
            str(ScreenRef("label", window, text.box)),
            Role.LABEL,
            name=text.text,
            states=_SHOWN,
            bounds=_on_screen(text.box, origin),
            app=app,
            raw_role="screen text",
            attributes=_attrs(text.confidence),
        )
        nodes.append((text.box, node))
    nodes.sort(key=lambda pair: (pair[0].y // 8, pair[0].x))
    return tuple(node for _, node in nodes)


def best_overlap(nodes: list[Node], kind: str, box: Bounds) -> Node | None:
    """The node of ``kind`` whose box overlaps ``box`` most (a re-read moves OCR boxes by a pixel or two)."""
    best: tuple[float, Node] | None = None
    for node in nodes:
        ref = parse_ref(node.ref)
        if ref.kind != kind or ref.box is None or not ref.box.intersects(box):
            continue
        left, top = max(ref.box.x, box.x), max(ref.box.y, box.y)
        right = min(ref.box.x + ref.box.width, box.x + box.width)
        bottom = min(ref.box.y + ref.box.height, box.y + box.height)
        shared = max(right - left, 0) * max(bottom - top, 0)
        score = shared / max(ref.box.area + box.area - shared, 1)
        if score >= 0.3 and (best is None or score > best[0]):
            best = (score, node)
    return best[1] if best is not None else None


def mark_secrets(nodes: tuple[Node, ...], image: Image.Image, boxes: list[Box]) -> tuple[Node, ...]:
    """Password fields found by their label ("Password", "PIN") or by the mask they show (••••): the guard
    masks them in every screenshot, like an accessible PASSWORD field."""
    labels = positional_labels(Node("", Role.WINDOW, children=nodes))
    masked = {box.inner for box in boxes if box.kind == "field" and shows_mask(image, box)}
    out = []
    for node in nodes:
        secret = node.role == Role.TEXTBOX and (
            parse_ref(node.ref).box in masked or any(names_a_secret(label) for label in labels.get(node.ref, []))
        )
        out.append(replace(node, states=node.states | {State.PASSWORD}) if secret else node)
    return tuple(out)
