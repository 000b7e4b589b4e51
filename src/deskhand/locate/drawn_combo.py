"""A combo box the toolkit keeps hidden while a face of its own is shown: where a person types into it.

LibreOffice's GTK3 plugin (VCL) draws its combo boxes itself — an entry and a toggle button in a box — and
keeps a GtkComboBox hidden beside them as their model (measured on 7.4: the hidden combo has no place, no
SHOWING, and an empty menu; the box and its entry and button are shown). A label names the hidden combo
(LABELLED_BY), so "Size:" resolves to an element no person can see; its shown entry is where they type,
and without an entry its shown toggle button, which opens the list they choose from, is what they click.
"""

from __future__ import annotations

from deskhand.errors import ActionFailed, NoMatch
from deskhand.locate.view import DesktopView
from deskhand.locate.visibility import is_visible
from deskhand.locate.waiting import retry_until
from deskhand.tree.node import Node
from deskhand.tree.roles import Role, State


def drawn_entry(combo: Node, parent: Node | None) -> Node | None:
    """The shown entry standing for the hidden combo box ``combo`` in its shown box ``parent``; None when
    ``combo`` is no such combo (shown itself, or without exactly one shown editable entry beside it)."""
    if combo.role != Role.COMBOBOX or is_visible(combo) or parent is None or not is_visible(parent):
        return None
    entries = [
        child
        for child in parent.children
        if child is not combo and child.role == Role.TEXTBOX and State.EDITABLE in child.states and is_visible(child)
    ]
    return entries[0] if len(entries) == 1 else None


def drawn_button(combo: Node, parent: Node | None) -> Node | None:
    """The shown toggle button standing for the hidden combo box ``combo`` without an entry (its list opens
    from it); None when ``combo`` is no such combo."""
    if combo.role != Role.COMBOBOX or is_visible(combo) or parent is None or not is_visible(parent):
        return None
    if drawn_entry(combo, parent) is not None:
        return None
    buttons = [child for child in parent.children if child.role == Role.BUTTON and is_visible(child)]
    return buttons[0] if len(buttons) == 1 else None


def drawn_combo_of(button: Node, parent: Node | None) -> Node | None:
    """The hidden combo box the shown ``button`` stands for (see :func:`drawn_button`), or None."""
    if button.role != Role.BUTTON or parent is None:
        return None
    combos = [c for c in parent.children if c.role == Role.COMBOBOX and drawn_button(c, parent) is button]
    return combos[0] if len(combos) == 1 else None


def choose(desktop: DesktopView, app_ref: str, window: Node | None, button: Node, option: str, timeout: float) -> None:
    """Choose ``option`` as a person does: the drawn button opens the combo's list in a popup of its own, the
    option's row is clicked; read back as the row the list then holds selected (its own SELECTED state,
    which the list keeps when the popup closes)."""
    backend = desktop.backend
    backend.click(button.ref)
    wanted = _norm(option)
    seen: list[str] = []

    def shown_row() -> Node:
        root = backend.snapshot(app_ref)
        popups = [w for w in root.children if window is None or w.ref != window.ref]
        rows = [n for w in popups for n in w.walk() if State.SELECTABLE in n.states and is_visible(n)]
        seen[:] = [n.name for n in rows]
        found = [n for n in rows if _norm(n.name) == wanted]
        if len(found) != 1:
            raise NoMatch(f"The combo's list shows no option {option!r}.", candidates=[f'"{s}"' for s in seen[:8]])
        return found[0]

    row = retry_until(backend, shown_row, timeout=timeout, on_timeout=lambda last: last or NoMatch(option))
    backend.click(row.ref)

    def taken() -> None:
        now = backend.refresh(row.ref)
        if State.SELECTED not in now.states or is_visible(now):
            raise NoMatch(f"The combo's list does not hold {option!r} selected yet.")

    retry_until(
        backend,
        taken,
        timeout=timeout,
        on_timeout=lambda last: ActionFailed(
            f"Chose {option!r} in the combo's list, but the list does not hold it selected.",
            hint="The app did not take the option.",
        ),
    )


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()
