"""A step's screenshot and where on it the element acted on was.

The runner records each acted-on element's screen rectangle with the step's actions (``bounds``); the
screenshot is the whole screen, so the page lays an SVG with the picture's size as its viewBox over it and
draws the rectangles in screen pixels (no inline styles: the console's CSP forbids them). The highlight is
where the element was when acted on; the screenshot is taken after the step.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class Highlight:
    x: int
    y: int
    width: int
    height: int
    label: str


def png_size(path: Path) -> tuple[int, int] | None:
    """Width and height from the PNG header (no decoding); None if it is not a PNG."""
    try:
        with path.open("rb") as stream:
            head = stream.read(24)
    except OSError:
        return None
    if len(head) < 24 or not head.startswith(_PNG) or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def highlights(actions: tuple[dict[str, Any], ...], size: tuple[int, int] | None) -> list[Highlight]:
    if size is None or not size[0] or not size[1]:
        return []
    found = []
    for action in actions:
        box = action.get("bounds")
        if not isinstance(box, list) or len(box) != 4:
            continue
        x, y, w, h = (int(v) for v in box)
        label = f"{action.get('kind', '')} {action.get('selector') or action.get('value') or ''}".strip()
        found.append(Highlight(x, y, w, h, label))
    return found


def inside(root: Path, path: Path | None) -> Path | None:
    """``path`` if it is a file under ``root`` (artifact paths come from the database; never serve others)."""
    if path is None:
        return None
    try:
        resolved = path.resolve(strict=True)
        resolved.relative_to(root.resolve())
    except (OSError, ValueError):
        return None
    return resolved if resolved.is_file() else None
