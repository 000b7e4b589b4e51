"""A GTK3 list a person works with the pointer: a double click on a row opens it, a right click on a row shows
its context menu (Open, Archive); Done prints what was done, as one JSON line.

Run with the system Python (python3-gi): ``/usr/bin/python3 tests/apps/gtk3_rows.py``. The rows are a
GtkTreeView's (AT-SPI table cells), the menu a GtkMenu popped up at the pointer, as file managers and mail
clients do it.
"""

from __future__ import annotations

import json
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, Gtk  # noqa: E402

TITLE = "deskhand GTK3 rows"
ROWS = ("Apple", "Banana", "Cherry", "Damson")


def main() -> int:
    window = Gtk.Window(title=TITLE)
    window.set_default_size(360, 320)
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=6, margin=12)
    window.add(box)
    store = Gtk.ListStore(str)
    for name in ROWS:
        store.append([name])
    view = Gtk.TreeView(model=store)
    view.append_column(Gtk.TreeViewColumn("Fruit", Gtk.CellRendererText(), text=0))
    view.set_vexpand(True)
    box.pack_start(view, True, True, 0)
    done_log: dict[str, list[str]] = {"opened": [], "archived": []}

    def name_at(path: Gtk.TreePath) -> str:
        return str(store[path][0])

    view.connect("row-activated", lambda _view, path, _column: done_log["opened"].append(name_at(path)))
    menu = Gtk.Menu()
    pointed: list[str] = []
    for word, kept in (("Open", "opened"), ("Archive", "archived")):
        item = Gtk.MenuItem(label=word)
        item.connect("activate", lambda _item, kept=kept: done_log[kept].append(pointed[-1]))
        menu.append(item)
    menu.show_all()

    def pressed(_view: Gtk.TreeView, event: Gdk.EventButton) -> bool:
        if event.type != Gdk.EventType.BUTTON_PRESS or event.button != 3:
            return False
        hit = view.get_path_at_pos(int(event.x), int(event.y))
        if hit is None:
            return False
        view.get_selection().select_path(hit[0])
        pointed.append(name_at(hit[0]))
        menu.popup_at_pointer(event)
        return True

    view.connect("button-press-event", pressed)

    def done(_button: Gtk.Button) -> None:
        print(json.dumps(done_log), flush=True)
        Gtk.main_quit()

    finish = Gtk.Button(label="Done")
    finish.connect("clicked", done)
    box.pack_start(finish, False, False, 0)
    window.connect("destroy", Gtk.main_quit)
    window.show_all()
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
