"""Choosing an option in a list that names none to assistive technology: read off the popup, clicked by sight.

GTK 4.8's combo box (tree/unlisted_options.py) maps its list as a popup window of its own when its button is
clicked (override-redirect on X: 141x114 px for three options on gtk4-widget-factory, the popover's shadow
drawn black on Xvfb), and nothing of the list reaches AT-SPI. So, as a person does: the popup that click
opened is found, only its box is read (Tesseract, the screen backend's engine) once it is drawn (two looks
agree), and the phrase most like the option is clicked. A list that does not show the option is closed
again (Escape) and the error names what it showed.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PIL import Image

from deskhand.backends.screen.ocr import OcrEngine, TextBox, image_key
from deskhand.backends.screen.phrase import phrase_of
from deskhand.errors import ActionFailed, LocatorTimeout
from deskhand.tree.node import Bounds, Node

Box = tuple[int, int, int, int]
# How long the list may take to open, be drawn and be read, and to close after the click (a loaded two-core
# machine: the popup maps within ~0.3 s, one read of its box takes ~0.1 s).
LIST_WAIT_S = 5.0
# How long the popup may take to close after the option is clicked.
CLOSE_WAIT_S = 2.0
# OCR's own noise (an arrow read as a quote mark) is left out of the options named in an error.
_SURE = 0.5


@dataclass
class PopupList:
    """The popup list a combo's click opened, seen through X: ``popups`` lists the popup windows' boxes,
    ``grab`` takes a box's PNG, ``click`` and ``press`` are the person's pointer and keys."""

    popups: Callable[[], list[Box]]
    grab: Callable[[Bounds], bytes]
    click: Callable[[int, int], None]
    press: Callable[[str], None]
    wait: Callable[[float], Any]
    engine: OcrEngine

    def choose(self, combo: Node, option: str, before: list[Box], timeout: float = LIST_WAIT_S) -> None:
        """Click ``option`` in the popup ``combo``'s click opened (``before``: the popups shown until then)."""
        deadline = time.monotonic() + timeout
        box = self._opened(combo, before, deadline)
        seen: list[TextBox] = []
        found = self._read_until_shown(box, option, deadline, seen)
        if found is None:
            self.press("Escape")  # the list opened here is closed again, as a person would
            shown = [t.text for t in seen if t.confidence >= _SURE]
            raise ActionFailed(
                f"The option {option!r} is not in the list {combo.role} {combo.name!r} opened "
                f"(read from the screen: it shows {', '.join(map(repr, shown)) or 'no text'}).",
                hint="Write an option as the list shows it.",
            )
        x, y = found.center
        self.click(box.x + x, box.y + y)
        if not self._gone(box, time.monotonic() + CLOSE_WAIT_S):
            self.press("Escape")
            raise ActionFailed(
                f"Clicked {option!r} in the list of {combo.role} {combo.name!r}, but the list stayed open.",
                hint="The app did not take the click on the option.",
            )

    def _opened(self, combo: Node, before: list[Box], deadline: float) -> Bounds:
        """The popup that appeared since ``before`` (the one nearest the combo when several did)."""
        while True:
            new = [Bounds(*b) for b in self.popups() if b not in before]
            if new:
                return min(new, key=lambda b: _distance(b, combo.bounds))
            if time.monotonic() > deadline:
                raise ActionFailed(
                    f"The list of {combo.role} {combo.name!r} did not open: no popup appeared within "
                    f"{LIST_WAIT_S:g} s of the click on it.",
                    hint="Check that the combo box is enabled and not covered.",
                )
            self.wait(0.05)

    def _read_until_shown(self, box: Bounds, option: str, deadline: float, seen: list[TextBox]) -> Bounds | None:
        """The option's box in the popup, read each time the popup's picture settles anew; None when the
        settled picture does not show it and time is up."""
        read_key = ""
        while True:
            image = self._settled(box, deadline)
            if image is not None and image_key(image) != read_key:
                read_key = image_key(image)
                try:
                    phrases = self.engine.read(image, timeout=max(deadline - time.monotonic(), 0.01))
                except LocatorTimeout:
                    return None
                seen[:] = phrases
                found = phrase_of(option, phrases)
                if found is not None:
                    return found
            if time.monotonic() > deadline:
                return None
            self.wait(0.05)

    def _settled(self, box: Bounds, deadline: float) -> Image.Image | None:
        """The popup's picture once two looks agree (drawn), or None when it keeps changing until time is up."""
        last = self._image(box)
        while time.monotonic() <= deadline:
            self.wait(0.05)
            now = self._image(box)
            if image_key(now) == image_key(last):
                return now
            last = now
        return None

    def _gone(self, box: Bounds, deadline: float) -> bool:
        wanted = (box.x, box.y, box.width, box.height)
        while wanted in self.popups():
            if time.monotonic() > deadline:
                return False
            self.wait(0.05)
        return True

    def _image(self, box: Bounds) -> Image.Image:
        with Image.open(io.BytesIO(self.grab(box))) as shot:
            return shot.convert("RGB")


def _distance(box: Bounds, to: Bounds | None) -> int:
    if to is None:
        return 0
    (x1, y1), (x2, y2) = box.center, to.center
    return abs(x1 - x2) + abs(y1 - y2)
