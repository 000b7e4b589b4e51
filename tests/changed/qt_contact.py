"""A Qt "Add contact" window in several versions, for the changed-app suite (a real desktop dialog).

``python qt_contact.py VERSION OUT``: version 1 has Name, Email and Save; 2 rewords the labels (the widgets
keep their objectName, which Qt exposes as the AT-SPI AccessibleId); 3 renames Save to "Store contact";
4 asks "Save this contact?" in a message box before saving. Saving appends one JSON line to OUT (the
outside evidence) and shows "Saved NAME" in the window.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

TITLE = "Add contact"


class ContactForm(QWidget):
    def __init__(self, version: int, out: Path) -> None:
        super().__init__()
        self.version, self.out = version, out
        self.setObjectName("contactForm")
        self.setWindowTitle(TITLE)
        layout = QFormLayout(self)
        reworded = version == 2
        self.name = QLineEdit(objectName="nameEdit")
        self.email = QLineEdit(objectName="emailEdit")
        layout.addRow("Full name" if reworded else "Name", self.name)
        layout.addRow("E-mail address" if reworded else "Email", self.email)
        save = QPushButton("Store contact" if version == 3 else "Save", objectName="saveButton")
        save.clicked.connect(self.save)
        layout.addRow(save)
        self.status = QLabel("", objectName="status")
        layout.addRow(self.status)

    def save(self) -> None:
        if self.version == 4:
            asked = QMessageBox.question(self, "Confirm", "Save this contact?")
            if asked != QMessageBox.StandardButton.Yes:
                return
        with self.out.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps({"name": self.name.text(), "email": self.email.text()}) + "\n")
        self.status.setText(f"Saved {self.name.text()}")


def main() -> None:
    app = QApplication(sys.argv[:1])
    form = ContactForm(int(sys.argv[1]), Path(sys.argv[2]))
    form.resize(420, 180)
    form.show()
    sys.exit(app.exec())


if __name__ == "__main__":
    main()
