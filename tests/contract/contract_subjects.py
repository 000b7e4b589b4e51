"""What the contract suite's fixtures hand to tests: a backend and the app it serves."""

from __future__ import annotations

from dataclasses import dataclass

from deskhand.backends.base import Backend

APP_NAME = "qt_form.py"
WINDOW_TITLE = "deskhand Qt form"


@dataclass(frozen=True)
class Subject:
    """A backend under test and the app it serves."""

    backend: Backend
    app_name: str
