"""A Qt gallery for the widget coverage matrix: one widget of every kind, each with a name a person would use.

Run it as ``python tests/apps/qt_gallery.py``. Every change the app itself sees (its signals, read from the
widget as the app would use it) is printed as one JSON line ``{"widget": ..., "value": ...}``, so a test
reads the app's own view, not what was typed.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

TITLE = "deskhand Qt gallery"


def report(widget: str, value: Any) -> None:
    print(json.dumps({"widget": widget, "value": value}), flush=True)


def labelled(form: QFormLayout, text: str, field: QWidget) -> None:
    label = QLabel(f"&{text}")
    label.setBuddy(field)  # what AT-SPI reports as the field's label
    field.setAccessibleName(text)
    form.addRow(label, field)


class Gallery(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(TITLE)
        tools = self.menuBar().addMenu("&Tools")
        tools.addAction("Say goodbye", lambda: report("menu", "Say goodbye"))
        body = QWidget()
        columns = QHBoxLayout(body)
        self.setCentralWidget(body)
        left, middle, right = QFormLayout(), QFormLayout(), QFormLayout()
        for form in (left, middle, right):
            holder = QWidget()
            holder.setLayout(form)
            columns.addWidget(holder)
        self._buttons(left)
        self._text(left)
        self._choices(middle)
        self._views(middle)
        self._dialogs(right)

    def _buttons(self, form: QFormLayout) -> None:
        hello = QPushButton("Say hello")
        hello.clicked.connect(lambda: report("button", "clicked"))
        bold = QPushButton("Bold")
        bold.setCheckable(True)
        bold.toggled.connect(lambda on: report("toggle", on))
        subscribe = QCheckBox("Subscribe")
        subscribe.toggled.connect(lambda on: report("check", on))
        small, large = QRadioButton("Small"), QRadioButton("Large")
        small.setChecked(True)
        large.toggled.connect(lambda on: report("radio", "Large" if on else "Small"))
        for widget in (hello, bold, subscribe, small, large):
            form.addRow(widget)

    def _text(self, form: QFormLayout) -> None:
        name, password, notes = QLineEdit(), QLineEdit(), QPlainTextEdit()
        password.setEchoMode(QLineEdit.EchoMode.Password)
        name.textChanged.connect(lambda text: report("entry", text))
        password.textChanged.connect(lambda text: report("password", text))
        notes.textChanged.connect(lambda: report("multi-line", notes.toPlainText()))
        notes.setFixedHeight(60)
        seats, volume = QSpinBox(), QSlider(Qt.Orientation.Horizontal)
        seats.setRange(1, 100)
        seats.valueChanged.connect(lambda value: report("spin", value))
        volume.setRange(0, 100)
        volume.setValue(20)
        volume.valueChanged.connect(lambda value: report("slider", value))
        start = QDateEdit(QDate(2024, 1, 15))
        start.setDisplayFormat("yyyy-MM-dd")
        start.dateChanged.connect(lambda date: report("date", date.toString("yyyy-MM-dd")))
        for text, field in (
            ("Name", name),
            ("Password", password),
            ("Notes", notes),
            ("Seats", seats),
            ("Volume", volume),
            ("Start date", start),
        ):
            labelled(form, text, field)

    def _choices(self, form: QFormLayout) -> None:
        plan, city = QComboBox(), QComboBox()
        plan.addItems(["Basic", "Pro", "Enterprise"])
        plan.currentTextChanged.connect(lambda text: report("combo", text))
        city.setEditable(True)
        city.addItems(["Berlin", "Paris", "Rome"])
        city.currentTextChanged.connect(lambda text: report("combo-entry", text))
        fruits = QListWidget()
        fruits.addItems(["Apple", "Banana", "Cherry"])
        fruits.setFixedHeight(70)
        fruits.currentTextChanged.connect(lambda text: report("list", text))
        labelled(form, "Plan", plan)
        labelled(form, "City", city)
        labelled(form, "Fruits", fruits)

    def _views(self, form: QFormLayout) -> None:
        folders = QTreeWidget()
        folders.setHeaderLabels(["Folder"])
        documents = QTreeWidgetItem(folders, ["Documents"])
        QTreeWidgetItem(documents, ["Letters"])
        QTreeWidgetItem(folders, ["Pictures"])
        folders.expandAll()
        folders.setFixedHeight(90)
        folders.currentItemChanged.connect(lambda item, _: report("tree", item.text(0) if item else None))
        scores = QTableWidget(2, 2)
        scores.setHorizontalHeaderLabels(["Player", "Score"])
        for row, (player, score) in enumerate((("Ada", "3"), ("Bob", "5"))):
            scores.setItem(row, 0, QTableWidgetItem(player))
            scores.setItem(row, 1, QTableWidgetItem(score))
        scores.setFixedHeight(90)
        scores.itemChanged.connect(lambda item: report("table", [item.row(), item.column(), item.text()]))
        scores.currentCellChanged.connect(lambda r, c, *_: report("table-current", [r, c]))
        sections = QTabWidget()
        sections.addTab(QLabel("General settings"), "General")
        sections.addTab(QLabel("Advanced settings"), "Advanced")
        sections.setFixedHeight(70)
        sections.currentChanged.connect(lambda index: report("tab", sections.tabText(index)))
        labelled(form, "Folders", folders)
        labelled(form, "Scores", scores)
        labelled(form, "Sections", sections)

    def _dialogs(self, form: QFormLayout) -> None:
        target = QLabel("Right-click me")
        target.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        target.customContextMenuRequested.connect(lambda point: self._context_menu(target, point))
        link = QLabel('<a href="https://example.org/docs">Read the docs</a>')
        link.linkActivated.connect(lambda href: report("link", href))
        choose_file = QPushButton("Choose file…")
        choose_file.clicked.connect(self._choose_file)
        pick_colour = QPushButton("Pick colour…")
        pick_colour.clicked.connect(self._pick_colour)
        delete = QPushButton("Delete…")
        delete.clicked.connect(self._confirm_delete)
        for widget in (target, link, choose_file, pick_colour, delete):
            form.addRow(widget)
        items = QWidget()
        column = QVBoxLayout(items)
        for n in range(1, 41):
            button = QPushButton(f"Item {n}")
            button.clicked.connect(lambda _=False, n=n: report("scrolled", f"Item {n}"))
            column.addWidget(button)
        area = QScrollArea()
        area.setWidget(items)
        area.setFixedHeight(150)
        labelled(form, "Long list", area)

    def _context_menu(self, target: QLabel, point: Any) -> None:
        menu = QMenu(target)
        menu.addAction("Copy name", lambda: report("context-menu", "Copy name"))
        menu.exec(target.mapToGlobal(point))

    def _choose_file(self) -> None:
        dialog = QFileDialog(self, "Choose a file")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if dialog.exec():
            report("file", dialog.selectedFiles()[0])

    def _pick_colour(self) -> None:
        colour = QColorDialog.getColor(parent=self, options=QColorDialog.ColorDialogOption.DontUseNativeDialog)
        if colour.isValid():
            report("colour", colour.name())

    def _confirm_delete(self) -> None:
        answer = QMessageBox.question(self, "Delete", "Really delete?")
        report("dialog", "Yes" if answer == QMessageBox.StandardButton.Yes else "No")


def main() -> None:
    app = QApplication(sys.argv)
    window = Gallery()
    window.resize(1200, 700)
    window.show()
    sys.exit(app.exec())


if __name__ == "__main__":
    main()
