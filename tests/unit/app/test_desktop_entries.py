"""Apps by their names: desktop entries parsed by pyxdg, matched by Name, id, command, GenericName,
Keywords; hidden and uninstalled entries skipped; an unknown name lists the closest apps."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskhand.app.desktop_entries import AppEntry, installed_apps, resolve
from deskhand.errors import AppNotFound

ENTRIES = {
    "libreoffice-calc.desktop": "Name=LibreOffice Calc\nGenericName=Spreadsheet\nExec=libreoffice --calc %U\n"
    "Keywords=Accounting;xlsx;\n",
    "gnumeric.desktop": "Name=Gnumeric\nGenericName=Spreadsheet\nExec=gnumeric %U\n",
    "thunderbird.desktop": "Name=Thunderbird\nGenericName=Mail Client\nExec=/usr/bin/thunderbird %u\n",
    "org.gnome.Calculator.desktop": "Name=Calculator\nExec=gnome-calculator\n",
    "hidden.desktop": "Name=Hidden Tool\nExec=hidden-tool\nNoDisplay=true\n",
    "missing.desktop": "Name=Missing Tool\nExec=missing-tool\nTryExec=surely-not-installed-anywhere\n",
}


@pytest.fixture
def apps(tmp_path: Path) -> list[AppEntry]:
    for name, body in ENTRIES.items():
        (tmp_path / name).write_text(f"[Desktop Entry]\nType=Application\n{body}", encoding="utf-8")
    return installed_apps([str(tmp_path)])


@pytest.mark.parametrize(
    ("said", "argv"),
    [
        ("LibreOffice Calc", ("libreoffice", "--calc")),  # Name
        ("libreoffice-calc", ("libreoffice", "--calc")),  # desktop id
        ("Calculator", ("gnome-calculator",)),
        ("calculator", ("gnome-calculator",)),  # the id's last part too
        ("thunderbird", ("/usr/bin/thunderbird",)),  # Name, and the command
        ("Mail Client", ("/usr/bin/thunderbird",)),  # GenericName
        ("xlsx", ("libreoffice", "--calc")),  # Keywords
        ("Calc", ("libreoffice", "--calc")),  # a word of one app's name
        ("Spreadsheet", ("gnumeric",)),  # two of a kind: the first by name, every time
    ],
)
def test_names_people_use(apps: list[AppEntry], said: str, argv: tuple[str, ...]) -> None:
    assert resolve(said, apps).argv == argv


def test_hidden_and_uninstalled_entries_are_not_apps(apps: list[AppEntry]) -> None:
    names = {a.name for a in apps}
    assert "Hidden Tool" not in names and "Missing Tool" not in names


def test_an_unknown_name_lists_the_closest_installed_apps(apps: list[AppEntry]) -> None:
    with pytest.raises(AppNotFound) as failure:
        resolve("Thunderbrid", apps)
    assert failure.value.available[0] == "Thunderbird (Mail Client)"
    assert "installed" in failure.value.message and 'Open "Thunderbird"' in failure.value.hint


def test_the_machines_own_entries() -> None:
    """The entries Debian installed here (scripts/install.sh --dev puts these apps on the machine)."""
    apps = installed_apps()
    assert resolve("LibreOffice Calc", apps).argv == ("libreoffice", "--calc")
    assert resolve("thunderbird", apps).argv[0].endswith("thunderbird")
    assert resolve("Spreadsheet", apps).generic_name == "Spreadsheet"
    assert resolve("Text Editor", apps).argv[0] in ("mousepad", "gedit")
