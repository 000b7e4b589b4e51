"""A window's pixels read as pseudo-nodes: OCR phrases, and the fields and lists drawn around them.

Reading is the slow part (tens to hundreds of milliseconds a window), so each window's nodes are kept with a
key of its image and read again only when what it shows has changed.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image

from deskhand.backends.screen.fields import Box, find_boxes
from deskhand.backends.screen.ocr import OcrEngine, TextBox, image_key
from deskhand.backends.screen.tree import center_in, mark_secrets, window_children
from deskhand.tree.node import Bounds, Node

# Margin of fill colour around a box's content before it is read.
_PAD = 8


class WindowPixels:
    def __init__(self, engine: OcrEngine, screenshot: Callable[[Bounds], bytes]) -> None:
        self.engine = engine
        self.timeout = 10.0  # the longest one OCR read may take: the step's timeout when a runner sets it
        self.changes = 0  # how many times a window's nodes were read anew (part of the backend's version)
        self._screenshot = screenshot
        self._read: dict[int, tuple[str, Bounds, tuple[Node, ...]]] = {}  # window → (image key, origin, nodes)

    def nodes(self, window: int, shown: Bounds, app: str) -> tuple[Node, ...]:
        """The pseudo-nodes of the part ``shown`` (screen coordinates) of X window ``window``."""
        image = self._grab(shown)
        key = image_key(image)
        cached = self._read.get(window)
        if cached is not None and cached[0] == key and cached[1] == shown:
            return cached[2]
        texts = self.engine.read(image, timeout=self.timeout)
        boxes = find_boxes(image, texts)
        texts = [t for t in texts if not any(center_in(t.box, b.inner) for b in boxes)]
        for box in boxes:
            texts.extend(self._inside(image, box))
        nodes = mark_secrets(window_children(window, shown, app, texts, boxes), image, boxes)
        self._read[window] = (key, shown, nodes)
        self.changes += 1
        return nodes

    def _inside(self, image: Image.Image, box: Box) -> list[TextBox]:
        """What a field or list holds, read from its own box with a margin of its fill colour: text touching
        the box's edge (a list's first letter, a focus ring) is lost in the window's reading ("pple")."""
        b = box.inner
        crop = image.crop((b.x + 1, b.y + 1, b.x + b.width - 1, b.y + b.height - 1))
        padded = Image.new("RGB", (crop.width + 2 * _PAD, crop.height + 2 * _PAD), box.fill)
        padded.paste(crop, (_PAD, _PAD))
        return [
            TextBox(
                t.text,
                Bounds(t.box.x + b.x + 1 - _PAD, t.box.y + b.y + 1 - _PAD, t.box.width, t.box.height),
                t.confidence,
            )
            for t in self.engine.read(padded, timeout=self.timeout)
        ]

    def _grab(self, bounds: Bounds) -> Image.Image:
        png = self._screenshot(bounds)
        with Image.open(io.BytesIO(png)) as shot:
            return shot.convert("RGB")


def clip(bounds: Bounds, width: int, height: int) -> Bounds | None:
    """The part of ``bounds`` on a ``width`` x ``height`` screen, or None when none of it is."""
    left, top = max(bounds.x, 0), max(bounds.y, 0)
    right, bottom = min(bounds.x + bounds.width, width), min(bounds.y + bounds.height, height)
    if right - left <= 0 or bottom - top <= 0:
        return None
    return Bounds(left, top, right - left, bottom - top)
