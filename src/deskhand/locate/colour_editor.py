"""GTK's colour editor (the custom-colour page of its colour chooser): a typed colour counts once committed.

Its entry ("Color Name") takes what is typed only on Enter or when it loses the focus (gtkcoloreditor.c,
``entry_apply``); until then the chooser keeps its old colour while the entry shows the new text — a read-back
of the text would pass while the app holds another colour. On commit the editor shows the colour it took as
``#RRGGBB`` (``entry_set_rgba``); text it cannot parse stays as typed, with the old colour kept. So a step
commits it as a person does (Enter, with the entry holding the focus: the entry does not activate a dialog's
default button, gtkcoloreditor.ui) and reads back that rendering. Measured on GTK 3.24: '#ff0000' typed shows
'#ff0000' until Enter, '#FF0000' after it. The editor is known by the names GTK gives its parts, in English and
in the desktop's language (GTK's own translations, read through gettext as GTK reads them: German 'Farbwähler'
and 'Farbton').
"""

from __future__ import annotations

import gettext
import re
from functools import cache

from deskhand.tree.node import Node
from deskhand.tree.roles import Role

# The editor's parts beside its entry, by the accessible names GTK gives them (gtkcoloreditor.ui).
_EDITOR_PARTS = ("Color Plane", "Hue")
# GTK 3's and GTK 4's message catalogues (Debian: libgtk-3-common, libgtk-4-common), where the toolkit itself
# looks (its compile-time locale directory, not Python's).
_GTK_DOMAINS = ("gtk30", "gtk40")
_LOCALE_DIRS = ("/usr/share/locale", "/usr/local/share/locale")
_HEX = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{12})$")


def is_colour_entry(entry: Node, parent: Node | None) -> bool:
    """``entry`` is the colour editor's entry (``parent``: the node holding it)."""
    if entry.role != Role.TEXTBOX or parent is None:
        return False
    names = {child.name for child in parent.children}
    return any(names >= parts for parts in editor_part_names())


@cache
def editor_part_names() -> tuple[frozenset[str], ...]:
    """The editor's part names in English and in each GTK's translation for the desktop's language (the
    LANGUAGE / LC_ALL / LC_MESSAGES / LANG deskhand and the apps it starts share), as GTK looks them up."""
    found = [frozenset(_EDITOR_PARTS)]
    for domain in _GTK_DOMAINS:
        for where in _LOCALE_DIRS:
            catalogue = gettext.translation(domain, localedir=where, fallback=True)
            translated = frozenset(catalogue.gettext(name) for name in _EDITOR_PARTS)
            if translated not in found:
                found.append(translated)
    return tuple(found)


def shown_when_taken(typed: str) -> str | None:
    """How the editor shows the colour ``typed`` once it took it (``#RRGGBB``); None for a text that is no
    hexadecimal colour (a colour name, rgb()): what it becomes is the editor's to say, and the step fails
    naming it rather than guess."""
    found = _HEX.match(typed.strip())
    if found is None:
        return None
    digits = found.group(1)
    if len(digits) == 3:
        return "#" + "".join(d * 2 for d in digits).upper()
    if len(digits) == 12:  # 16 bits a channel: GTK rounds each to 8
        channels = [int(digits[i : i + 4], 16) for i in (0, 4, 8)]
        return "#" + "".join(f"{round(v / 65535 * 255):02X}" for v in channels)
    return "#" + digits.upper()
