"""A keyring backend that keeps entries in a JSON file named by $DESKHAND_TEST_KEYRING_FILE.

Tests select it the way keyring documents: ``PYTHON_KEYRING_BACKEND=tests.unit.policy.file_keyring.FileKeyring``.
It is a real backend (keyring calls it through its normal API), so nothing of keyring itself is replaced.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

BACKEND = "tests.unit.policy.file_keyring.FileKeyring"


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (a class property)
        # keyring offers every backend class it knows; this one only where a test asked for it.
        if "DESKHAND_TEST_KEYRING_FILE" not in os.environ:
            raise RuntimeError("DESKHAND_TEST_KEYRING_FILE is not set")
        return 0.1

    @property
    def path(self) -> Path:
        return Path(os.environ["DESKHAND_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def _save(self, entries: dict[str, str]) -> None:
        self.path.write_text(json.dumps(entries), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._load()
        entries[f"{service}/{username}"] = password
        self._save(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self._load()
        if entries.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(f"no {username!r} in {service!r}")
        self._save(entries)
