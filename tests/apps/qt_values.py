"""A Qt form with one widget of every value kind; Done prints what the app holds as one JSON line.

Run it as ``python tests/apps/qt_values.py``. The values are read the way an app reads them (``value()``,
``currentText()``, ``date()``...), so they are what a real dialog would return.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

TITLE = "deskhand Qt values"


class QtValues(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(TITLE)
        layout = QFormLayout(self)
        self.name = QLineEdit()
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.seats = QSpinBox()
        self.seats.setRange(1, 100)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.plan = QComboBox()
        self.plan.addItems(["Basic", "Pro", "Enterprise"])
        self.recipient = QComboBox()
        self.recipient.setEditable(True)
        self.recipient.addItems(["ada@example.org", "alan@example.org"])
        self.start = QDateEdit(QDate(2024, 1, 15))
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.time = QTimeEdit(QTime(9, 30))
        self.time.setDisplayFormat("HH:mm")
        for text, field in (
            ("Name", self.name),
            ("Secret", self.secret),
            ("Notes", self.notes),
            ("Seats", self.seats),
            ("Volume", self.volume),
            ("Plan", self.plan),
            ("To", self.recipient),
            ("Start date", self.start),
            ("Start time", self.time),
        ):
            label = QLabel(f"&{text}")
            label.setBuddy(field)  # the buddy is what AT-SPI reports as the field's label
            layout.addRow(label, field)
        self.subscribe = QCheckBox("Subscribe")
        self.small = QRadioButton("Small")
        self.small.setChecked(True)
        self.large = QRadioButton("Large")
        for widget in (self.subscribe, self.small, self.large):
            layout.addRow(widget)
        done = QPushButton("Done")
        done.clicked.connect(self.done)
        layout.addRow(done)
        self._menus(layout)

    def _menus(self, layout: QFormLayout) -> None:
        """Menus whose items change the form, so the printed values show which item ran."""
        bar = QMenuBar()
        edit = bar.addMenu("&Edit")
        edit.addAction("Fill sample name", lambda: self.name.setText("Sample"))
        edit.addAction("Reset", lambda: self.name.setText("reset by Edit"))
        tools = bar.addMenu("&Tools")
        presets = tools.addMenu("Presets")
        presets.addAction("Ten seats", lambda: self.seats.setValue(10))
        tools.addAction("Reset", lambda: self.name.setText("reset by Tools"))
        layout.setMenuBar(bar)

    def done(self) -> None:
        values = {
            "name": self.name.text(),
            "secret": self.secret.text(),
            "notes": self.notes.toPlainText(),
            "seats": self.seats.value(),
            "volume": self.volume.value(),
            "plan": self.plan.currentText(),
            "to": self.recipient.currentText(),
            "start_date": self.start.date().toString("yyyy-MM-dd"),
            "start_time": self.time.time().toString("HH:mm"),
            "subscribe": self.subscribe.isChecked(),
            "size": "Large" if self.large.isChecked() else "Small",
        }
        print(json.dumps(values), flush=True)
        QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv)
    form = QtValues()
    form.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
