"""A GTK3 form with one widget of every value kind; Done prints what the app holds as one JSON line.

Run with the system Python (python3-gi): ``/usr/bin/python3 tests/apps/gtk3_values.py``. The values printed
are the ones the app reads from its widgets the usual way (``get_value``, ``get_active_text``...), so they
are what a real dialog would return — a spin button's typed text that was never committed does not count.
"""

from __future__ import annotations

import json
import sys

import gi

gi.require_version("Gtk", "3.0")
from gi.repository import Gtk  # noqa: E402

TITLE = "deskhand GTK3 values"


def main() -> int:
    window = Gtk.Window(title=TITLE)
    window.set_default_size(460, 560)
    grid = Gtk.Grid(column_spacing=12, row_spacing=6, margin=12)
    window.add(grid)
    widgets: dict[str, Gtk.Widget] = {}

    def row(label: str, widget: Gtk.Widget) -> None:
        text = Gtk.Label(label=label, xalign=0)
        text.set_mnemonic_widget(widget)  # the LABELLED_BY relation a person's screen reader uses
        top = len(widgets)
        grid.attach(text, 0, top, 1, 1)
        grid.attach(widget, 1, top, 1, 1)
        widgets[label] = widget

    row("Name", Gtk.Entry())
    secret = Gtk.Entry(visibility=False)
    row("Secret", secret)
    notes = Gtk.TextView()
    notes.set_size_request(220, 60)
    row("Notes", notes)
    row("Seats", Gtk.SpinButton.new_with_range(1, 100, 1))
    volume = Gtk.Scale.new_with_range(Gtk.Orientation.HORIZONTAL, 0, 100, 1)
    volume.set_size_request(220, -1)
    row("Volume", volume)
    plan = Gtk.ComboBoxText()
    for name in ("Basic", "Pro", "Enterprise"):
        plan.append_text(name)
    plan.set_active(0)
    row("Plan", plan)
    recipient = Gtk.ComboBoxText.new_with_entry()
    for address in ("ada@example.org", "alan@example.org"):
        recipient.append_text(address)
    row("To", recipient)
    row("Dark mode", Gtk.Switch(halign=Gtk.Align.START))
    subscribe = Gtk.CheckButton(label="Subscribe")
    grid.attach(subscribe, 1, 20, 1, 1)
    small = Gtk.RadioButton.new_with_label(None, "Small")
    large = Gtk.RadioButton.new_with_label_from_widget(small, "Large")
    grid.attach(small, 1, 21, 1, 1)
    grid.attach(large, 1, 22, 1, 1)

    # Read-only values beside their labels: "Total" is the label of its value (LABEL_FOR), "Status" only
    # sits to the left of its value.
    total = Gtk.Label(label="12", xalign=0)
    total_label = Gtk.Label(label="Total", xalign=0)
    total_label.set_mnemonic_widget(total)
    grid.attach(total_label, 0, 24, 1, 1)
    grid.attach(total, 1, 24, 1, 1)
    widgets["Seats"].connect("value-changed", lambda spin: total.set_text(str(spin.get_value_as_int() * 12)))
    grid.attach(Gtk.Label(label="Status", xalign=0), 0, 25, 1, 1)
    grid.attach(Gtk.Label(label="Ready", xalign=0), 1, 25, 1, 1)

    def done(_button: Gtk.Button) -> None:
        buffer = notes.get_buffer()
        values = {
            "name": widgets["Name"].get_text(),
            "secret": secret.get_text(),
            "notes": buffer.get_text(buffer.get_start_iter(), buffer.get_end_iter(), False),
            "seats": widgets["Seats"].get_value_as_int(),
            "volume": volume.get_value(),
            "plan": plan.get_active_text(),
            "to": recipient.get_active_text(),
            "dark_mode": widgets["Dark mode"].get_active(),
            "subscribe": subscribe.get_active(),
            "size": "Large" if large.get_active() else "Small",
            "total": total.get_text(),
        }
        print(json.dumps(values), flush=True)
        Gtk.main_quit()

    button = Gtk.Button(label="Done")
    button.connect("clicked", done)
    grid.attach(button, 1, 23, 1, 1)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
