"""Views that draw their rows without listing them, read and scrolled the way a person reads and scrolls them.

GTK 4.8's GtkTreeView (and GtkIconView) give assistive technology no rows, cells or text: the view is one
node, named by its class as GTK 4 names a widget without a label, holding only its column headers (measured
on gtk4-widget-factory: its tree shows some 20 rows and lists none). What such a view shows is read from its
pixels (Tesseract, the screen backend's engine); a row scrolled out of it is brought in with the wheel over
the view, a few notches at a time, reading it again after each, until the words show or the view stops
moving (its end) — then from its top, if it did not start there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PIL import Image

from deskhand.backends.base import Backend, ScrollDirection
from deskhand.backends.screen.ocr import OcrEngine, image_key
from deskhand.backends.screen.phrase import phrase_of
from deskhand.backends.screen.tree import VIA
from deskhand.backends.screen.views import readable_picture
from deskhand.errors import DeskhandError, LocatorTimeout
from deskhand.tree.node import Bounds, Node
from deskhand.tree.roles import Role

# GTK 4 classes that draw rows they do not list (a later GTK that lists them is told by the rows below).
DRAWN_VIEW_CLASSES = frozenset({"GtkTreeView", "GtkIconView"})
_LISTED = frozenset({Role.ROW, Role.CELL, Role.LISTITEM, Role.OPTION, Role.TREEITEM})
# Wheel notches per step: GTK 4 scrolls a notch by page^(2/3) pixels (~42 px in a 273 px view), so five
# move most of a page and keep a row of overlap.
NOTCHES = 5
# The most wheel steps one search makes each way (a long list: ~60 pages), and how long the app may take
# to draw a scroll before the view counts as not moving (its end).
MAX_STEPS = 60
MOVED_WAIT_S = 2.0


def drawn_views(root: Node, backend: Backend) -> list[Node]:
    """The views in ``root`` that draw rows they do not list (cells read off their pixels do not count) and
    are shown now. GTK 4 keeps the extents of a widget on a stack page no longer shown, so the app is asked
    whether the view holds its own centre (``base.PointCheck``): a wheel turned over a stale box would
    scroll whatever is there now."""
    return [
        node
        for node in root.walk()
        if node.name in DRAWN_VIEW_CLASSES
        and node.bounds is not None
        and not node.bounds.empty
        and not any(below.role in _LISTED and below.attributes.get("via") != VIA for below in node.walk())
        and _shown(backend, node)
    ]


def _shown(backend: Backend, view: Node) -> bool:
    ask = getattr(backend, "contains_point", None)
    if ask is None or view.bounds is None:
        return False
    x, y = view.bounds.center
    try:
        return bool(ask(view.ref, x, y))
    except DeskhandError:
        return False


@dataclass
class Search:
    """One search of a drawn view for ``words``: what it read on the way (for the error when they never show)."""

    backend: Backend
    engine: OcrEngine
    view: Node
    words: str
    deadline: float
    seen: list[str] = field(default_factory=list)
    found: bool = False

    def bring_in(self) -> bool:
        """Whether the view shows the words now: read as it is, else scrolled down to its end, else back up
        to its top; a row found cut by the view's edge is then turned a notch further in."""
        image = self._image()
        self.found = self._shows(image) or self._scroll_while("down", image) or self._scroll_while("up", self._image())
        return self.found

    def _scroll_while(self, direction: ScrollDirection, image: Image.Image) -> bool:
        """Scroll until the words show (True) or the view stops moving (False: its end, or time is up)."""
        for _step in range(MAX_STEPS):
            if time.monotonic() > self.deadline:
                return False
            self.backend.scroll(self.view.ref, direction, NOTCHES)
            moved = self._moved_from(image)
            if moved is None:
                return False
            image = moved
            if self._shows(image):
                return True
        return False

    def _shows(self, image: Image.Image) -> bool:
        """Whether ``image`` shows the words; shown cut by the view's top or bottom edge (a row half in view:
        its text read apart once painted selected), the view is turned one notch to bring the row in whole."""
        box = self._where(image)
        if box is None:
            return False
        margin = max(box.height // 2, 3)
        if image.height - (box.y + box.height) < margin:
            self._nudge("down", image)
        elif box.y - self._header_bottom() < margin:
            self._nudge("up", image)
        return True

    def _nudge(self, direction: ScrollDirection, image: Image.Image) -> None:
        """One notch ``direction``, undone if the words no longer show after it (a view a notch tall)."""
        self.backend.scroll(self.view.ref, direction, 1)
        moved = self._moved_from(image)
        if moved is not None and self._where(moved) is None:
            self.backend.scroll(self.view.ref, "up" if direction == "down" else "down", 1)
            self._moved_from(moved)

    def _header_bottom(self) -> int:
        """Where rows start in the view's picture: below its column headers (the buttons it lists)."""
        assert self.view.bounds is not None
        top = self.view.bounds.y
        return max(
            (c.bounds.y + c.bounds.height - top for c in self.view.children if c.role == Role.BUTTON and c.bounds),
            default=0,
        )

    def _moved_from(self, before: Image.Image) -> Image.Image | None:
        """The view's picture once the app drew the scroll (it has drawn it when two looks agree), or None
        when it still shows ``before`` after MOVED_WAIT_S: the view is at its end."""
        key = image_key(before)
        give_up = min(time.monotonic() + MOVED_WAIT_S, self.deadline)
        while True:
            now = self._image()
            if image_key(now) != key:
                again = self._image()
                if image_key(again) == image_key(now):
                    return now
                key = image_key(before)
            if time.monotonic() > give_up:
                return None
            self.backend.wait_for_change(0.05)

    def _where(self, image: Image.Image) -> Bounds | None:
        left = self.deadline - time.monotonic()
        if left <= 0:
            return None
        try:
            phrases = self.engine.read(image, timeout=left)
        except LocatorTimeout:
            return None
        for phrase in phrases:
            if phrase.text not in self.seen:
                self.seen.append(phrase.text)
        return phrase_of(self.words, phrases)

    def _image(self) -> Image.Image:
        assert self.view.bounds is not None
        return readable_picture(self.backend.screenshot(self.view.bounds))
