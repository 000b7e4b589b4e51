"""A GTK3 window whose buttons are painted on a canvas (a DrawingArea: nothing of them is on AT-SPI), beside
a real Quit button that is. A click on a painted button prints its word as one JSON line.

Run with the system Python (python3-gi): ``/usr/bin/python3 tests/apps/gtk3_canvas.py``.
"""

from __future__ import annotations

import json
from typing import Any

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gtk  # noqa: E402

TITLE = "deskhand GTK3 canvas"
# (word, x, y, width, height) of each painted button, in canvas pixels.
PAINTED = (("Start", 30, 30, 140, 50), ("Pause", 220, 30, 140, 50))


def draw(_area: Gtk.DrawingArea, cr: Any) -> bool:
    cr.set_source_rgb(1, 1, 1)
    cr.paint()
    cr.select_font_face("DejaVu Sans")
    cr.set_font_size(18)
    for word, x, y, width, height in PAINTED:
        cr.set_source_rgb(0.85, 0.85, 0.85)
        cr.rectangle(x, y, width, height)
        cr.fill()
        cr.set_source_rgb(0, 0, 0)
        cr.move_to(x + 35, y + 32)
        cr.show_text(word)
    return False


def clicked(_area: Gtk.DrawingArea, event: Any) -> bool:
    for word, x, y, width, height in PAINTED:
        if x <= event.x < x + width and y <= event.y < y + height:
            print(json.dumps({"clicked": word}), flush=True)
    return True


def main() -> None:
    window = Gtk.Window(title=TITLE)
    window.set_default_size(420, 220)
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL)
    area = Gtk.DrawingArea()
    area.set_size_request(400, 140)
    area.add_events(1 << 8)  # BUTTON_PRESS_MASK
    area.connect("draw", draw)
    area.connect("button-press-event", clicked)
    quit_button = Gtk.Button(label="Quit")
    quit_button.connect("clicked", lambda _b: (print(json.dumps({"clicked": "Quit"}), flush=True), Gtk.main_quit()))
    box.pack_start(area, True, True, 0)
    box.pack_start(quit_button, False, False, 0)
    window.add(box)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    Gtk.main()


if __name__ == "__main__":
    main()
