"""A small Tk form with no accessibility at all (Tk exposes nothing on AT-SPI) for screen-text tests.

Run it as ``python tests/apps/tk_form.py [WIDTHxHEIGHT]``. Labelled entries (Name beside its label, City
below its label), a Total shown as text, two lists whose items move from one to the other by dragging with
the mouse, a password entry (shown masked), and Submit, which prints one JSON line with the values and the
lists' contents and shows Saved.
"""

from __future__ import annotations

import json
import sys
import tkinter as tk

TITLE = "deskhand Tk form"
FRUITS = ("Apple", "Cherry", "Mango")
BASKET = ("Lemon",)


class TkForm:
    def __init__(self, root: tk.Tk, size: str = "520x420") -> None:
        self.root = root
        root.title(TITLE)
        root.geometry(f"{size}+40+40")
        font = ("DejaVu Sans", 12)
        root.option_add("*Font", font)
        tk.Label(root, text="Name").grid(row=0, column=0, sticky="w", padx=12, pady=8)
        self.name = tk.Entry(root, width=22)
        self.name.grid(row=0, column=1, sticky="w", padx=8, pady=8)
        tk.Label(root, text="City").grid(row=1, column=0, sticky="w", padx=12, pady=(8, 0))
        self.city = tk.Entry(root, width=22)
        self.city.grid(row=2, column=0, columnspan=2, sticky="w", padx=12, pady=(2, 8))
        tk.Label(root, text="Total").grid(row=3, column=0, sticky="w", padx=12, pady=8)
        tk.Label(root, text="42.50").grid(row=3, column=1, sticky="w", padx=8, pady=8)
        tk.Label(root, text="Fruits").grid(row=4, column=0, sticky="w", padx=12)
        tk.Label(root, text="Basket").grid(row=4, column=1, sticky="w", padx=8)
        self.fruits = tk.Listbox(root, height=4, width=12, exportselection=False)
        self.basket = tk.Listbox(root, height=4, width=12, exportselection=False)
        self.fruits.grid(row=5, column=0, sticky="w", padx=12)
        self.basket.grid(row=5, column=1, sticky="w", padx=8)
        for item in FRUITS:
            self.fruits.insert("end", item)
        for item in BASKET:
            self.basket.insert("end", item)
        for box in (self.fruits, self.basket):
            box.bind("<ButtonPress-1>", self._pick)
            box.bind("<ButtonRelease-1>", self._drop)
        self._dragged: tuple[tk.Listbox, int] | None = None
        tk.Button(root, text="Submit", command=self.submit).grid(row=6, column=0, sticky="w", padx=12, pady=16)
        self.status = tk.Label(root, text="")
        self.status.grid(row=6, column=1, sticky="w", padx=8)
        # A password entry shows its mask, never its text: screenshots must hide it all the same.
        tk.Label(root, text="Password").grid(row=7, column=0, sticky="w", padx=12)
        self.password = tk.Entry(root, width=14, show="•")
        self.password.grid(row=7, column=1, sticky="w", padx=8)
        self.password.insert(0, "hunter22")

    def _pick(self, event: tk.Event) -> None:  # type: ignore[type-arg]
        box = event.widget
        index = box.nearest(event.y)
        self._dragged = (box, index) if 0 <= index < box.size() else None

    def _drop(self, event: tk.Event) -> None:  # type: ignore[type-arg]
        if self._dragged is None:
            return
        source, index = self._dragged
        self._dragged = None
        target = self.root.winfo_containing(event.x_root, event.y_root)
        if target is None or target is source or target not in (self.fruits, self.basket):
            return
        item = source.get(index)
        source.delete(index)
        target.insert("end", item)
        self.status.configure(text=f"Moved {item}")

    def submit(self) -> None:
        values = {
            "name": self.name.get(),
            "city": self.city.get(),
            "fruits": list(self.fruits.get(0, "end")),
            "basket": list(self.basket.get(0, "end")),
        }
        print(json.dumps(values), flush=True)
        self.status.configure(text="Saved")


def main() -> None:
    root = tk.Tk(className="tk_form")
    TkForm(root, *sys.argv[1:2])  # an optional size, "1280x800" for benchmarks/ocr.py
    root.mainloop()  # WM_CLASS "tk_form": what a workflow names in apps:


if __name__ == "__main__":
    main()
