"""A small Qt form for integration tests: labelled fields, a combo, a check box, a spin box, Submit.

Run it as ``python tests/apps/qt_form.py``. Submit prints one JSON line with every value, then quits.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

TITLE = "deskhand Qt form"
PLANS = ("Basic", "Pro", "Enterprise")


class QtForm(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(TITLE)
        layout = QFormLayout(self)
        self.name = QLineEdit()
        self.email = QLineEdit()
        self.plan = QComboBox()
        self.plan.addItems(PLANS)
        self.seats = QSpinBox()
        self.seats.setRange(1, 100)
        self.subscribe = QCheckBox("Subscribe to newsletter")
        submit = QPushButton("Submit")
        submit.clicked.connect(self.submit)
        for text, field in (("Name", self.name), ("Email", self.email), ("Plan", self.plan), ("Seats", self.seats)):
            label = QLabel(f"&{text}")
            label.setBuddy(field)  # the buddy is what AT-SPI reports as the field's label
            field.setAccessibleName(text)
            layout.addRow(label, field)
        layout.addRow(self.subscribe)
        layout.addRow(submit)

    def submit(self) -> None:
        values = {
            "name": self.name.text(),
            "email": self.email.text(),
            "plan": self.plan.currentText(),
            "subscribe": self.subscribe.isChecked(),
            "seats": self.seats.value(),
        }
        print(json.dumps(values), flush=True)
        QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv)
    form = QtForm()
    form.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
