"""Screen text (OCR): time to read a 1280x800 window with no accessibility tree, a cached re-read, and
accuracy on the test apps' labels (the Tk form and an xterm), on a virtual desktop.

python benchmarks/ocr.py [--runs N] [--json] [--engines]

--engines: instead, the OCR engines side by side on the Tk form window's image (benchmarks/ocr_engines.py).

Baseline measured in the same run: grabbing the window's pixels alone (what any read costs at least).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

from PIL import Image

from deskhand.backends.composite import CompositeBackend
from deskhand.backends.screen.backend import ScreenBackend
from deskhand.backends.screen.ocr import TesseractOcr
from deskhand.locate.desktop import Desktop
from deskhand.sandbox import VirtualDesktop
from deskhand.tree.node import Node
from ocr_engines import compare

TK_FORM = Path(__file__).resolve().parents[1] / "tests" / "apps" / "tk_form.py"
TK_LABELS = ("Name", "City", "Total", "42.50", "Fruits", "Basket", "Apple", "Cherry", "Mango", "Lemon", "Submit")
XTERM_LINES = ("Total: 17 items", "Status: Ready")
XTERM = 'echo "Total: 17 items"; echo "Status: Ready"; sleep 600'


def texts(root: Node) -> set[str]:
    return {n.name for n in root.walk() if n.name} | {n.value for n in root.walk() if n.value}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--engines", action="store_true", help="compare OCR engines on the Tk form's image")
    options = parser.parse_args()
    with VirtualDesktop(size=(1400, 1000)) as virtual:
        screen = ScreenBackend(CompositeBackend(virtual.a11y_address, display=virtual.display), display=virtual.display)
        desktop = Desktop(screen, timeout=15)
        virtual.launch([sys.executable, str(TK_FORM), "1280x800"], wait=False)
        argv = ["xterm", "-T", "bench xterm", "-fa", "DejaVu Sans Mono", "-fs", "12", "-geometry", "60x8+40+860"]
        virtual.launch([*argv, "-e", "bash", "-c", XTERM], wait=False)
        form = desktop.wait_for_app("deskhand Tk form")
        term = desktop.wait_for_app("bench xterm")
        window = form.windows[0]
        assert window.bounds is not None
        if options.engines:
            image = Image.open(BytesIO(screen.screenshot(window.bounds)))
            rows = compare(image, TK_LABELS, options.runs)
            desktop.close()
            print(json.dumps(rows) if options.json else "\n".join(json.dumps(row) for row in rows))
            return
        grabs, firsts, cached = [], [], []
        for _ in range(options.runs):
            began = time.perf_counter()
            screen.screenshot(window.bounds)
            grabs.append((time.perf_counter() - began) * 1000)
            screen.engine = TesseractOcr()  # a cold engine: nothing cached
            screen._read.clear()
            screen.snapshot(form.ref)  # the engine's first use loads the model: not part of a read
            screen.engine = _warm(screen.engine)
            screen._read.clear()
            began = time.perf_counter()
            root = screen.snapshot(form.ref)
            firsts.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            screen.snapshot(form.ref)
            cached.append((time.perf_counter() - began) * 1000)
        seen = texts(root)
        tk_right = [label for label in TK_LABELS if label in seen]
        term_seen = texts(screen.snapshot(term.ref))
        term_right = [line for line in XTERM_LINES if line in term_seen]
        desktop.close()
    grab, first, again = (statistics.median(x) for x in (grabs, firsts, cached))
    result = {
        "window": f"{window.bounds.width}x{window.bounds.height}",
        "grab_ms_median (baseline)": round(grab, 1),
        "first_read_ms_median": round(first, 1),
        "cached_reread_ms_median": round(again, 1),
        "first_read_vs_grab": round(first / grab, 1),
        "cached_vs_first": round(again / first, 3),
        "tk_labels_exact": f"{len(tk_right)}/{len(TK_LABELS)}",
        "xterm_lines_exact": f"{len(term_right)}/{len(XTERM_LINES)}",
        "runs": options.runs,
    }
    if options.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


def _warm(engine: TesseractOcr) -> TesseractOcr:
    """The same loaded engine with its result cache emptied (so the next read really reads)."""
    engine._cache.clear()
    return engine


if __name__ == "__main__":
    main()
