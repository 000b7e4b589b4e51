"""OCR engines side by side on the same window image (`python benchmarks/ocr.py --engines`): the shipped
reader (tesserocr in process, image doubled, two thresholds), tesserocr once at 1x, pytesseract (the same
engine, a process per call) and rapidocr-onnxruntime. An engine whose package is not installed is a row
saying so; nothing is installed or downloaded here.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

from PIL import Image

from deskhand.backends.screen.ocr import TesseractOcr, tessdata_dir

Reader = Callable[[Image.Image], str]


def _shipped() -> Reader:
    engine = TesseractOcr()

    def read(image: Image.Image) -> str:
        engine._cache.clear()  # every run really reads
        return "\n".join(box.text for box in engine.read(image, timeout=120))

    return read


def _tesserocr_1x() -> Reader:
    import tesserocr

    api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang="eng", psm=tesserocr.PSM.SPARSE_TEXT)

    def read(image: Image.Image) -> str:
        api.SetImage(image.convert("L"))
        return str(api.GetUTF8Text())

    return read


def _pytesseract() -> Reader:
    import pytesseract

    def read(image: Image.Image) -> str:
        return str(pytesseract.image_to_string(image, config="--psm 11"))

    return read


def _rapidocr() -> Reader:
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()

    def read(image: Image.Image) -> str:
        found, _ = engine(image.convert("RGB"))
        return "\n".join(str(line[1]) for line in found or [])

    return read


ENGINES: dict[str, Callable[[], Reader]] = {
    "tesserocr, shipped (2x, two thresholds)": _shipped,
    "tesserocr, 1x, one pass": _tesserocr_1x,
    "pytesseract, 1x (a process per call)": _pytesseract,
    "rapidocr-onnxruntime": _rapidocr,
}


def compare(image: Image.Image, labels: Sequence[str], runs: int) -> list[dict[str, Any]]:
    """One row per engine: median ms over ``runs`` reads (after one warm-up read that loads the model),
    the ratio to the shipped reader's median in this run, and how many ``labels`` its text contains."""
    rows: list[dict[str, Any]] = []
    for name, make in ENGINES.items():
        try:
            read = make()
            read(image)
        except ImportError as error:
            rows.append({"engine": name, "skipped": f"not installed ({error})"})
            continue
        times, text = [], ""
        for _ in range(runs):
            began = time.perf_counter()
            text = read(image)
            times.append((time.perf_counter() - began) * 1000)
        found = [label for label in labels if label in text]
        rows.append({"engine": name, "ms_median": round(statistics.median(times), 1), "labels": len(found)})
    baseline = rows[0]["ms_median"]
    for row in rows:
        if "ms_median" in row:
            row["vs_shipped"] = round(row["ms_median"] / baseline, 2)
            row["labels"] = f"{row['labels']}/{len(labels)}"
    return rows
