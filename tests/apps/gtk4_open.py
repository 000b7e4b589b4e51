"""A GTK 4 window whose "Open…" button opens GTK's file chooser; the file it accepts is printed on stdout.

Run with the system Python (python3-gi, gir1.2-gtk-4.0), with ``GSK_RENDERER=cairo`` on Xvfb. The printed path
is the chooser's own answer (``get_file``), the outside evidence of what a person chose.
"""

from __future__ import annotations

import sys

import gi

gi.require_version("Gtk", "4.0")
from gi.repository import GLib, Gtk  # noqa: E402

TITLE = "deskhand GTK4 open"


def main() -> int:
    loop = GLib.MainLoop()
    window = Gtk.Window(title=TITLE)
    window.set_default_size(300, 120)
    button = Gtk.Button(label="Open…")
    window.set_child(button)

    def answered(dialog: Gtk.FileChooserDialog, response: int) -> None:
        if response == Gtk.ResponseType.ACCEPT:
            print(dialog.get_file().get_path(), flush=True)
        else:
            print("cancelled", flush=True)
        dialog.destroy()

    def open_chooser(_button: Gtk.Button) -> None:
        dialog = Gtk.FileChooserDialog(title="Open File", transient_for=window, action=Gtk.FileChooserAction.OPEN)
        dialog.add_button("_Cancel", Gtk.ResponseType.CANCEL)
        dialog.add_button("_Open", Gtk.ResponseType.ACCEPT)
        dialog.connect("response", answered)
        dialog.show()

    button.connect("clicked", open_chooser)
    window.connect("close-request", lambda _w: loop.quit() or False)
    window.present()
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
