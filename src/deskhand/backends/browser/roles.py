"""Blink's computed roles (ARIA names, plus a few internal ones) onto deskhand's vocabulary."""

from __future__ import annotations

from deskhand.tree.roles import Role

_KNOWN = frozenset(role.value for role in Role)

_ALIASES: dict[str, str] = {
    "image": Role.IMAGE,
    "graphics-document": Role.IMAGE,
    "RootWebArea": Role.DOCUMENT,
    "StaticText": Role.TEXT,
    "LabelText": Role.LABEL,
    "Legend": Role.LABEL,
    "Date": Role.TEXTBOX,
    "DateTime": Role.TEXTBOX,
    "InputTime": Role.TEXTBOX,
    "ColorWell": Role.BUTTON,
    "MenuListPopup": Role.LISTBOX,
    "MenuListOption": Role.OPTION,
    "meter": Role.PROGRESSBAR,
    "grid": Role.TABLE,
    "treegrid": Role.TABLE,
    "gridcell": Role.CELL,
    "searchbox": Role.SEARCHBOX,
    "alertdialog": Role.ALERT,
    "log": Role.STATUS,
    "timer": Role.STATUS,
    "marquee": Role.STATUS,
    "note": Role.GROUP,
    "region": Role.GROUP,
    "article": Role.GROUP,
    "section": Role.GROUP,
    "main": Role.GROUP,
    "navigation": Role.GROUP,
    "banner": Role.GROUP,
    "contentinfo": Role.GROUP,
    "complementary": Role.GROUP,
    "search": Role.GROUP,
    "figure": Role.GROUP,
    "radiogroup": Role.GROUP,
    "menubar": Role.MENUBAR,
    "term": Role.TEXT,
    "definition": Role.TEXT,
    "blockquote": Role.PARAGRAPH,
    "caption": Role.LABEL,
    "code": Role.TEXT,
    "emphasis": Role.TEXT,
    "strong": Role.TEXT,
    "time": Role.TEXT,
    "mark": Role.TEXT,
}


def map_role(computed: str) -> str:
    """deskhand's role for a Blink computed role; unknown ones are ``generic``."""
    if computed in _KNOWN:
        return computed
    return _ALIASES.get(computed, Role.GENERIC)
