"""The step's screenshot with a box drawn around every element found by reading the screen (OCR), so the
report shows where deskhand looked when it had no accessibility tree."""

from __future__ import annotations

import io
from collections.abc import Iterable

from PIL import Image, ImageDraw

from deskhand.runner.resolution import Resolution

MARK_COLOUR = (230, 0, 120)


def mark_screen_targets(png: bytes | None, resolutions: Iterable[Resolution]) -> bytes | None:
    boxes: list[tuple[int, int, int, int]] = []
    for resolution in resolutions:
        where = str(resolution.fingerprint.get("box", ""))
        if resolution.via_screen and where.count(",") == 3:
            x, y, w, h = (int(part) for part in where.split(","))
            boxes.append((x - 2, y - 2, x + w + 1, y + h + 1))
    if png is None or not boxes:
        return png
    with Image.open(io.BytesIO(png)) as source:
        image = source.convert("RGB")
    draw = ImageDraw.Draw(image)
    for box in boxes:
        draw.rectangle(box, outline=MARK_COLOUR, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
