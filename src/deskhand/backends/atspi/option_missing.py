"""The error when the option a step chose never appeared in its opened combo: the options seen, or that the
list names none (GTK 4.8's combo box draws its rows with cell renderers and names none over AT-SPI)."""

from __future__ import annotations

from deskhand.errors import ActionFailed
from deskhand.tree.node import Node
from deskhand.tree.roles import Role


def option_missing(option: str, combo: Node) -> ActionFailed:
    named = sorted({n.name for n in combo.walk() if n.role in (Role.OPTION, Role.LISTITEM, Role.MENUITEM) and n.name})
    unnamed = "" if named else ": its list names no options to assistive technology (GTK 4.8's combo box)"
    return ActionFailed(
        f"The option {option!r} did not appear in {combo.role} {combo.name!r}{unnamed}.",
        hint=("Options seen: " + ", ".join(named)) if named else "It cannot be chosen by its name.",
    )
