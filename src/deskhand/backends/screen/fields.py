"""Boxes a person types into or picks from, found in a window's pixels beside or below their label.

An entry or a list is a rectangle of one colour (white, mostly) that differs from the window's background,
drawn just right of its label on the label's row, or just below it. Found by walking pixels from the label
(no model): past the background, over the box's border, then along the box's first clear row and column.
The same geometry the accessibility tree's labels use (:func:`deskhand.tree.match.positional_labels`) then
names each box by its label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from PIL import Image

from deskhand.backends.screen.ocr import TextBox
from deskhand.tree.node import Bounds

Rgb = tuple[int, int, int]
BoxKind = Literal["field", "list"]
# A box may start this far right of its label's end (form columns leave wide gaps) or below its bottom.
_MAX_RIGHT_GAP = 240
_MAX_BELOW_GAP = 12
# A border is at most this thick before the box's own colour begins.
_MAX_BORDER = 4
# Taller than this many label heights: a list of lines, not a one-line field.
_FIELD_HEIGHT_RATIO = 2.6


@dataclass(frozen=True, slots=True)
class Box:
    """A box in the window's pixels: its inside (no border), its kind, the colour it is filled with."""

    inner: Bounds
    kind: BoxKind
    fill: Rgb


def background_of(image: Image.Image) -> Rgb:
    """The window's most common colour (counted on a quarter-size copy: the answer is the same)."""
    small = image.reduce(4) if image.width >= 8 and image.height >= 8 else image
    counts = small.getcolors(small.width * small.height) or [(1, (0, 0, 0))]
    colour: Any = max(counts, key=lambda pair: pair[0])[1]
    return (int(colour[0]), int(colour[1]), int(colour[2]))


def find_boxes(image: Image.Image, texts: list[TextBox]) -> list[Box]:
    """The boxes beside (first) or below the texts that sit on the window's background (labels)."""
    rgb = image.convert("RGB")
    pixels = rgb.load()
    assert pixels is not None
    background = background_of(rgb)
    walker = _Walker(pixels, rgb.width, rgb.height, background)
    boxes: list[Box] = []
    for text in texts:
        if not walker.on_background(text.box) or any(_inside(text.box, b.inner) for b in boxes):
            continue
        for found in (walker.beside(text.box), walker.below(text.box)):
            if found is None or any(found.inner.intersects(b.inner) for b in boxes):
                continue
            kind: BoxKind = "field" if found.inner.height <= text.box.height * _FIELD_HEIGHT_RATIO else "list"
            boxes.append(Box(found.inner, kind, found.fill))
            break
    return boxes


def _inside(box: Bounds, outer: Bounds) -> bool:
    cx, cy = box.center
    return outer.x <= cx < outer.x + outer.width and outer.y <= cy < outer.y + outer.height


class _Walker:
    def __init__(self, pixels: Any, width: int, height: int, background: Rgb) -> None:
        self.pixels = pixels
        self.width = width
        self.height = height
        self.background = background

    def at(self, x: int, y: int) -> Rgb | None:
        if 0 <= x < self.width and 0 <= y < self.height:
            colour: Rgb = self.pixels[x, y]
            return colour
        return None

    def on_background(self, box: Bounds) -> bool:
        """A label sits on the window's background (text inside a box is the box's content)."""
        middle = box.y + box.height // 2
        around = [self.at(box.x - 3, middle), self.at(box.x + box.width + 3, middle), self.at(box.x, box.y - 3)]
        return sum(1 for colour in around if colour == self.background) >= 2

    def beside(self, label: Bounds) -> Box | None:
        y = label.y + label.height // 2
        start = self._first_off_background(label.x + label.width + 2, y, 1, 0, _MAX_RIGHT_GAP)
        if start is None:
            return None
        inside = self._past_border(start, y, 1, 0)
        if inside is None:
            return None
        x, fill = inside
        clear_row = self._run(x, y, 0, fill)[0]  # the fill's first row: no text, no border
        left, right = self._run(x, clear_row, 1, fill, vertical=False)
        top, bottom = self._height(x, y, fill)
        return self._box(left, top, right, bottom, fill, label)

    def below(self, label: Bounds) -> Box | None:
        x = label.x + min(3, label.width // 2)
        start = self._first_off_background(x, label.y + label.height + 1, 0, 1, _MAX_BELOW_GAP)
        if start is None:
            return None
        inside = self._past_border(x, start, 0, 1)
        if inside is None:
            return None
        y, fill = inside
        left, right = self._run(x, y, 1, fill, vertical=False)
        # Text inside may touch the left edge (a list's first letters): the longer of the two sides' runs.
        runs = [self._height(left, y, fill), self._height(right, y, fill)]
        top, bottom = max(runs, key=lambda run: run[1] - run[0])
        return self._box(left, top, right, bottom, fill, label)

    def _height(self, x: int, y: int, fill: Rgb) -> tuple[int, int]:
        """The box's rows from (x, y) just inside its left (or right) edge: the fill's run, or further where
        the border beside it runs on (a selected list row paints over the fill from edge to edge)."""
        top, bottom = self._run(x, y, 0, fill)
        for side in (x - 1, x + 1):
            if self.at(side, y) in (fill, self.background, None):
                continue
            low, high = y, y
            while self.at(side, low - 1) not in (self.background, None):
                low -= 1
            while self.at(side, high + 1) not in (self.background, None):
                high += 1
            top, bottom = min(top, low + 1), max(bottom, high - 1)
        return top, bottom

    def _box(self, left: int, top: int, right: int, bottom: int, fill: Rgb, label: Bounds) -> Box | None:
        inner = Bounds(left, top, right - left + 1, bottom - top + 1)
        # Narrower than a few letters or shorter than the label's text: a rule, an icon, not a box to type in.
        if inner.width < max(label.height * 2, 24) or inner.height < label.height * 0.8:
            return None
        return Box(inner, "field", fill)

    def _first_off_background(self, x: int, y: int, dx: int, dy: int, limit: int) -> int | None:
        for step in range(limit):
            colour = self.at(x + dx * step, y + dy * step)
            if colour is None:
                return None
            if colour != self.background:
                return (x if dx else y) + step
        return None

    def _past_border(self, x: int, y: int, dx: int, dy: int) -> tuple[int, Rgb] | None:
        """Over the border: the first of three same-coloured pixels that are not the background."""
        for step in range(_MAX_BORDER + 1):
            px, py = x + dx * step, y + dy * step
            colours = {self.at(px + dx * i, py + dy * i) for i in range(3)}
            colour = self.at(px, py)
            if len(colours) == 1 and colour is not None and colour != self.background:
                return (px if dx else py), colour
        return None

    def _run(self, x: int, y: int, axis: int, fill: Rgb, *, vertical: bool = True) -> tuple[int, int]:
        """How far the fill colour runs from (x, y) both ways: up/down (vertical) or left/right."""
        if vertical and axis == 0:
            low = y
            while self.at(x, low - 1) == fill:
                low -= 1
            high = y
            while self.at(x, high + 1) == fill:
                high += 1
            return low, high
        low = x
        while self.at(low - 1, y) == fill:
            low -= 1
        high = x
        while self.at(high + 1, y) == fill:
            high += 1
        return low, high


# Labels that name a field holding a secret.
_SECRET_LABEL = re.compile(r"\b(password|passphrase|passcode|pin)\b", re.IGNORECASE)


def names_a_secret(label: str) -> bool:
    return bool(_SECRET_LABEL.search(label))


def shows_mask(image: Image.Image, box: Box) -> bool:
    """Whether the field shows a row of one repeated glyph (••••, ****): a password entry's mask, which OCR
    reads as noise ("eeceecccce"). Ink columns are grouped into glyphs; three or more of one width, one
    spacing and one height are a mask."""
    b = box.inner
    crop = image.convert("RGB").crop((b.x + 2, b.y + 2, b.x + b.width - 2, b.y + b.height - 2))
    pixels = crop.load()
    assert pixels is not None
    fill = sum(box.fill)

    def ink(x: int, y: int) -> bool:
        colour: Any = pixels[x, y]
        return bool(abs(sum(colour) - fill) > 240)

    glyphs: list[tuple[int, int, int, int]] = []  # left, right, top, bottom
    start = None
    for x in range(crop.width + 1):
        rows = [y for y in range(crop.height) if x < crop.width and ink(x, y)]
        if rows and start is None:
            start, top, bottom = x, min(rows), max(rows)
        elif rows and start is not None:
            top, bottom = min(top, *rows), max(bottom, *rows)
        elif start is not None:
            glyphs.append((start, x - 1, top, bottom))
            start = None
    if len(glyphs) < 3:
        return False
    widths = {right - left for left, right, _, _ in glyphs}
    gaps = {glyphs[i + 1][0] - glyphs[i][1] for i in range(len(glyphs) - 1)}
    heights = {(top, bottom) for _, _, top, bottom in glyphs}
    return max(widths) - min(widths) <= 1 and max(gaps) - min(gaps) <= 1 and len(heights) <= 2
