"""Where a locator looks: the apps it names (or all), each read, cut down to the window, dialog sheet or
named group a person scopes by (``in "Appearance"``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from deskhand.backends.base import AppInfo, AppsInScope, offers
from deskhand.errors import NodeGone, NoMatch
from deskhand.locate.view import DesktopView
from deskhand.locate.visibility import is_visible
from deskhand.tree.node import Node
from deskhand.tree.roles import Role

_SHEET_ROLES = frozenset({Role.DIALOG, Role.ALERT})
# Containers a person names to say where something is ("the OK in Options").
_GROUP_ROLES = frozenset(
    {Role.GROUP, Role.FORM, Role.TABPANEL, Role.TOOLBAR, Role.LIST, Role.LISTBOX, Role.TABLE, Role.TREE, Role.GENERIC}
)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def app_phrase(app_name: str | None) -> str:
    return f"in {app_name!r}" if app_name else "on the desktop"


def find_scopes(
    desktop: DesktopView, app_name: str | None, window_title: str | None, read: Callable[[str], Node]
) -> list[tuple[AppInfo, Node]]:
    """(app, root) to search in: each app's tree as ``read(app_ref)`` gives it, or the parts of it called
    ``window_title``: a window, else a dialog shown inside one, else a named group of one."""
    if app_name is not None:
        app = desktop.find_app(app_name)
        if app is None:
            raise NoMatch(f"No application {app_name!r} is running.", candidates=[a.name for a in desktop.apps()])
        apps = [app]
    else:
        apps = apps_by_scope(desktop)[0]
    scopes: list[tuple[AppInfo, Node]] = []
    for app in apps:
        try:
            root = read(app.ref)
        except NodeGone:
            continue
        if window_title is None:
            scopes.append((app, root))
            continue
        wanted = _norm(window_title)
        windows = _named(root.children, wanted)
        if not windows:
            # A dialog shown inside its window (Chromium's alert() sheet) is a window to a person.
            windows = _named([n for n in root.walk() if n.role in _SHEET_ROLES and is_visible(n)], wanted)
        if not windows:
            # `in "Appearance"` may name a group, frame, panel or list of a window: a person scopes by it.
            groups = [n for n in root.walk() if n.role in _GROUP_ROLES and n.children and is_visible(n)]
            windows = _named(groups, wanted)
        scopes.extend((app, w) for w in windows)
    if not scopes and window_title is not None:
        titles = [w.title for a in apps for w in a.windows]
        raise NoMatch(f"No window or group called {window_title!r} {app_phrase(app_name)}.", candidates=titles)
    return scopes


def apps_by_scope(desktop: DesktopView) -> tuple[list[AppInfo], list[AppInfo]]:
    """The apps a locator that names none looks in, and the running apps it leaves out (kept out of scope by
    a backend that offers AppsInScope; otherwise none)."""
    apps = desktop.apps()
    backend = desktop.backend
    if not offers(backend, AppsInScope):
        return apps, []
    in_scope = cast(AppsInScope, backend).in_scope
    kept = [in_scope(app) for app in apps]
    return [a for a, k in zip(apps, kept, strict=True) if k], [a for a, k in zip(apps, kept, strict=True) if not k]


def _named(nodes: list[Node] | tuple[Node, ...], wanted: str) -> list[Node]:
    """The nodes called exactly ``wanted``, else those whose name holds it."""
    return [n for n in nodes if _norm(n.name) == wanted] or [n for n in nodes if wanted in _norm(n.name)]
