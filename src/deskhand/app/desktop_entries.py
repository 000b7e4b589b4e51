"""Apps by the names people use: the installed freedesktop desktop entries, read with pyxdg.

`Open "LibreOffice Calc"`, `Open "Spreadsheet"`, `Open thunderbird` resolve against each application
entry's Name, its desktop id (``libreoffice-calc``), its command (``thunderbird``), GenericName and
Keywords, in that order of trust; an unknown name lists the closest installed apps. pyxdg (the
freedesktop reference implementation in Python) parses the files: localised keys, escapes, the
``Hidden``/``NoDisplay``/``TryExec`` rules.
"""

from __future__ import annotations

import difflib
import os
import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xdg import BaseDirectory
from xdg.DesktopEntry import DesktopEntry
from xdg.Exceptions import ParsingError

from deskhand.errors import AppNotFound

# Exec field codes (the spec's %f %F %u %U %i %c %k, deprecated ones too): no file is passed here.
_FIELD_CODES = frozenset({"%f", "%F", "%u", "%U", "%i", "%c", "%k", "%d", "%D", "%n", "%N", "%v", "%m"})


@dataclass(frozen=True)
class AppEntry:
    desktop_id: str
    name: str
    generic_name: str
    keywords: tuple[str, ...]
    argv: tuple[str, ...]

    @property
    def command(self) -> str:
        return Path(self.argv[0]).name if self.argv else ""


def _exec_argv(exec_line: str) -> tuple[str, ...]:
    try:
        words = shlex.split(exec_line)
    except ValueError:
        return ()
    return tuple(w.replace("%%", "%") for w in words if w not in _FIELD_CODES)


def installed_apps(dirs: list[str] | None = None) -> list[AppEntry]:
    """Every launchable application entry, the first of each desktop id in XDG order (user before
    system), skipping hidden ones, NoDisplay ones and those whose TryExec is not installed."""
    seen: set[str] = set()
    apps: list[AppEntry] = []
    for base in dirs if dirs is not None else list(BaseDirectory.load_data_paths("applications")):
        folder = Path(base)
        for path in sorted(folder.rglob("*.desktop")):
            desktop_id = str(path.relative_to(folder).with_suffix("")).replace(os.sep, "-")
            if desktop_id in seen:
                continue
            seen.add(desktop_id)
            entry = _read(path)
            if entry is None or entry.getType() != "Application" or entry.getHidden() or entry.getNoDisplay():
                continue
            try_exec = entry.getTryExec()
            argv = _exec_argv(entry.getExec())
            if not argv or (try_exec and shutil.which(try_exec) is None):
                continue
            apps.append(
                AppEntry(
                    desktop_id=desktop_id,
                    name=entry.getName(),
                    generic_name=entry.getGenericName(),
                    keywords=tuple(k for k in entry.getKeywords() if k),
                    argv=argv,
                )
            )
    return apps


def _read(path: Path) -> DesktopEntry | None:
    try:
        return DesktopEntry(str(path))
    except (ParsingError, OSError, UnicodeDecodeError):
        return None


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve(name: str, apps: list[AppEntry]) -> AppEntry:
    """The entry ``name`` means, by Name, desktop id, command, GenericName, then Keywords; among several
    of one kind (two spreadsheets), the first by name, so a run is repeatable."""
    wanted = _fold(name)
    tiers: tuple[Callable[[AppEntry], bool], ...] = (
        lambda a: _fold(a.name) == wanted,
        lambda a: _fold(a.desktop_id) == wanted or _fold(a.desktop_id.rsplit(".", 1)[-1]) == wanted,
        lambda a: _fold(a.command) == wanted,
        lambda a: _fold(a.generic_name) == wanted,
        lambda a: any(_fold(k) == wanted for k in a.keywords),
    )
    for fits in tiers:
        found = sorted((a for a in apps if fits(a)), key=lambda a: (_fold(a.name), a.desktop_id))
        if found:
            return found[0]
    # A word of one app's name ("Calc" of "LibreOffice Calc"), when it names only that app.
    worded = [a for a in apps if wanted in _fold(a.name).split()]
    if len(worded) == 1:
        return worded[0]
    raise AppNotFound(
        name,
        closest(name, apps),
        hint=f'Name an installed app, e.g. `Open "{_example(name, apps)}"`.',
        installed=True,
    )


def closest(name: str, apps: list[AppEntry], k: int = 5) -> list[str]:
    """The installed apps whose names come nearest to ``name`` (by Name, GenericName and command)."""
    labels: dict[str, str] = {}
    for app in apps:
        label = f"{app.name} ({app.generic_name})" if app.generic_name else app.name
        for key in (app.name, app.generic_name, app.command):
            if key:
                labels.setdefault(_fold(key), label)
    near = difflib.get_close_matches(_fold(name), list(labels), n=k * 2, cutoff=0.4)
    out: list[str] = []
    for key in near:
        if labels[key] not in out:
            out.append(labels[key])
    return out[:k] or sorted({a.name for a in apps})[:k]


def _example(name: str, apps: list[AppEntry]) -> str:
    near = closest(name, apps, k=1)
    return near[0].split(" (")[0] if near else "Mousepad"
