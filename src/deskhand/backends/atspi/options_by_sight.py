"""Choosing an option in a list that names none to assistive technology: read off the popup, clicked by sight.

GTK 4.8's combo box (tree/unlisted_options.py) maps its list as a popup window of its own when its button is
clicked (override-redirect on X: 141x114 px for three options on gtk4-widget-factory, the popover's shadow
drawn black on Xvfb), and nothing of the list reaches AT-SPI. So, as a person does: the popup that click
opened is found, only its box is read (Tesseract, the screen backend's engine) once it is drawn, and the
phrase most like the option is clicked. A popup just mapped shows what was beneath it until the app paints
it (no compositor: measured, the combo below's "Otto" was read as the list's and the click chose another
row), so it counts as drawn once it differs from the screen there before the click and two looks agree. A
list that does not show the option is closed again (Escape) and the error names what it showed.
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
# How long a drawn list that does not show the option is watched for a change before it counts as final.
STILL_S = 1.0
# How long the popup may take to close after the option is clicked.
CLOSE_WAIT_S = 2.0
# OCR's own noise (an arrow read as a quote mark) is left out of the options named in an error.
_SURE = 0.5


@dataclass(frozen=True)
class Before:
    popups: list[Box]
    screen: Image.Image


@dataclass
class PopupList:
    """The popup list a combo's click opened, seen through X: ``popups`` lists the popup windows' boxes,
    ``grab`` takes a box's PNG (None: the whole screen), ``click`` and ``press`` are the person's pointer and
    keys."""

    popups: Callable[[], list[Box]]
    grab: Callable[[Bounds | None], bytes]
    click: Callable[[int, int], None]
    press: Callable[[str], None]
    wait: Callable[[float], Any]
    engine: OcrEngine

    def before_click(self) -> Before:
        """What the screen shows before the combo's click: its popups, and its picture."""
        return Before(self.popups(), self._image(None))

    def choose(self, combo: Node, option: str, before: Before, timeout: float = LIST_WAIT_S) -> None:
        """Click ``option`` in the popup ``combo``'s click opened (``before``: the screen until then)."""
        deadline = time.monotonic() + timeout
        box = self._opened(combo, before.popups, deadline)
        beneath = image_key(before.screen.crop((box.x, box.y, box.x + box.width, box.y + box.height)))
        seen: list[TextBox] = []
        found = self._read_until_shown(box, beneath, option, deadline, seen)
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

    def _read_until_shown(
        self, box: Bounds, beneath: str, option: str, deadline: float, seen: list[TextBox]
    ) -> Bounds | None:
        """The option's box in the popup, read each time the popup's drawn picture settles anew; None when it
        does not show the option and stays so for STILL_S (a drawn list does not change by itself), or time
        is up."""
        read_key, read_at = "", 0.0
        while True:
            image = self._settled(box, beneath, deadline)
            if image is not None and image_key(image) != read_key:
                read_key, read_at = image_key(image), time.monotonic()
                try:
                    phrases = self.engine.read(image, timeout=max(deadline - time.monotonic(), 0.01))
                except LocatorTimeout:
                    return None
                seen[:] = phrases
                found = phrase_of(option, phrases)
                if found is not None:
                    return found
            now = time.monotonic()
            if now > deadline or (read_key and now - read_at > STILL_S):
                return None
            self.wait(0.05)

    def _settled(self, box: Bounds, beneath: str, deadline: float) -> Image.Image | None:
        """The popup's picture once it is drawn (not what was beneath it, and two looks agree), or None when
        it is not drawn by the time it is up."""
        last = self._image(box)
        while time.monotonic() <= deadline:
            self.wait(0.05)
            now = self._image(box)
            if image_key(now) == image_key(last) != beneath:
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

    def _image(self, box: Bounds | None) -> Image.Image:
        with Image.open(io.BytesIO(self.grab(box))) as shot:
            return shot.convert("RGB")


def _distance(box: Bounds, to: Bounds | None) -> int:
    if to is None:
        return 0
    (x1, y1), (x2, y2) = box.center, to.center
    return abs(x1 - x2) + abs(y1 - y2)
