"""One understood step of a recording and how it is written in the step language.

A step is written by the step language's own actions (``workflows.actions``: their ``sentence()`` is the
canonical spelling), so quoting follows the parser: a value with a double quote goes in single quotes; one the
language cannot quote at all (both quotes where a single quote would close early, a curly quote the parser
straightens, a line break) is not written literally — ``document.workflow_text`` makes it an input whose
default is the value (``literal_fits``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskhand.workflows.actions import (
    Choose,
    Click,
    OpenUrl,
    Press,
    SaveAs,
    SetChecked,
    StepAction,
    SwitchTo,
    Target,
    TypeText,
)
from deskhand.workflows.language import parse_step

_SLUG = re.compile(r"[^a-z0-9]+")


def literal(text: str) -> str:
    """Text as a step writes it literally: braces doubled (``{name}`` would be an input)."""
    return text.replace("{", "{{").replace("}", "}}")


def secret_name(label: str) -> str:
    """The name a password typed into ``label`` is kept under (``deskhand secret set NAME``)."""
    return slug(label) or "password"


def slug(label: str) -> str:
    """A field's label as a name for an input or secret: ``E-mail address:`` → ``e_mail_address``."""
    return _SLUG.sub("_", label.casefold()).strip("_")


@dataclass(frozen=True, slots=True)
class RecordedStep:
    """What the person did, in the words the runner resolves.

    ``kind`` is the runner's target kind — ``switch``, ``type_text``, ``click``, ``double_click``,
    ``right_click``, ``set_checked``, ``choose`` — or ``press`` (a key or chord), ``save_as`` (``target`` is
    the path the Save dialog's name field held) or ``open_url`` (``target`` is the address the browser
    loaded). ``ref`` is the element it was done to; ``path`` the menus of a menu item, outermost first (then
    ``target`` is the path as the runner walks it, ``File > Save As...``); ``position`` and ``role`` name an
    element that has no words of its own (``the first textbox``)."""

    kind: str
    target: str
    value: str = ""
    checked: bool = True
    app: str = ""
    window: str = ""
    ref: str = ""
    within: str = ""
    note: str = ""
    secret: str = ""
    input: str = ""
    path: tuple[str, ...] = ()
    position: int | None = None
    role: str | None = None
    window_ref: str = ""

    def action(self) -> StepAction:
        """The step language's action for this step (what ``deskhand run`` will do)."""
        if self.kind == "switch":
            return SwitchTo(self.target)
        if self.kind == "press":
            return Press(self.target)
        if self.kind == "save_as":
            return SaveAs(self.target)
        if self.kind == "open_url":
            return OpenUrl(self.target)
        target = Target(self.target, self.within or None, self.position, self.role)
        if self.kind == "type_text":
            return TypeText(self._typed(), target)
        if self.kind == "choose":
            return Choose(literal(self.value), target)
        if self.kind == "set_checked":
            return SetChecked(target, self.checked)
        if self.kind == "double_click":
            return Click(target, "left", 2)
        if self.kind == "right_click":
            return Click(target, "right")
        return Click(target)

    def sentence(self) -> str:
        return self.action().sentence()

    def literal_fits(self) -> bool:
        """Whether the sentence reads back as this very step (else its value cannot be written literally)."""
        sentence = self.sentence()
        return "\n" not in sentence and "\r" not in sentence and parse_step(sentence) == self.action()

    def _typed(self) -> str:
        if self.input:
            return f"{{{self.input}}}"
        return f"{{secret:{self.secret}}}" if self.secret else literal(self.value)
