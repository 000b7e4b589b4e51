"""Reading text and its boxes from a window's pixels with Tesseract (tesserocr, in process).

Measured on this machine (docs/perception-decisions.md, ``benchmarks/ocr.py``): tesserocr on Debian's
English model reads the test apps' labels fully at 2x scale in tens of milliseconds per window; pytesseract
pays a process start per call (~10x slower) and rapidocr-onnxruntime (model in the wheel) takes 1-3 s per
window on two cores. Results are cached by the image's hash: an unchanged window is never read twice.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PIL import Image

from deskhand.errors import BackendUnavailable, LocatorTimeout
from deskhand.tree.node import Bounds

# Screen fonts are small for Tesseract (it is trained on ~30 px text); doubling the image reads 9-10 pt UI
# text and xterm's 6x13 font (measured: at 1x "Submit" lost its t and xterm lines were missed).
SCALE = 2
# Words on one line closer than this many line heights belong to one phrase ("Save as", "Total: 17"); a
# monospace space is a whole cell (xterm: 16 px between words 12 px high); separate widgets sit further apart.
_PHRASE_GAP = 1.6
_CACHE_SIZE = 64
# Tesseract's thresholding_method: 0 Otsu (global), 2 Sauvola (local).
_THRESHOLDS = ("0", "2")
_LOCAL = ("2",)
_TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata")
_shared: list[TesseractOcr] = []
_shared_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class TextBox:
    """A phrase read from an image: its text, its box in the image's pixels, how sure the engine is (0..1)."""

    text: str
    box: Bounds
    confidence: float


class OcrEngine(Protocol):
    name: str

    def read(self, image: Image.Image, *, timeout: float) -> list[TextBox]:
        """Phrases in ``image``; raises LocatorTimeout when reading takes longer than ``timeout`` seconds."""
        ...


def image_key(image: Image.Image) -> str:
    return hashlib.blake2b(image.tobytes(), digest_size=16).hexdigest() + f"{image.size}"


def tessdata_dir() -> str:
    """Where Debian's tesseract-ocr-eng put the English model (TESSDATA_PREFIX wins)."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *_TESSDATA_DIRS]
    for folder in candidates:
        if folder and (Path(folder) / "eng.traineddata").is_file():
            return folder
    raise BackendUnavailable(
        "Tesseract's English model (eng.traineddata) is not installed.",
        hint="Install it: `apt-get install tesseract-ocr-eng` (scripts/install.sh does).",
    )


class TesseractOcr:
    """One Tesseract instance behind a lock (its API object is not thread-safe), with a small cache."""

    name = "tesseract"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._api: Any = None
        self._cache: OrderedDict[str, list[TextBox]] = OrderedDict()
        self.reads = 0  # OCR runs (cache misses), for benchmarks and tests

    def _engine(self) -> Any:
        if self._api is None:
            try:
                import tesserocr
            except ImportError as error:  # pragma: no cover - a hard dependency
                raise BackendUnavailable(f"tesserocr is missing: {error}", hint="pip install tesserocr") from None
            self._api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang="eng", psm=tesserocr.PSM.SPARSE_TEXT)
        return self._api

    def read(self, image: Image.Image, *, timeout: float, thresholds: tuple[str, ...] = _THRESHOLDS) -> list[TextBox]:
        key = image_key(image) + "".join(thresholds)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
            found = self._recognize(image, timeout, thresholds)
            self._cache[key] = found
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
            return found

    def _recognize(self, image: Image.Image, timeout: float, thresholds: tuple[str, ...]) -> list[TextBox]:
        """Two readings merged: Otsu's global threshold (exact on plain UI text) and Sauvola's local one
        (text on grey fills: a global threshold turns a grey button black with its label; measured on the
        painted-canvas test app, "Start Pause" read as "LE ibe")."""
        grey = image.convert("L")
        scaled = grey.resize((grey.width * SCALE, grey.height * SCALE), Image.Resampling.LANCZOS)
        deadline = time.monotonic() + timeout
        found = [box for method in thresholds for box in self._pass(scaled, method, deadline)]
        kept: list[TextBox] = []
        for box in sorted(found, key=lambda b: -b.confidence):
            if not any(box.box.intersects(other.box) for other in kept):
                kept.append(box)
        return sorted(kept, key=lambda b: (b.box.y, b.box.x))

    def _pass(self, scaled: Image.Image, method: str, deadline: float) -> list[TextBox]:
        import tesserocr

        api = self._engine()
        api.SetVariable("thresholding_method", method)
        api.SetImage(scaled)
        self.reads += 1
        left = deadline - time.monotonic()
        if left <= 0 or not api.Recognize(timeout=max(int(left * 1000), 1)):
            raise LocatorTimeout(
                "Reading the window's text (OCR) took longer than the step's time.",
                hint="Give the step longer with `within N seconds`, or make the window smaller.",
            )
        words: list[tuple[str, Bounds, float, bool]] = []
        iterator = api.GetIterator()
        level = tesserocr.RIL.WORD
        while True:
            text = (iterator.GetUTF8Text(level) or "").strip() if not iterator.Empty(level) else ""
            if text:
                x1, y1, x2, y2 = iterator.BoundingBox(level)
                box = Bounds(x1 // SCALE, y1 // SCALE, (x2 - x1) // SCALE, (y2 - y1) // SCALE)
                starts_line = iterator.IsAtBeginningOf(tesserocr.RIL.TEXTLINE)
                words.append((text, box, iterator.Confidence(level) / 100.0, starts_line))
            if not iterator.Next(level):
                break
        return phrases(words)


def shared_engine() -> TesseractOcr:
    """One engine for the process's reads outside a screen backend (a Qt label's words, a drawn view's rows),
    made at the first read (loading the model takes ~0.2 s)."""
    with _shared_lock:
        if not _shared:
            _shared.append(TesseractOcr())
        return _shared[0]


@dataclass
class LocalThreshold:
    """An engine reading with Sauvola's local threshold alone: for a picture made dark text on light first
    (a drawn view, its selected rows inverted: backends/screen/views.readable), where it read every row
    of gtk4-widget-factory's tree and table in half the time of both passes (Otsu's alone lost a selected
    row's neighbour)."""

    engine: TesseractOcr
    name: str = "tesseract (local threshold)"

    def read(self, image: Image.Image, *, timeout: float) -> list[TextBox]:
        return self.engine.read(image, timeout=timeout, thresholds=_LOCAL)


def view_engine() -> LocalThreshold:
    """The shared engine (one model, one cache) as drawn views are read."""
    return LocalThreshold(shared_engine())


def phrases(words: list[tuple[str, Bounds, float, bool]]) -> list[TextBox]:
    """Words joined into phrases: same line, and a gap smaller than the line's height."""
    out: list[TextBox] = []
    current: list[tuple[str, Bounds, float]] = []

    def flush() -> None:
        if current:
            left = min(b.x for _, b, _ in current)
            top = min(b.y for _, b, _ in current)
            right = max(b.x + b.width for _, b, _ in current)
            bottom = max(b.y + b.height for _, b, _ in current)
            text = " ".join(t for t, _, _ in current)
            confidence = min(c for _, _, c in current)
            out.append(TextBox(text, Bounds(left, top, right - left, bottom - top), confidence))
            current.clear()

    for text, box, confidence, starts_line in words:
        if current:
            last = current[-1][1]
            height = max(last.height, box.height, 1)
            gap = box.x - (last.x + last.width)
            same_row = abs((box.y + box.height / 2) - (last.y + last.height / 2)) < height * 0.6
            if (starts_line and not same_row) or gap > height * _PHRASE_GAP or gap < -height:
                flush()
        current.append((text, box, confidence))
    flush()
    return out
