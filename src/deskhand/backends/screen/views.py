"""A tree app's views that draw rows they do not list (GTK 4.8's tree view), read from their own box alone.

When such a view shows a step's words (locate/drawn_views.py found them there), only the view's pixels are
read, not its window's: a few hundred pixels square where the window is a whole screen (OCR time grows with
the pixels: a screen-wide read outgrew a 10 s step on a loaded two-core machine), and the target is what the
view shows, never the same words elsewhere in the window (gtk4-widget-factory shows 'Otto' in its table and
in a disabled combo box). The view's phrases become cells under the view's node (``via: screen``); a cell's
ref holds the view's box, so reading the cell again (to click it) reads that box alone, and the engine's
cache by image makes an unchanged view cost nothing.
"""

from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from PIL import Image, ImageOps

from deskhand.backends.screen.ocr import OcrEngine
from deskhand.backends.screen.pixels import clip
from deskhand.backends.screen.tree import VIA, ScreenRef
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role, State

_CELL_STATES = frozenset({State.VISIBLE, State.SHOWING, State.ENABLED, State.SELECTABLE})
# How much lighter or darker than a line's background a pixel is to count as its text.
_INK = 60
# Lines whose fills differ by no more than this are one fill (a band's lines without text).
_SAME_FILL = 8
# Screenshots made readable lately, by their bytes: a view looked at again unchanged (a search waiting for
# a scroll to be drawn, a step resolving its target) costs a hash, not a conversion (~0.1 s under load).
_MADE_READABLE: OrderedDict[bytes, Image.Image] = OrderedDict()
_MEMO_SIZE = 16
_memo_lock = threading.Lock()


class ViewPixels:
    """Reads drawn views' boxes into cells; ``changes`` counts reads of a box that showed something new."""

    def __init__(self, engine: OcrEngine, screenshot: Callable[[Bounds], bytes]) -> None:
        self.engine = engine
        self.timeout = 10.0  # the longest one OCR read may take: the step's timeout when a runner sets it
        self.changes = 0
        self._screenshot = screenshot
        self._last: dict[tuple[int, Bounds], tuple[bytes, tuple[Node, ...]]] = {}

    def cells(self, window: int, origin: Bounds, area: Bounds, app: str, screen: tuple[int, int]) -> tuple[Node, ...]:
        """The phrases shown in ``area`` (pixels of X window ``window``, whose top-left is at ``origin`` on a
        ``screen`` of that width and height), as cells in screen coordinates."""
        on_screen = clip(Bounds(origin.x + area.x, origin.y + area.y, area.width, area.height), *screen)
        if on_screen is None:
            return ()
        png = self._screenshot(on_screen)
        key = _digest(png)
        last = self._last.get((window, area))
        if last is not None and last[0] == key:
            return last[1]
        image = readable_picture(png)
        dx, dy = on_screen.x - origin.x, on_screen.y - origin.y  # the image's place in the window
        cells = tuple(
            Node(
                str(ScreenRef("cell", window, _moved(t.box, dx, dy), area=area)),
                Role.CELL,
                name=t.text,
                states=_CELL_STATES,
                bounds=_moved(t.box, on_screen.x, on_screen.y),
                app=app,
                raw_role="screen text",
                attributes={"via": VIA, "confidence": f"{t.confidence:.2f}"},
            )
            for t in self.engine.read(image, timeout=self.timeout)
        )
        self._last[(window, area)] = (key, cells)
        self.changes += 1
        return cells


def _digest(png: bytes) -> bytes:
    return hashlib.blake2b(png, digest_size=16).digest()


def readable_picture(png: bytes) -> Image.Image:
    """A view's screenshot (PNG) made :func:`readable`, remembered by its bytes."""
    key = _digest(png)
    with _memo_lock:
        made = _MADE_READABLE.get(key)
        if made is not None:
            _MADE_READABLE.move_to_end(key)
            return made
    with Image.open(io.BytesIO(png)) as shot:
        made = readable(shot)
    with _memo_lock:
        _MADE_READABLE[key] = made
        if len(_MADE_READABLE) > _MEMO_SIZE:
            _MADE_READABLE.popitem(last=False)
    return made


def readable(image: Image.Image) -> Image.Image:
    """``image`` in grey, each band of light text on a dark fill (a selected row: white on Adwaita's blue)
    turned dark on light — the band's lines without text too, found by their fill. Tesseract lost such rows,
    and the icons beside them made up words: measured on gtk4-widget-factory's table, the selected 'Otto'
    was not read at all until its band was inverted."""
    grey = image.convert("L")
    width, height = grey.size
    lines = [_shades(grey.crop((0, y, width, y + 1)).histogram()) for y in range(height)]
    dark_fills = {fill for fill, light_ink in lines if light_ink}
    out = grey.copy()
    start: int | None = None
    for y in range(height + 1):
        dark = y < height and any(abs(lines[y][0] - fill) <= _SAME_FILL for fill in dark_fills)
        if dark and start is None:
            start = y
        elif not dark and start is not None:
            out.paste(ImageOps.autocontrast(ImageOps.invert(grey.crop((0, start, width, y)))), (0, start))
            start = None
    return out.convert("RGB")


def _shades(histogram: list[int]) -> tuple[int, bool]:
    """A line's fill (its commonest shade) and whether its ink (pixels far from the fill) is mostly lighter."""
    fill = max(range(256), key=histogram.__getitem__)
    return fill, sum(histogram[fill + _INK :]) > sum(histogram[: max(fill - _INK, 0)])


def _moved(box: Bounds, dx: int, dy: int) -> Bounds:
    return Bounds(box.x + dx, box.y + dy, box.width, box.height)


def graft(root: Node, ref: str, children: tuple[Node, ...]) -> Node:
    """``root`` with ``children`` added under its node ``ref`` (unchanged when it holds no such node)."""
    if root.ref == ref:
        return replace(root, children=root.children + children)
    for index, child in enumerate(root.children):
        grafted = graft(child, ref, children)
        if grafted is not child:
            return replace(root, children=(*root.children[:index], grafted, *root.children[index + 1 :]))
    return root
