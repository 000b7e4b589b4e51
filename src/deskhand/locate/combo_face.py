"""The choice a combo box whose list names no options shows, read back from its face on screen.

What the app will use after an option is chosen is the choice the combo shows: GTK 4.8's combo box says it
nowhere to assistive technology (no name, value or selected child; its cell view has no text), so its face —
the button that opened the list (tree/unlisted_options.py) — is read with Tesseract until it shows the option
(the app redraws it once it has taken the click) or the step's time is up. The words must be the option's
own, not merely alike: "Large" is not "Larger".
"""

from __future__ import annotations

import io
import time

from PIL import Image

from deskhand.backends.base import Backend
from deskhand.backends.screen.ocr import OcrEngine, TextBox, shared_engine
from deskhand.backends.screen.phrase import plain
from deskhand.errors import ActionFailed, LocatorTimeout
from deskhand.tree.match import describe
from deskhand.tree.node import Node
from deskhand.tree.unlisted_options import face_of

# OCR's own noise (the arrow read as a quote mark) is not part of what the face shows.
_SURE = 0.5


def shows(option: str, phrases: list[TextBox]) -> bool:
    """Whether the face read as ``phrases`` shows ``option``: one phrase of it, or all of it, word for word."""
    wanted = plain(option)
    words = [plain(p.text) for p in phrases if plain(p.text)]
    return bool(wanted) and (wanted in words or " ".join(words) == wanted)


def shown_text(phrases: list[TextBox]) -> str:
    return " ".join(p.text for p in phrases if p.confidence >= _SURE and plain(p.text))


def read_back_face(backend: Backend, combo: Node, option: str, timeout: float, engine: OcrEngine | None = None) -> None:
    """Wait until ``combo``'s face shows ``option``; ActionFailed naming what it shows when it does not."""
    face = face_of(combo)
    if face is None or face.bounds is None:
        raise ActionFailed(f"{describe(combo)} has no face on screen to read its choice from.")
    reader = engine or shared_engine()
    deadline = time.monotonic() + timeout
    phrases: list[TextBox] = []
    while True:
        with Image.open(io.BytesIO(backend.screenshot(face.bounds))) as shot:
            image = shot.convert("RGB")
        try:
            phrases = reader.read(image, timeout=max(deadline - time.monotonic(), 0.01))
        except LocatorTimeout:
            pass
        if shows(option, phrases):
            return
        if time.monotonic() > deadline:
            shown = shown_text(phrases)
            raise ActionFailed(
                f"Chose {option!r} in the list of {describe(combo)}, but it shows "
                f"{repr(shown) if shown else 'no text'} afterwards (read from the screen).",
                hint="The app did not take the option: write an option as its list shows it.",
            )
        backend.wait_for_change(0.05)
