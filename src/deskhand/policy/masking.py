"""Painting over screen regions of a screenshot (password fields, fields a secret was typed into)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from PIL import Image, ImageDraw

from deskhand.backends.base import Backend
from deskhand.errors import NodeGone
from deskhand.tree.node import Bounds
from deskhand.tree.roles import State

MASK_COLOUR = (0, 0, 0)


def mask_regions(png: bytes, regions: Iterable[Bounds], origin: Bounds | None = None) -> bytes:
    """``png`` with every region (screen coordinates) filled; ``origin``: where the shot was taken from."""
    boxes = [r for r in regions if not r.empty]
    if not boxes or not png:
        return png
    offset_x, offset_y = (origin.x, origin.y) if origin is not None else (0, 0)
    with Image.open(io.BytesIO(png)) as source:
        image = source.convert("RGB")
    draw = ImageDraw.Draw(image)
    for box in boxes:
        left, top = box.x - offset_x, box.y - offset_y
        draw.rectangle((left, top, left + box.width - 1, top + box.height - 1), fill=MASK_COLOUR)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def secret_regions(backend: Backend, typed_refs: Iterable[str], allows_app: Callable[[str], bool]) -> list[Bounds]:
    """Where secrets show: the fields deskhand typed one into, and every password field of an allowed app."""
    regions: list[Bounds] = []
    for ref in typed_refs:
        try:
            node = backend.refresh(ref)
        except NodeGone:
            continue
        if node.bounds is not None:
            regions.append(node.bounds)
    for app in backend.applications():
        if not allows_app(app.name):
            continue
        try:
            root = backend.snapshot(app.ref)
        except NodeGone:
            continue
        regions.extend(n.bounds for n in root.walk() if State.PASSWORD in n.states and n.bounds is not None)
    return regions
