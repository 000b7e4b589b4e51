"""Painting over screen regions of a screenshot (password fields, fields a secret was typed into)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from PIL import Image, ImageDraw

from deskhand.tree.node import Bounds

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
