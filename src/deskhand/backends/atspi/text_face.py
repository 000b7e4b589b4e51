"""Where a label's own text lies inside its box, when the toolkit does not say.

A click on a label by its name is a click on its words: a Qt ``QLabel`` holding a rich-text link
(``<a href=…>Read the docs</a>``) opens the link only when the press lands on the link's letters, and a
label's box is often far wider and taller than its text (a form row: 372 x 199 px around 13 letters, the
words at its left edge; its centre is empty). GTK and Chromium label text has the Text interface (character
boxes) or link children; Qt's QLabel has neither (no Text, no Hypertext: measured on Qt 6), so its words are
found the way a person finds them: read from the label's pixels (Tesseract, the screen backend's engine).
"""

from __future__ import annotations

import io

from PIL import Image

from deskhand.backends.atspi import constants as c
from deskhand.backends.atspi.grab import grab_png
from deskhand.backends.screen.ocr import shared_engine
from deskhand.backends.screen.phrase import phrase_of
from deskhand.tree.node import Node
from deskhand.tree.roles import Role

_READ_TIMEOUT_S = 5.0


def needs_reading(node: Node, interfaces: frozenset[str], toolkit: str) -> bool:
    """A named label whose text has no place the app tells (no Text interface): Qt's QLabel."""
    return node.role == Role.LABEL and bool(node.name.strip()) and toolkit == "qt" and c.I_TEXT not in interfaces


def words_centre(node: Node, display: str) -> tuple[int, int] | None:
    """The centre of ``node``'s name as read inside its box, in screen pixels; None when not read there."""
    box = node.bounds
    if box is None or box.empty:
        return None
    image = Image.open(io.BytesIO(grab_png(display, box)))
    found = phrase_of(node.name, shared_engine().read(image, timeout=_READ_TIMEOUT_S))
    if found is None:
        return None
    x, y = found.center
    return box.x + x, box.y + y
