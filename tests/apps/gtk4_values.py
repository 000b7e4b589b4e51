"""A GTK 4 form with one widget of every value kind; Done prints what the app holds as one JSON line.

Run with the system Python (python3-gi, gir1.2-gtk-4.0), with ``GSK_RENDERER=cairo`` on Xvfb. The values
printed are the ones the app reads from its widgets the usual way (``get_value``, ``get_selected``...), so
they are what a real dialog would return — a spin button's typed text that was never committed does not
count.
"""

from __future__ import annotations

import json
import sys

import gi

gi.require_version("Gtk", "4.0")
from gi.repository import GLib, Gtk  # noqa: E402

TITLE = "deskhand GTK4 values"
PLANS = ("Basic", "Pro", "Enterprise")


def main() -> int:
    loop = GLib.MainLoop()
    window = Gtk.Window(title=TITLE)
    window.set_default_size(460, 600)
    grid = Gtk.Grid(column_spacing=12, row_spacing=6)
    for side in ("start", "end", "top", "bottom"):
        getattr(grid, f"set_margin_{side}")(12)
    window.set_child(grid)
    widgets: dict[str, Gtk.Widget] = {}

    def row(label: str, widget: Gtk.Widget) -> None:
        text = Gtk.Label(label=label, xalign=0)
        text.set_mnemonic_widget(widget)  # GTK 4 makes it the widget's LABELLED_BY relation
        top = len(widgets)
        grid.attach(text, 0, top, 1, 1)
        grid.attach(widget, 1, top, 1, 1)
        widgets[label] = widget

    row("Name", Gtk.Entry())
    row("Secret", Gtk.PasswordEntry())
    notes = Gtk.TextView()
    notes.set_size_request(220, 60)
    row("Notes", notes)
    row("Seats", Gtk.SpinButton.new_with_range(1, 100, 1))
    volume = Gtk.Scale.new_with_range(Gtk.Orientation.HORIZONTAL, 0, 100, 1)
    volume.set_size_request(220, -1)
    row("Volume", volume)
    row("Dark mode", Gtk.Switch(halign=Gtk.Align.START))
    subscribe = Gtk.CheckButton(label="Subscribe")
    grid.attach(subscribe, 1, 20, 1, 1)
    small = Gtk.CheckButton(label="Small", active=True)
    large = Gtk.CheckButton(label="Large", group=small)
    grid.attach(small, 1, 21, 1, 1)
    grid.attach(large, 1, 22, 1, 1)

    def done(_button: Gtk.Button) -> None:
        buffer = notes.get_buffer()
        values = {
            "name": widgets["Name"].get_text(),
            "secret": widgets["Secret"].get_text(),
            "notes": buffer.get_text(buffer.get_start_iter(), buffer.get_end_iter(), False),
            "seats": widgets["Seats"].get_value_as_int(),
            "volume": volume.get_value(),
            "dark_mode": widgets["Dark mode"].get_active(),
            "subscribe": subscribe.get_active(),
            "size": "Large" if large.get_active() else "Small",
        }
        print(json.dumps(values), flush=True)
        loop.quit()

    button = Gtk.Button(label="Done")
    button.connect("clicked", done)
    grid.attach(button, 1, 23, 1, 1)
    window.connect("close-request", lambda _window: loop.quit() or False)
    window.present()
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
