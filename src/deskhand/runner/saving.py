"""After a Save As dialog closes: answer the format question the save itself caused, and judge the save by
its effect — the file on disk — not by the dialog going away.

Office apps ask, when a file is saved in a format other than their own, which format to keep (LibreOffice
7.4: "Use Excel 2007–365 Format" / "Use ODF Format"; older: "Use … Format!" / "Keep current format"). The
step named the file, so it knows the answer: keep the format of the name it typed. Any other question
(replace an existing file?) is not the step's to answer: the step fails naming the dialog and its buttons.
"""

from __future__ import annotations

import time
from pathlib import Path

from deskhand.errors import ActionFailed, NodeGone
from deskhand.locate.desktop import Desktop
from deskhand.locate.locator import is_visible
from deskhand.tree.node import Node

_OWN_FORMATS = frozenset({".odt", ".ods", ".odp", ".odg", ".odf", ".fodt", ".fods", ".fodp", ".fodg"})
_QUESTION_ROLES = ("alert", "dialog")


def finish_save(
    desktop: Desktop,
    app_name: str,
    path: str,
    *,
    started: float,
    timeout: float,
    open_before: frozenset[str] = frozenset(),
) -> None:
    """Wait until ``path`` is written (when it is an absolute path), answering a format question on the way;
    a dialog open before the save (``open_before``: a Find & Replace left open) asks nothing."""
    target = Path(path).expanduser()
    deadline = time.monotonic() + timeout
    answered: set[str] = set()
    while True:
        if target.is_absolute() and _written(target, started):
            return
        question = _open_question(desktop, app_name, open_before)
        if question is not None:
            button = _format_answer(question, target.suffix.lower())
            if button is None:
                raise ActionFailed(
                    f"Saving as {path!r} opened {question.name or 'a dialog'!r}: {_text_of(question)}",
                    hint=f"Buttons: {', '.join(repr(b) for b in _buttons(question))}. Answer it in the next step, "
                    f'e.g. Click "{_buttons(question)[0] if _buttons(question) else "OK"}" in "{question.name}".',
                )
            if button.ref not in answered:
                answered.add(button.ref)
                desktop.backend.click(button.ref)
        elif not target.is_absolute():
            return  # nothing to check on disk: the dialog closed and nothing asked
        if time.monotonic() >= deadline:
            raise ActionFailed(
                f"The app did not write {path!r} within {timeout:g} s of the Save.",
                hint="Check that the folder exists and is writable.",
            )
        desktop.backend.wait_for_change(0.1)


def save_dialog_shown(desktop: Desktop, ref: str) -> bool:
    """The Save dialog that opened is still shown — judged by its element, never by its title: once saved,
    the document's window is called after the file ("saved.ods - LibreOffice Calc"), which the title "Save"
    also matches (seen: a Save As reported as failed after the file was written)."""
    try:
        return is_visible(desktop.backend.refresh(ref))
    except NodeGone:
        return False


def _written(target: Path, started: float) -> bool:
    try:
        return target.stat().st_mtime >= started - 1.0 and target.stat().st_size > 0
    except OSError:
        return False


def _open_question(desktop: Desktop, app_name: str, open_before: frozenset[str]) -> Node | None:
    app = desktop.find_app(app_name)
    if app is None:
        return None
    root = desktop.backend.snapshot(app.ref)
    shown = [
        w
        for w in root.children
        if w.role in _QUESTION_ROLES and w.ref not in open_before and is_visible(w) and _buttons(w)
    ]
    return shown[-1] if shown else None


def _buttons(window: Node) -> list[str]:
    return [n.name for n in window.walk() if n.role == "button" and n.name]


def _text_of(window: Node) -> str:
    return " ".join(n.name for n in window.walk() if n.role in ("label", "text", "paragraph") and n.name)[:300]


def _format_answer(question: Node, suffix: str) -> Node | None:
    """The button that keeps the format of the typed file name, if ``question`` is the format question."""
    buttons = [n for n in question.walk() if n.role == "button" and n.name]
    own = [b for b in buttons if "odf" in b.name.casefold() and b.name.casefold().startswith("use ")]
    other = [
        b
        for b in buttons
        if b not in own and (b.name.casefold().startswith("use ") or "keep current format" in b.name.casefold())
    ]
    if len(own) != 1 or len(other) != 1:
        return None
    return own[0] if suffix in _OWN_FORMATS else other[0]
